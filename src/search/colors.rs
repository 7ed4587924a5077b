//! Per-task colour normalisation: when every demo's output uses only its own input's colours,
//! each grid pair is recoloured by its input's colour ranking (most common colour → 0, next → 1,
//! ...), so one program covers demos that differ only by a colour permutation. Test inputs are
//! ranked the same way and the predictions mapped back (the permutation itself, [`Perm`], is
//! answer data: `crate::answer::colors`).

use crate::answer::colors::Perm;
use crate::grid::{Grid, N_COLORS};
use crate::task::{Pair, Task, TestPair};

/// A task with its colours normalised, and the test inputs' permutations to map predictions back.
pub struct Normalized {
    pub task: Task,
    /// Per test input, the permutation that takes normalised colours back to the task's.
    pub back: Vec<Perm>,
}

fn colors_of(g: &Grid) -> [bool; N_COLORS] {
    let n = g.histogram();
    std::array::from_fn(|c| n[c] > 0)
}

/// The normalised task, when normalisation applies (each demo output uses only its input's
/// colours) and changes something (the demos do not already share one ranking).
pub fn normalize(task: &Task) -> Option<Normalized> {
    let fits = |p: &Pair| {
        let (i, o) = (colors_of(&p.input), colors_of(&p.output));
        (0..N_COLORS).all(|c| !o[c] || i[c])
    };
    if task.train.is_empty() || !task.train.iter().all(fits) {
        return None;
    }
    let perms: Vec<Perm> = task.train.iter().map(|p| Perm::ranking(&p.input)).collect();
    if perms.iter().all(|p| *p == perms[0]) {
        return None;
    }
    let train = task
        .train
        .iter()
        .zip(&perms)
        .map(|(p, m)| Pair { input: m.apply(&p.input), output: m.apply(&p.output) })
        .collect();
    let mut back = Vec::with_capacity(task.test.len());
    let test = task
        .test
        .iter()
        .map(|t| {
            let m = Perm::ranking(&t.input);
            back.push(m.inverse());
            TestPair { input: m.apply(&t.input), output: t.output.as_ref().map(|o| m.apply(o)) }
        })
        .collect();
    Some(Normalized { task: Task { id: task.id.clone(), train, test }, back })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::grid;

    #[test]
    fn permuted_demos_become_one_and_map_back() {
        let pair = |i: &str, o: &str| Pair { input: grid(i), output: grid(o) };
        let task = Task {
            id: "perm".into(),
            train: vec![pair("330/300/000", "333/333/333"), pair("770/700/777", "000/000/000")],
            test: vec![TestPair { input: grid("550/500/000"), output: None }],
        };
        let n = normalize(&task).unwrap();
        assert_eq!(n.task.train[0].input, grid("110/100/000"));
        assert_eq!(n.task.train[1].input, grid("001/011/000"));
        assert_eq!(n.task.train[0].output, n.task.train[1].output.clone());
        let back = n.back[0].apply(&grid("111/111/111"));
        assert_eq!(back, grid("555/555/555"));
        for g in [grid("0123/4567/8999")] {
            let p = Perm::ranking(&g);
            assert_eq!(p.inverse().apply(&p.apply(&g)), g);
            assert!(!p.is_identity());
        }
    }
}
