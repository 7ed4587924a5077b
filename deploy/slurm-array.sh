#!/usr/bin/env bash
# A SLURM array job that solves one dataset split in N shards, one per array task, then merges.
#
#   sbatch --array=0-3 deploy/slurm-array.sh                  # 4 shards of ARC-AGI-1 evaluation
#   DATASET=path/to/arc-agi_test_challenges.json sbatch --array=0-7 deploy/slurm-array.sh
#   LIMIT=40 BUDGET=tiny sbatch --array=0-3 deploy/slurm-array.sh   # the first 40 tasks only
#
# Each array task runs `arc eval` on its shard: `arc eval` reads SLURM_ARRAY_TASK_ID (less
# SLURM_ARRAY_TASK_MIN) and SLURM_ARRAY_TASK_COUNT itself, so shard K of N holds the tasks whose
# index (by id) is K modulo N. It writes $OUT/report-K.json (the report, with every attempt) and
# $OUT/submission-K.json (its Kaggle submission). When every shard is done, merge them (the result is
# exactly the report of the unsharded run, timing fields aside):
#
#   sbatch --dependency=afterok:<array job id> --wrap \
#     'target/release/arc merge out/report-*.json --out out/report.json --submission out/submission.json'
#
# (or run that line by hand; scripts/slurm-check does all of this on a one-node cluster). Run from a checkout where `scripts/setup && cargo build --release`
# has been done (the binary finds libtorch and the data through the checkout). Results do not
# depend on the machine or on --jobs: budgets count work, not time.
#SBATCH --job-name=arc-eval
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --output=arc-eval-%A_%a.log
set -euo pipefail

DATASET="${DATASET:-arc-agi-1}"        # a named dataset, or a path (Kaggle challenges file, folder)
SPLIT="${SPLIT:-evaluation}"
BUDGET="${BUDGET:-default}"
LIMIT="${LIMIT:-}"                     # only the first LIMIT tasks (by id), before sharding
OUT="${OUT:-out}"
ARC="${ARC:-target/release/arc}"

mkdir -p "$OUT"
k="${SLURM_ARRAY_TASK_ID:?run this with sbatch --array=0-N}"
k=$((k - ${SLURM_ARRAY_TASK_MIN:-0}))
"$ARC" eval --dataset "$DATASET" --split "$SPLIT" --budget "$BUDGET" ${LIMIT:+--limit "$LIMIT"} \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --out "$OUT/report-$k.json" --submission "$OUT/submission-$k.json"
