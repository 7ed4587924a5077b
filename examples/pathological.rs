//! One solve of each pathological task (`arc_solver::pathological::tasks`: 30×30 noise, 900
//! single-cell objects, 1×1 → 30×30, ...), with its stop reason, work, CPU and wall time, and
//! the process's peak memory after it. For the worst case of one task, run one per process:
//!
//! ```text
//! cargo run --release --example pathological -- default            # all ten, one process
//! cargo run --release --example pathological -- default noise_30x30  # one task
//! /usr/bin/time -v target/release/examples/pathological default noise_30x30
//! ```

use arc_solver::eval::{peak_rss_mb, solve_task};
use arc_solver::solvers::{Spec, build};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let budget = args.first().map_or("test", String::as_str);
    let only = args.get(1);
    let solver = build(&Spec::new(budget))?;
    arc_solver::guide::one_thread();
    for task in arc_solver::pathological::tasks().iter().filter(|t| only.is_none_or(|o| *o == t.id)) {
        let t0 = std::time::Instant::now();
        let r = solve_task(solver.as_ref(), task);
        println!(
            "{:<26} stop {:<10} work {:>9} ttt {:>2} cpu {:>7.0} ms wall {:>6.1} s peak {:>6.0} MiB",
            task.id,
            r.stop_reason.to_string(),
            r.work,
            r.ttt_steps,
            r.cpu_ms,
            t0.elapsed().as_secs_f64(),
            peak_rss_mb()
        );
    }
    Ok(())
}
