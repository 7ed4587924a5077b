//! Shards: deterministic slices of a dataset, for array jobs (`arc eval --shard K/N`).

use serde::{Deserialize, Serialize};

/// A deterministic slice of a dataset: shard `k` of `n` holds the tasks whose index in the
/// (sorted, filtered) task list is `k` modulo `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N` with `0 <= K < N`.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: expected K/N with 0 <= K < N, e.g. 0/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if k >= n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// The shard an array job gives this process, from its environment: SLURM's
    /// `SLURM_ARRAY_TASK_ID` (less `SLURM_ARRAY_TASK_MIN`) of `SLURM_ARRAY_TASK_COUNT`, or
    /// Kubernetes' `JOB_COMPLETION_INDEX` of `ARC_SHARDS` (an Indexed Job's completions). None
    /// when neither is set.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
        let num = |name: &str| -> Result<Option<usize>, String> {
            var(name).map(|v| v.trim().parse::<usize>().map_err(|_| format!("{name}={v} is not a whole number"))).transpose()
        };
        let (k, n, from) = if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
            let count = num("SLURM_ARRAY_TASK_COUNT")?.ok_or("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")?;
            (id.checked_sub(num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0)), count, "SLURM_ARRAY_TASK_ID")
        } else if let Some(index) = num("JOB_COMPLETION_INDEX")? {
            let count = num("ARC_SHARDS")?.ok_or("JOB_COMPLETION_INDEX is set: set ARC_SHARDS to the job's completions (or pass --shard K/N)")?;
            (Some(index), count, "JOB_COMPLETION_INDEX")
        } else {
            return Ok(None);
        };
        match k {
            Some(k) if k < n => Ok(Some(Shard { k, n })),
            Some(k) => Err(format!("{from} gives shard {k} of {n}: out of range")),
            None => Err(format!("{from} gives a shard below SLURM_ARRAY_TASK_MIN: out of range")),
        }
    }

    /// The tasks of this shard, in order.
    pub fn select<T>(&self, items: Vec<T>) -> Vec<T> {
        items.into_iter().enumerate().filter(|(i, _)| i % self.n == self.k).map(|(_, t)| t).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_select_and_come_from_the_environment() {
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { k: 1, n: 4 }));
        assert!("4/4".parse::<Shard>().is_err() && "1".parse::<Shard>().is_err() && "a/2".parse::<Shard>().is_err());
        assert_eq!(Shard { k: 1, n: 3 }.select((0..8).collect()), vec![1, 4, 7]);
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(Shard::from_env(env(&[])), Ok(None));
        const SLURM: &[(&str, &str)] = &[("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "1")];
        assert_eq!(Shard::from_env(env(SLURM)), Ok(Some(Shard { k: 2, n: 4 })));
        assert_eq!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "0"), ("ARC_SHARDS", "2")])), Ok(Some(Shard { k: 0, n: 2 })));
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "0")])).unwrap_err().contains("ARC_SHARDS"));
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "5"), ("ARC_SHARDS", "2")])).is_err());
    }

}
