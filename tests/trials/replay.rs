//! Replay: every answer in every golden record reproduces its recorded attempts from its text
//! alone, with no search. One trial per golden entry, `replay::<dataset>/<split>/<variant>/<id>`
//! (the variant is the golden file's budget and solver, e.g. `test` or `test.search-noguide`),
//! so `cargo test --release --test trials -- replay::arc-agi-1/evaluation` runs one split.
//!
//! Each recorded answer is parsed, run on the task's test inputs in the task's context, and the
//! attempts are rebuilt from those grids in rank order (`solver::attempts_from`); they must
//! equal the recorded attempts. Every answer other than a partial candidate must also reproduce
//! every demonstration.

use arc_solver::answer::Answer;
use arc_solver::dsl::Ctx;
use arc_solver::golden::{Golden, Record};
use arc_solver::grid::Grid;
use arc_solver::solver::attempts_from;
use arc_solver::task::{Dataset, Task, load_dataset};
use libtest_mimic::{Failed, Trial};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

fn replay(task: &Task, rec: &Record) -> Result<(), Failed> {
    if rec.answers.is_empty() {
        return Err("the record holds no answer".into());
    }
    let ctx = Ctx::for_task(task);
    let mut tests: Vec<Vec<Grid>> = Vec::new();
    for (k, text) in rec.answers.iter().enumerate() {
        let answer: Answer = text.parse().map_err(|e| format!("answer {k} does not parse: {e}\n  {text}"))?;
        if answer.to_string() != *text {
            return Err(format!("answer {k} prints differently from its record:\n  recorded {text}\n  printed  {answer}").into());
        }
        let replay = answer.apply(&ctx, task);
        if !matches!(answer, Answer::Partial(_)) && !replay.fits_demos(task) {
            let verdicts: Vec<bool> = replay.demos.iter().zip(&task.train).map(|(g, p)| g.as_ref() == Ok(&p.output)).collect();
            return Err(format!("answer {k} does not reproduce the demonstrations ({verdicts:?}):\n  {text}").into());
        }
        let grids = replay
            .tests
            .into_iter()
            .enumerate()
            .map(|(i, g)| g.map_err(|e| format!("answer {k} gives no grid on test {i}: {e}\n  {text}")))
            .collect::<Result<Vec<Grid>, String>>()?;
        tests.push(grids);
    }
    let (attempts, used) = attempts_from(task.test.len(), tests.iter().map(Vec::as_slice));
    if attempts != rec.attempts {
        return Err(format!("the answers replay to other attempts than recorded ({} answers)", rec.answers.len()).into());
    }
    if used.len() != rec.answers.len() {
        return Err(format!("only answers {used:?} of {} give an attempt: the record holds extra answers", rec.answers.len()).into());
    }
    Ok(())
}

/// One trial per golden entry (a setup trial in its place when a record or its dataset does
/// not load).
pub fn trials() -> Vec<Trial> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let mut trials = Vec::new();
    let mut datasets: HashMap<(String, String), Result<Arc<Dataset>, String>> = HashMap::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("golden/").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        // `<dataset>_<split>.<variant>.json`
        let name = path.file_name().unwrap().to_string_lossy().trim_end_matches(".json").to_string();
        let Some((ds_split, variant)) = name.split_once('.') else { continue };
        let Some((dataset, split)) = ds_split.rsplit_once('_') else { continue };
        let golden = match Golden::load(&path) {
            Ok(g) => g,
            Err(e) => {
                let msg = e.to_string();
                trials.push(Trial::test(format!("replay::{dataset}/{split}/{variant}"), move || Err(msg.into())));
                continue;
            }
        };
        // Each split is loaded once, for all its golden files.
        let loaded = datasets
            .entry((dataset.to_string(), split.to_string()))
            .or_insert_with(|| load_dataset(dataset, split).map(Arc::new).map_err(|e| e.to_string()));
        let ds = match loaded {
            Ok(ds) => Arc::clone(ds),
            Err(e) => {
                let msg = e.clone();
                trials.push(Trial::test(format!("setup::{dataset}/{split}/{variant}"), move || Err(msg.into())));
                continue;
            }
        };
        for (id, rec) in golden.solved {
            let ds = Arc::clone(&ds);
            trials.push(Trial::test(format!("replay::{dataset}/{split}/{variant}/{id}"), move || {
                let task = ds.tasks.iter().find(|t| t.id == id).ok_or(format!("no task {id} in the dataset"))?;
                replay(task, &rec)
            }));
        }
    }
    if trials.is_empty() {
        trials.push(Trial::test("replay::golden", || Err("no golden record found in golden/".into())));
    }
    trials
}
