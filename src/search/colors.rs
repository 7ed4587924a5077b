//! Per-task colour normalisation, so one program covers demos whose colours differ but play the
//! same part. When every demo's output uses only its own input's colours, each grid pair is
//! recoloured by its input's colour ranking (most common colour → 0, next → 1, ...). Otherwise,
//! by colour roles ([`Roles`]): the colours the task uses literally (in every input, or new in
//! an output) are kept and each input's others are ranked, when that makes the demos' colours
//! more alike. Test inputs are normalised the same way and the predictions mapped back
//! (the permutations are answer data: `crate::answer::colors`).

use crate::answer::colors::{Order, Perm, Roles};
use crate::answer::Answer;
use crate::dsl::Ctx;
use crate::grid::{Grid, N_COLORS};
use crate::task::{Pair, Task, TestPair};

/// A task with its colours normalised, and the test inputs' permutations to map predictions back.
pub struct Normalized {
    pub task: Task,
    /// Per test input, the permutation that takes normalised colours back to the task's.
    pub back: Vec<Perm>,
    /// The roles it was normalised by; `None` for the plain ranking.
    pub roles: Option<Roles>,
}

impl Normalized {
    /// An answer found on the normalised task, as an answer on the task.
    pub fn wrap(&self, inner: Answer) -> Answer {
        match self.roles {
            None => Answer::Normalized(Box::new(inner)),
            Some(roles) => Answer::Roles { roles, inner: Box::new(inner) },
        }
    }

    /// The context to search the normalised task in, so that its answers replay as wrapped
    /// ([`Normalized::wrap`]) in the task's context `task_ctx`.
    pub fn ctx(&self, task_ctx: &Ctx) -> Ctx {
        match self.roles {
            None => Ctx::for_task(&self.task),
            Some(roles) => roles.ctx(task_ctx),
        }
    }
}

fn colors_of(g: &Grid) -> [bool; N_COLORS] {
    let n = g.histogram();
    std::array::from_fn(|c| n[c] > 0)
}

/// The normalised task, when normalisation applies and changes something: by the plain ranking
/// when each demo output uses only its input's colours (and the demos do not already share one
/// ranking), else by the colour roles that make the demos' colours most alike, if any do.
pub fn normalize(task: &Task) -> Option<Normalized> {
    let fits = |p: &Pair| {
        let (i, o) = (colors_of(&p.input), colors_of(&p.output));
        (0..N_COLORS).all(|c| !o[c] || i[c])
    };
    if task.train.is_empty() {
        return None;
    }
    if !task.train.iter().all(fits) {
        return by_roles(task);
    }
    let perms: Vec<Perm> = task.train.iter().map(|p| Perm::ranking(&p.input)).collect();
    if perms.iter().all(|p| *p == perms[0]) {
        return None;
    }
    Some(apply(task, Perm::ranking, None))
}

/// How many colours the demos use between them, each pair recoloured by its perm.
fn palette(task: &Task, perms: &[Perm]) -> usize {
    let mut any = [false; N_COLORS];
    for (p, m) in task.train.iter().zip(perms) {
        for g in [&p.input, &p.output] {
            for (c, has) in colors_of(&m.apply(g)).into_iter().enumerate() {
                any[c] |= has;
            }
        }
    }
    any.iter().filter(|&&b| b).count()
}

/// Colour roles for a task whose outputs bring new colours: the colours of every input (demos
/// and tests) and the new ones are kept, when some output shows a colour that is not; the first
/// order (common, rare) whose normalisation leaves the demos the fewest colours between them,
/// when that is fewer than as given.
fn by_roles(task: &Task) -> Option<Normalized> {
    let inputs = task.train.iter().map(|p| &p.input).chain(task.test.iter().map(|t| &t.input));
    let mut keep = [true; N_COLORS];
    for g in inputs {
        let has = colors_of(g);
        for c in 0..N_COLORS {
            keep[c] &= has[c];
        }
    }
    for p in &task.train {
        let (i, o) = (colors_of(&p.input), colors_of(&p.output));
        for c in 0..N_COLORS {
            keep[c] |= o[c] && !i[c];
        }
    }
    // Outputs of kept colours only read nothing of the ranked ones but their identity, which
    // normalising would erase.
    if task.train.iter().all(|p| colors_of(&p.output).iter().zip(&keep).all(|(&has, &kept)| !has || kept)) {
        return None;
    }
    let as_given = palette(task, &vec![Perm::identity(); task.train.len()]);
    let mut best: Option<(usize, Roles)> = None;
    for order in Order::ALL {
        let roles = Roles { keep, order };
        let perms: Vec<Perm> = task.train.iter().map(|p| roles.perm(&p.input)).collect();
        let n = palette(task, &perms);
        if n < as_given && best.is_none_or(|b| n < b.0) {
            best = Some((n, roles));
        }
    }
    let (_, roles) = best?;
    Some(apply(task, |g| roles.perm(g), Some(roles)))
}

/// The task with each pair recoloured by `perm_of` its input (the perms of the test inputs,
/// inverted, kept to map predictions back).
fn apply(task: &Task, perm_of: impl Fn(&Grid) -> Perm, roles: Option<Roles>) -> Normalized {
    let train = task
        .train
        .iter()
        .map(|p| {
            let m = perm_of(&p.input);
            Pair { input: m.apply(&p.input), output: m.apply(&p.output) }
        })
        .collect();
    let mut back = Vec::with_capacity(task.test.len());
    let test = task
        .test
        .iter()
        .map(|t| {
            let m = perm_of(&t.input);
            back.push(m.inverse());
            TestPair { input: m.apply(&t.input), output: t.output.as_ref().map(|o| m.apply(o)) }
        })
        .collect();
    Normalized { task: Task { id: task.id.clone(), train, test }, back, roles }
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

    #[test]
    fn roles_keep_the_colours_used_literally_and_rank_the_rest() {
        let pair = |i: &str, o: &str| Pair { input: grid(i), output: grid(o) };
        // Every input holds 0 and 8; each output fills the blank cells with the one varying
        // colour and paints the 8s 2 (new).
        let task = Task {
            id: "roles".into(),
            train: vec![pair("038/300/000", "332/333/333"), pair("058/000/550", "552/555/555")],
            test: vec![TestPair { input: grid("708/070/000"), output: None }],
        };
        let n = normalize(&task).unwrap();
        let roles = n.roles.expect("outputs with a new colour are normalised by roles");
        assert_eq!(roles.keep_text(), "028");
        // The varying colours 3 and 5 both become 1, the first colour not kept.
        assert_eq!(n.task.train[0].input, grid("018/100/000"));
        assert_eq!(n.task.train[1].input, grid("018/000/110"));
        assert_eq!(n.task.train[1].output, n.task.train[0].output);
        assert_eq!(n.task.test[0].input, grid("108/010/000"));
        assert_eq!(n.back[0].apply(&grid("112/111/111")), grid("772/777/777"));
        // An answer found there replays on the task as given.
        let answer = n.wrap("(recolor 8 2 (recolor 0 1 input))".parse().unwrap());
        assert_eq!(answer.to_string(), "(roles common 028 (recolor 8 2 (recolor 0 1 input)))");
        for p in &task.train {
            assert_eq!(answer.run(&crate::dsl::Ctx::for_task(&task), &p.input), Ok(p.output.clone()));
        }
        // Outputs of kept colours only: the varying colour's identity is all they could read.
        let identity = Task { train: vec![pair("030/000", "222/000"), pair("050/000", "000/222")], ..task.clone() };
        assert!(normalize(&identity).is_none());
        // Demos that already share their colours: nothing to gain.
        let varied = Task { train: vec![pair("030/000", "030/220"), pair("030/300", "030/220")], ..task };
        assert!(normalize(&varied).is_none());
    }
}
