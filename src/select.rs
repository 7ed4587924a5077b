//! Which tasks of a dataset a run solves: every task the dataset holds, loaded or not, by id;
//! then the ids asked for (`arc eval --tasks`), the first N (`--limit`) and one shard
//! (`--shard K/N`); and, for an id asked for that is not there, where it is instead.

use crate::eval::Shard;
use crate::task::{Dataset, Task, load_dataset};

/// Which tasks of a dataset a run solves.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these ids (none: every task); each must be in the dataset.
    pub only: Vec<String>,
    /// Only the first N tasks (by id, after `only`).
    pub limit: Option<usize>,
    /// Only this shard of what is left.
    pub shard: Option<Shard>,
}

/// A task of a dataset, or the id and reason of one that could not be loaded.
#[derive(Debug, Clone)]
pub enum Entry {
    Task(Task),
    Skipped(String, String),
}

impl Entry {
    pub fn id(&self) -> &str {
        match self {
            Entry::Task(t) => &t.id,
            Entry::Skipped(id, _) => id,
        }
    }
}

/// Every task `ds` holds, loaded or not, by id: a task that could not be loaded is named by its
/// id when its error knows it, else by the error's message.
pub fn entries(ds: &Dataset) -> Vec<Entry> {
    let mut entries: Vec<Entry> = ds.tasks.iter().cloned().map(Entry::Task).collect();
    for e in &ds.errors {
        let id = e.task_id().unwrap_or_else(|| e.to_string());
        entries.push(Entry::Skipped(id, e.to_string()));
    }
    entries.sort_by(|a, b| a.id().cmp(b.id()));
    entries
}

/// The identity of a dataset: sha256 (hex) of every entry in order, its id and its content (a
/// task's demos and tests as JSON; a task that could not be loaded counts by its id alone, as its
/// error names paths that differ between machines). Two runs read the same data when their
/// identities are equal, wherever the files lie.
pub fn dataset_id(entries: &[Entry]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for e in entries {
        h.update(e.id().as_bytes());
        match e {
            Entry::Task(t) => {
                h.update(b"\ntask ");
                h.update(serde_json::to_string(&(&t.train, &t.test)).expect("grids serialize").as_bytes());
            }
            Entry::Skipped(..) => h.update(b"\nskipped"),
        }
        h.update(b"\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What a [`Selection`] picked.
#[derive(Debug)]
pub struct Picked {
    /// The entries to solve, by id.
    pub entries: Vec<Entry>,
    /// How many there were before the shard was taken (after `only` and `limit`).
    pub before_shard: usize,
}

impl Selection {
    /// `only` and `limit`, as a report records them.
    pub fn record(&self) -> crate::eval::SelectionRecord {
        crate::eval::SelectionRecord { only: self.only.clone(), limit: self.limit }
    }

    /// The entries selected from `all` (by id, as [`entries`] gives them): those named in `only`,
    /// the first `limit` of them, then `shard`'s. Errs with the ids of `only` that are not in
    /// `all`, in the order given, when there are any.
    pub fn pick(&self, mut all: Vec<Entry>) -> Result<Picked, Vec<String>> {
        if !self.only.is_empty() {
            let missing: Vec<String> = self.only.iter().filter(|id| !all.iter().any(|e| e.id() == id.as_str())).cloned().collect();
            if !missing.is_empty() {
                return Err(missing);
            }
            all.retain(|e| self.only.iter().any(|id| id == e.id()));
        }
        if let Some(n) = self.limit {
            all.truncate(n);
        }
        let before_shard = all.len();
        if let Some(shard) = self.shard {
            all = shard.select(all);
        }
        Ok(Picked { entries: all, before_shard })
    }
}

/// The split's canonical name and the other split's.
fn splits(split: &str) -> (&'static str, &'static str) {
    match split {
        "training" | "train" => ("training", "evaluation"),
        _ => ("evaluation", "training"),
    }
}

/// The id among `ids` nearest to `id` when it is a likely typo: at most 2 edits away (a
/// character dropped, added, changed or two swapped), the first such id in order at the least
/// distance. Task ids are 8 hex digits, so a looser measure would suggest unrelated ids.
pub fn near_id<'a>(id: &str, ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let max = 2.min(id.chars().count() / 3);
    ids.into_iter()
        .map(|c| (strsim::damerau_levenshtein(id, c), c))
        .filter(|(d, c)| *d <= max && *c != id)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Why `missing` ids are not in the dataset `here` (`dataset` at `split`), a line each, saying
/// where an id is when it is in the other split or in the other named dataset (those installed),
/// else the nearest id `here` when there is one.
pub fn missing_tasks(missing: &[String], dataset: &str, split: &str, here: &Dataset) -> String {
    let (split, other) = splits(split);
    let mut places: Vec<(String, Dataset)> = Vec::new();
    for named in crate::task::lookup_datasets() {
        for s in [split, other] {
            if (named, s) == (dataset, split) {
                continue;
            }
            if let Ok(ds) = load_dataset(named, s) {
                places.push((format!("{named} --split {s}"), ds));
            }
        }
    }
    missing_message(missing, here, &places)
}

/// [`missing_tasks`]' message, given the other places (how to name one, what it holds), searched
/// in order.
fn missing_message(missing: &[String], here: &Dataset, places: &[(String, Dataset)]) -> String {
    let name = &here.name;
    let lines: Vec<String> = missing
        .iter()
        .map(|id| match places.iter().find(|(_, ds)| ds.get(id).is_some()) {
            Some((place, _)) => format!("no task {id} in {name} (it is in --dataset {place})"),
            None => match near_id(id, here.tasks.iter().map(|t| t.id.as_str())) {
                Some(near) => format!("no task {id} in {name}; did you mean `{near}`?"),
                None => format!("no task {id} in {name}"),
            },
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::LoadError;
    use crate::testing::task;

    fn named(id: &str) -> Task {
        Task { id: id.into(), ..task(&[("1", "2")], "1", Some("2")) }
    }

    fn dataset(ids: &[&str]) -> Dataset {
        Dataset { name: "d".into(), tasks: ids.iter().map(|id| named(id)).collect(), errors: Vec::new() }
    }

    fn ids(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(Entry::id).collect()
    }

    #[test]
    fn entries_hold_the_unloaded_tasks_by_id() {
        let mut ds = dataset(&["c", "a"]);
        let problem = "not a task".to_string();
        ds.errors.push(LoadError::Layout { file: "x/b.json".into(), problem });
        let all = entries(&ds);
        assert_eq!(ids(&all), ["a", "b", "c"]);
        assert!(matches!(&all[1], Entry::Skipped(_, why) if why.contains("not a task")));
    }

    #[test]
    fn pick_takes_ids_then_limit_then_shard() {
        let all = || entries(&dataset(&["a", "b", "c", "d", "e"]));
        let every = Selection::default().pick(all()).unwrap();
        assert_eq!((ids(&every.entries), every.before_shard), (vec!["a", "b", "c", "d", "e"], 5));
        let only = Selection { only: vec!["d".into(), "b".into(), "e".into()], limit: Some(2), shard: None };
        assert_eq!(ids(&only.pick(all()).unwrap().entries), ["b", "d"]);
        let shard = Selection { limit: Some(4), shard: Some(Shard { k: 1, n: 2 }), ..Selection::default() };
        let picked = shard.pick(all()).unwrap();
        assert_eq!((ids(&picked.entries), picked.before_shard), (vec!["b", "d"], 4));
    }

    #[test]
    fn pick_names_the_missing_ids_in_order() {
        let s = Selection { only: vec!["z".into(), "a".into(), "y".into()], ..Selection::default() };
        assert_eq!(s.pick(entries(&dataset(&["a"]))).unwrap_err(), ["z", "y"]);
    }

    #[test]
    fn near_ids_are_typos_only() {
        // Made-up ids that no ARC task has (a dropped and a swapped character are typos).
        let ids = ["puzzle-one", "puzzle-two", "riddle-six"];
        assert_eq!(near_id("puzzle-on", ids), Some("puzzle-one"));
        assert_eq!(near_id("puzzle-noe", ids), Some("puzzle-one"));
        assert_eq!(near_id("another-thing", ids), None);
        assert_eq!(near_id("puzzle-one", ids), None, "an id is no near miss of itself");
        assert_eq!(near_id("ab", ["ac"]), None, "short ids get no suggestion");
    }

    #[test]
    fn missing_ids_say_where_they_are() {
        let places = [("x --split training".to_string(), dataset(&["p"])), ("y --split evaluation".to_string(), dataset(&["p", "q"]))];
        let here = Dataset { name: "x/evaluation".into(), ..dataset(&["riddle-six"]) };
        let text = missing_message(&["p".into(), "q".into(), "r".into(), "riddle-sxi".into()], &here, &places);
        let want = "no task p in x/evaluation (it is in --dataset x --split training)\n\
                    no task q in x/evaluation (it is in --dataset y --split evaluation)\n\
                    no task r in x/evaluation\n\
                    no task riddle-sxi in x/evaluation; did you mean `riddle-six`?";
        assert_eq!(text, want);
        assert_eq!(splits("train"), ("training", "evaluation"));
        assert_eq!(splits("evaluation"), ("evaluation", "training"));
    }
}
