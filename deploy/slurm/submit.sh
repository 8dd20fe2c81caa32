#!/bin/bash
# Submits a study (or a run) to Slurm as a job array of SHARDS shards and a
# merge job that starts when all of them have succeeded. See
# docs/SCALE-OUT.md.
#
# usage: deploy/slurm/submit.sh [study|run] NAME PATHS SHARDS [OUT]
#   e.g. deploy/slurm/submit.sh study stockpile-sizes 100000 8 results
# Environment: REESIM (the reesim binary, default: reesim on PATH),
# SEED (default 1), SHARD_DIR (default OUT/.shards-NAME), and any sbatch
# options in SBATCH_* variables (SBATCH_PARTITION, SBATCH_ACCOUNT, ...).
set -euo pipefail
if [ $# -lt 4 ]; then
	echo "usage: $0 study|run NAME PATHS SHARDS [OUT]" >&2
	exit 2
fi
kind=$1 name=$2 paths=$3 shards=$4 out=${5:-out}
case $kind in study | run) ;; *) echo "$0: the first argument is study or run, got $kind" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
export KIND=$kind NAME=$name PATHS=$paths SHARDS=$shards OUT=$out
export SEED=${SEED:-1} SHARD_DIR=${SHARD_DIR:-$out/.shards-$name} REESIM=${REESIM:-reesim}
mkdir -p "$SHARD_DIR"
array=$(sbatch --parsable --array="0-$((shards - 1))" --export=ALL "$here/shards.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --export=ALL "$here/merge.sbatch")
echo "submitted shards as job array $array (tasks 0-$((shards - 1))) and the merge as job ${merge%%;*}"
echo "results: $OUT/$name/ once the merge has run (squeue -u \$USER; reesim-merge-${merge%%;*}.log)"
