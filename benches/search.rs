//! Search throughput: primitive applications per second (criterion's elements/s) on a fixed set
//! of ARC-AGI-1 training tasks, each searched with a fixed work budget, one thread.

use arc_solver::search::{Budget, SearchConfig, SearchSolver};
use arc_solver::solver::Solver;
use arc_solver::task::load_dataset;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Training tasks of varied grid sizes (the first by id and a few larger ones).
const TASKS: &[&str] = &["007bbfb7", "00d62c1b", "017c7c7b", "025d127b", "045e512c", "0520fde7"];

/// Work per task: enough to reach depth 2 on small grids, still a quick iteration.
const WORK: u64 = 60_000;

fn search_throughput(c: &mut Criterion) {
    let ds = load_dataset("arc-agi-1", "training").expect("scripts/setup installs the data");
    let solver = SearchSolver::new(SearchConfig::new(Budget::Work(WORK)));
    let mut group = c.benchmark_group("search");
    group.sample_size(10);
    for id in TASKS {
        let task = ds.get(id).unwrap_or_else(|| panic!("training task {id} is missing"));
        let work = solver.solve(task).work;
        group.throughput(Throughput::Elements(work));
        group.bench_function(*id, |b| b.iter(|| solver.solve(task)));
    }
    group.finish();
}

criterion_group!(benches, search_throughput);
criterion_main!(benches);
