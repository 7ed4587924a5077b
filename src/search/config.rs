//! What configures a search: the work [`Budget`] and the [`SearchConfig`], grouped by what each
//! setting is about (limits, stop rules, moves, refinement, what is kept, learners, the guide's
//! mix). Every setting has a text key `group.key` ([`SearchConfig::set`], listed with its default
//! and meaning by [`SearchConfig::settings`]), which the CLI's `--set group.key=value` uses.
//!
//! Work is counted in primitive applications, so results are the same on any machine and with
//! any number of threads; the wall-clock limit is a safety net only.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A work budget: a named profile or a plain number of primitive applications (one primitive
/// applied to one grid counts 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Budget {
    /// For unit tests: a few milliseconds per task.
    Tiny,
    /// Quick runs: the depth of a cheap depth-2 search (aimed at no more than 0.5 CPU-s per task
    /// on the evaluation split, test-time training included when asked for, see
    /// [`crate::solvers::DEFAULT_TTT_STEPS`]).
    Fast,
    /// For `cargo test` over whole splits: about 1.5 CPU-s per task on average over the
    /// training split.
    Test,
    /// For measurements: at most about 8.4 CPU-s per task on average over the evaluation split
    /// (its larger grids cost more per application than the training split's).
    Default,
    /// An explicit number of primitive applications.
    Work(u64),
}

impl Budget {
    /// The number of primitive applications this budget allows.
    pub fn work(self) -> u64 {
        match self {
            Budget::Tiny => 5_000,
            Budget::Fast => 350_000,
            Budget::Test => 2_400_000,
            Budget::Default => 8_000_000,
            Budget::Work(n) => n,
        }
    }

    /// The share of each enumeration's work the refinement phase gets under this budget
    /// ([`Refine::share`]): none at `fast` (its CPU per unit of work
    /// is higher than the enumeration's, and `fast` is held to the 2020 winner's depth-2 time),
    /// 0.1 otherwise (evaluation at the test budget 111/400 against 109 without, training 246
    /// against 243; 0.25 with a beam of 16 solved fewer).
    pub fn refine_share(self) -> f32 {
        match self {
            Budget::Fast => 0.0,
            _ => 0.1,
        }
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Budget::Tiny => f.write_str("tiny"),
            Budget::Fast => f.write_str("fast"),
            Budget::Test => f.write_str("test"),
            Budget::Default => f.write_str("default"),
            Budget::Work(n) => write!(f, "{n}"),
        }
    }
}

/// Why a budget text is not a budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown budget `{0}`: expected tiny, fast, test, default or a number of primitive applications")]
pub struct BudgetError(pub String);

impl FromStr for Budget {
    type Err = BudgetError;

    fn from_str(s: &str) -> Result<Budget, BudgetError> {
        match s {
            "tiny" => Ok(Budget::Tiny),
            "fast" => Ok(Budget::Fast),
            "test" => Ok(Budget::Test),
            "default" => Ok(Budget::Default),
            _ => s.parse::<u64>().map(Budget::Work).map_err(|_| BudgetError(s.to_string())),
        }
    }
}


/// Everything that configures a search; every limit is explicit.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchConfig {
    /// Work budget in primitive applications.
    pub budget: Budget,
    /// Hard limits: cost, storage, solutions, wall-clock safety cap.
    pub limits: Limits,
    /// When an enumeration stops once something fits.
    pub stop: StopRules,
    /// Which moves the enumeration makes and what they cost.
    pub moves: MoveRules,
    /// The refinement beam over the best partial candidates.
    pub refine: Refine,
    /// What an enumeration keeps besides its fits.
    pub keep: Keep,
    /// The rule learners.
    pub learn: Learn,
    /// How the guide's prior is mixed into the search.
    pub guide: GuideMix,
}

/// Hard limits of one search.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest program cost explored, in cost units.
    pub max_cost: u32,
    /// Stop after this many solutions.
    pub max_solutions: usize,
    /// Storage cap on states; past it the search goes on with leaves only (memory stays bounded).
    pub max_states: usize,
    /// Storage cap on bytes (approximate); past it the search goes on with leaves only.
    pub max_bytes: usize,
    /// Safety cap on wall-clock time per task, counted from the solve's start (the deadline is
    /// passed to the enumeration; it never decides a result on a normal run).
    pub wall: Duration,
}

/// When an enumeration stops once something fits.
#[derive(Debug, Clone, PartialEq)]
pub struct StopRules {
    /// Once a solution of cost `c` is found, keep searching up to cost `c + after_solution`.
    pub after_solution: u32,
    /// Once solid (not possibly memorised) fits give two different test predictions (one per
    /// attempt), at most this share of the budget's work more; then the enumeration stops as
    /// solved (1: never stops early). The default, 0.02, solved the same training tasks at the
    /// test budget as 1 with a tenth less CPU.
    pub after_solid_share: f32,
    /// Once a solid fit is found, at most this share of the budget's work more, whatever the
    /// second attempt (1: no bound beyond the other rules). The default, 0.1, solved the same
    /// training tasks at the test budget as 1 with a tenth less CPU.
    pub after_first_solid_share: f32,
}

/// Which moves the enumeration makes and what they cost.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveRules {
    /// How many of the cheapest expanded states of each type multi-argument primitives combine.
    pub pool: usize,
    /// Extra cost per move, in cost units per natural log of its number of parameter settings
    /// for the task (0: a primitive costs the same however many settings it has).
    pub param_cost: f32,
    /// Finishing steps ([`super::finish`]): every new grid state of the wrong shape is tried with
    /// the scalings and tilings its shapes allow (and, where the demos change shape, crops and
    /// resizes to the outputs' shape), parameters read off the shapes; results that fit are kept
    /// as leaves.
    pub finish: bool,
    /// Parts (`search::parts`): every `grid -> grid` move is also mapped over every part of a
    /// parts state, and every new parts state is painted back (onto a blank canvas, onto the
    /// input, replacing what was cut) and judged, as finishing steps are.
    pub parts: bool,
    /// Grid moves are also mapped over every grid of a list of grids (as over parts).
    pub map_grids: bool,
}

/// The refinement phase: a beam over the best partial candidates, run when the enumeration found
/// no solid fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Refine {
    /// The share of each enumeration's work held back for the refinement phase (0: none).
    pub share: f32,
    /// How many states the beam extends per round.
    pub width: usize,
    /// The beam takes at most this many children of one state per round (0: any number).
    /// Default 2: at the test budget training 246/400 against 245 with any number (one task
    /// gained, none lost), evaluation the same 111 tasks.
    pub per_parent: usize,
}

/// What an enumeration keeps besides its fits.
#[derive(Debug, Clone, PartialEq)]
pub struct Keep {
    /// Partial candidates kept (the most cells right).
    pub partials: usize,
    /// Shape-right states kept as composition pieces.
    pub pieces: usize,
}

/// The rule learners.
#[derive(Debug, Clone, PartialEq)]
pub struct Learn {
    /// Shape-right states (other than the input, cheapest first) the local-rule learner reads as
    /// bases besides the input: a rule `output cell = f(neighbourhood in the base)` over a state a
    /// few steps deep. The default, 128 (it was 8): at the test budget training 265/400 against
    /// 263 (two gained, none lost; 48 bases gave the same), evaluation 135/400 against 133 (three
    /// gained, one lost), at the same CPU.
    pub local_bases: usize,
    /// The learners also read the colour-normalised variant of the task (each grid's colours
    /// ranked by frequency), when it is searched: rules keyed by colour ranks cover test inputs
    /// in colours the demos never showed. Its rules come after the task's own. Default true: at
    /// the test budget evaluation 136/400 against 135 (one gained, none lost), training the same
    /// 265, at the same CPU.
    pub variant: bool,
}

/// How the guide's prior is mixed into the search.
#[derive(Debug, Clone, PartialEq)]
pub struct GuideMix {
    /// How strongly the guide's probabilities move costs (0: ignore the guide).
    pub weight: f32,
    /// How much the guide is trusted against the uniform prior, 0..=1 (1: fully; see
    /// [`super::guide::adjusted_cost`]).
    pub mix: f32,
    /// With a guide, the share of the budget first searched in the registry's cost order (the
    /// guide's order gets the rest when that finds no solid fit).
    pub uniform_share: f32,
}

impl SearchConfig {
    /// The defaults for a budget.
    pub fn new(budget: Budget) -> SearchConfig {
        SearchConfig {
            budget,
            limits: Limits {
                max_cost: 12,
                max_solutions: 64,
                max_states: 4_000_000,
                max_bytes: 384 << 20,
                wall: Duration::from_secs(300),
            },
            stop: StopRules { after_solution: 1, after_solid_share: 0.02, after_first_solid_share: 0.1 },
            moves: MoveRules { pool: 24, param_cost: 0.25, finish: true, parts: true, map_grids: true },
            refine: Refine { share: budget.refine_share(), width: 8, per_parent: 2 },
            keep: Keep { partials: 8, pieces: 4096 },
            learn: Learn { local_bases: 128, variant: true },
            guide: GuideMix { weight: 0.5, mix: 0.5, uniform_share: 0.75 },
        }
    }

    /// A primitive's cost in guide steps under this configuration, from its registry cost and
    /// the guide's probability `p` for it among `n` primitives.
    pub fn move_cost(&self, cost: u32, p: f32, n: usize) -> u32 {
        super::guide::adjusted_cost(cost, p, n, self.guide.weight, self.guide.mix)
    }

    /// Sets one setting from its text key and value (`set("refine.width", "16")`), the value
    /// parsed and range-checked.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let slot = SETTINGS.iter().find(|s| s.key == key).ok_or_else(|| SettingError::UnknownKey(key.to_string()))?;
        (slot.set)(self, value).map_err(|why| SettingError::BadValue { key: key.to_string(), value: value.to_string(), why })
    }

    /// Applies `group.key=value` assignments in order.
    pub fn apply<'a>(&mut self, assignments: impl IntoIterator<Item = &'a str>) -> Result<(), SettingError> {
        for a in assignments {
            let (key, value) = a.split_once('=').ok_or_else(|| SettingError::NotAssignment(a.to_string()))?;
            self.set(key.trim(), value.trim())?;
        }
        Ok(())
    }

    /// Every setting with its value in this configuration and what it means, in a fixed order.
    pub fn settings(&self) -> Vec<SettingInfo> {
        SETTINGS.iter().map(|s| SettingInfo { key: s.key, value: (s.get)(self), range: s.range, doc: s.doc }).collect()
    }
}

/// One setting as listed by [`SearchConfig::settings`].
#[derive(Debug, Clone, PartialEq)]
pub struct SettingInfo {
    /// `group.key`.
    pub key: &'static str,
    /// The value, as `--set` takes it.
    pub value: String,
    /// The values accepted.
    pub range: &'static str,
    /// What it means, one line.
    pub doc: &'static str,
}

/// Why a `--set` assignment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    /// No setting has this key.
    #[error("unknown setting `{0}` (`arc settings` lists them)")]
    UnknownKey(String),
    /// The value does not parse or is out of range.
    #[error("setting `{key}`: `{value}` is not {why}")]
    BadValue { key: String, value: String, why: String },
    /// Not of the form `group.key=value`.
    #[error("`{0}` is not an assignment `group.key=value`")]
    NotAssignment(String),
}

/// One settable field: its key, accepted range, meaning, and how to read and write it.
struct Slot {
    key: &'static str,
    range: &'static str,
    doc: &'static str,
    get: fn(&SearchConfig) -> String,
    set: fn(&mut SearchConfig, &str) -> Result<(), String>,
}

/// A number in `lo..=hi` (floats finite).
fn number<T>(value: &str, lo: T, hi: T) -> Result<T, String>
where
    T: FromStr + PartialOrd + Copy + fmt::Display,
{
    match value.parse::<T>() {
        Ok(v) if v >= lo && v <= hi => Ok(v),
        _ => Err(format!("a number in {lo}..={hi}")),
    }
}

fn boolean(value: &str) -> Result<bool, String> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("true or false".to_string()),
    }
}

/// The table of settings: `key => group.field: type in lo..=hi, "meaning"`.
macro_rules! settings {
    ($($key:literal => $group:ident . $field:ident : $kind:tt $(($lo:expr, $hi:expr))?, $doc:literal;)*) => {
        const SETTINGS: &[Slot] = &[$(Slot {
            key: $key,
            range: settings!(@range $kind $(($lo, $hi))?),
            doc: $doc,
            get: |c| settings!(@get $kind c.$group.$field),
            set: |c, v| { c.$group.$field = settings!(@parse $kind v $(($lo, $hi))?)?; Ok(()) },
        }),*];
    };
    (@range bool) => { "true|false" };
    (@range secs ($lo:expr, $hi:expr)) => { concat!(stringify!($lo), "..=", stringify!($hi), " s") };
    (@range $t:ident ($lo:expr, $hi:expr)) => { concat!(stringify!($lo), "..=", stringify!($hi)) };
    (@get secs $e:expr) => { $e.as_secs().to_string() };
    (@get $t:ident $e:expr) => { $e.to_string() };
    (@parse bool $v:ident) => { boolean($v) };
    (@parse secs $v:ident ($lo:expr, $hi:expr)) => { number::<u64>($v, $lo, $hi).map(Duration::from_secs) };
    (@parse $t:ident $v:ident ($lo:expr, $hi:expr)) => { number::<$t>($v, $lo, $hi) };
}

settings! {
    "limits.max_cost" => limits.max_cost: u32 (1, 64), "largest program cost explored, in cost units";
    "limits.max_solutions" => limits.max_solutions: usize (1, 100_000), "stop after this many solutions";
    "limits.max_states" => limits.max_states: usize (1, 1_000_000_000), "states stored before new ones become leaves";
    "limits.max_bytes" => limits.max_bytes: usize (1, 1 << 40), "bytes of states stored before new ones become leaves";
    "limits.wall" => limits.wall: secs (1, 86_400), "wall-clock safety cap per task, seconds";
    "stop.after_solution" => stop.after_solution: u32 (0, 64), "cost units searched past the cheapest solution";
    "stop.after_solid_share" => stop.after_solid_share: f32 (0.0, 1.0), "budget share searched once solid fits give two attempts";
    "stop.after_first_solid_share" => stop.after_first_solid_share: f32 (0.0, 1.0), "budget share searched after the first solid fit";
    "moves.pool" => moves.pool: usize (1, 4096), "cheapest expanded states per type that multi-argument moves combine";
    "moves.param_cost" => moves.param_cost: f32 (0.0, 16.0), "extra cost units per ln(number of parameter settings)";
    "moves.finish" => moves.finish: bool, "finishing steps (scale, tile, crop to the outputs' shape) on wrong-shaped states";
    "moves.parts" => moves.parts: bool, "grid moves mapped over parts, and parts painted back as finishing steps";
    "moves.map_grids" => moves.map_grids: bool, "grid moves mapped over every grid of a list of grids";
    "refine.share" => refine.share: f32 (0.0, 1.0), "budget share held back for the refinement beam";
    "refine.width" => refine.width: usize (1, 4096), "states the refinement beam extends per round";
    "refine.per_parent" => refine.per_parent: usize (0, 4096), "children of one state per round in the beam (0: any)";
    "keep.partials" => keep.partials: usize (0, 4096), "partial candidates kept (most demo cells right)";
    "keep.pieces" => keep.pieces: usize (0, 1_000_000), "shape-right states kept as composition pieces";
    "learn.local_bases" => learn.local_bases: usize (0, 100_000), "shape-right states the local-rule learner reads besides the input";
    "learn.variant" => learn.variant: bool, "learners also read the colour-normalised variant";
    "guide.weight" => guide.weight: f32 (0.0, 16.0), "how strongly the guide's probabilities move costs";
    "guide.mix" => guide.mix: f32 (0.0, 1.0), "trust in the guide against the uniform prior";
    "guide.uniform_share" => guide.uniform_share: f32 (0.0, 1.0), "with a guide, budget share first searched in the registry's order";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_profiles_and_numbers() {
        for b in [Budget::Tiny, Budget::Fast, Budget::Test, Budget::Default, Budget::Work(12345)] {
            assert_eq!(b.to_string().parse::<Budget>(), Ok(b));
        }
        assert_eq!("12345".parse::<Budget>().map(Budget::work), Ok(12345));
        assert!("quick".parse::<Budget>().is_err());
        let order = [Budget::Tiny, Budget::Fast, Budget::Test, Budget::Default].map(Budget::work);
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    }

    #[test]
    fn every_setting_reads_back_what_it_was_set_to() {
        let base = SearchConfig::new(Budget::Test);
        let listed = base.settings();
        assert_eq!(listed.len(), SETTINGS.len());
        for s in &listed {
            // Its own default round-trips and leaves the configuration as it was.
            let mut c = base.clone();
            c.set(s.key, &s.value).unwrap();
            assert_eq!(c, base, "{}", s.key);
        }
        let mut c = base.clone();
        c.apply(["refine.width=16", "learn.variant=false", "limits.wall=5", "guide.mix=0.25"]).unwrap();
        assert_eq!((c.refine.width, c.learn.variant, c.limits.wall, c.guide.mix), (16, false, Duration::from_secs(5), 0.25));
        let keys: std::collections::HashSet<_> = listed.iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), listed.len(), "keys are unique");
    }

    #[test]
    fn bad_settings_are_refused_with_the_reason() {
        let mut c = SearchConfig::new(Budget::Test);
        let before = c.clone();
        assert!(matches!(c.set("refine.widht", "3"), Err(SettingError::UnknownKey(_))));
        for (k, v) in [("guide.mix", "NaN"), ("guide.mix", "1.5"), ("moves.param_cost", "-100"), ("refine.width", "0"), ("learn.variant", "yes"), ("limits.max_cost", "x")] {
            let e = c.set(k, v).unwrap_err();
            assert!(matches!(e, SettingError::BadValue { .. }), "{k}={v}: {e}");
        }
        assert!(matches!(c.apply(["refine.width"]), Err(SettingError::NotAssignment(_))));
        assert_eq!(c, before, "a refused setting changes nothing");
    }
}
