#!/usr/bin/env bash
# scale-out.sh: the local proof of reesim's shard-and-merge (docs/SCALE-OUT.md).
# Runs a scenario on one machine, then as N shard processes (one
# `reesim run --shard I/N` each, as the tasks of a Kubernetes Indexed Job
# or a Slurm array would) merged with `reesim merge`, for each N asked,
# and compares every file of the merged folder with the one-machine run's
# with cmp (manifest.json aside: it differs in its times, workers and
# list of shards). Then the same for a study. Prints the CPU time of the
# shards and of the merge.
#
# usage: scripts/scale-out.sh [PATHS [SHARD_COUNTS [STUDY_PATHS [CHARTS]]]]
#   defaults: 4000 paths of baseline, N = "1 3 8", stockpile-sizes at
#   400 paths per variant, CHARTS=--no-charts (give --charts to compare
#   the charts, briefing.pdf and report.html too)
#
# Runs ./reesim (make build first). Exits 1 at the first difference.
set -euo pipefail
paths=${1:-4000}
counts=${2:-"1 3 8"}
study_paths=${3:-400}
charts=${4:---no-charts}
[ -x ./reesim ] || { echo "scale-out: build reesim first (make build)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpu() { awk '{print $1 + $2}' "$1"; }
timed() { # timed FILE CMD...: runs CMD, adds its user+system CPU seconds to FILE
	local f=$1; shift
	local t0 t1
	t0=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
	"$@" >/dev/null 2>>"$work/log" || { cat "$work/log" >&2; echo "scale-out: $* failed" >&2; exit 1; }
	t1=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
	echo "$t0 $t1" | awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($2 - $1) / hz}' >>"$f"
}
sum() { awk '{s += $1} END {printf "%.2f", s}' "$1"; }
compare() { # compare ONE MERGED: cmp every file but manifest.json
	local one=$1 merged=$2 n=0
	while IFS= read -r f; do
		[ "$(basename "$f")" = manifest.json ] && continue
		cmp "$one/$f" "$merged/$f" || { echo "scale-out: $merged/$f differs from $one/$f" >&2; exit 1; }
		n=$((n + 1))
	done < <(cd "$one" && find . -type f | sort)
	[ "$(cd "$one" && find . -type f | sort)" = "$(cd "$merged" && find . -type f | sort)" ] || { echo "scale-out: $merged holds other files than $one" >&2; exit 1; }
	echo "$n"
}
check() { # check KIND NAME PATHS N
	local kind=$1 name=$2 p=$3 n=$4 dir="$work/$1-$2-$4"
	mkdir -p "$dir"
	for i in $(seq 0 $((n - 1))); do
		timed "$dir/shards.cpu" ./reesim "$kind" "$name" --paths "$p" --seed 1 --shard "$i/$n" --out "$dir/shards"
	done
	timed "$dir/merge.cpu" ./reesim merge "$dir/shards" --out "$dir/merged" "$charts"
	files=$(compare "$work/one-$kind/$name" "$dir/merged/$name")
	printf '%-6s %-16s %8s paths  N=%-2s  shards %7ss CPU  merge %6ss CPU (%s %%)  cmp: %s files identical\n' \
		"$kind" "$name" "$p" "$n" "$(sum "$dir/shards.cpu")" "$(sum "$dir/merge.cpu")" \
		"$(awk -v a="$(sum "$dir/merge.cpu")" -v b="$(sum "$dir/shards.cpu")" 'BEGIN {printf "%.1f", 100 * a / b}')" "$files"
}
./reesim run baseline --paths "$paths" --seed 1 --out "$work/one-run" "$charts" >/dev/null 2>>"$work/log"
for n in $counts; do
	check run baseline "$paths" "$n"
done
./reesim study stockpile-sizes --paths "$study_paths" --seed 1 --out "$work/one-study" "$charts" >/dev/null 2>>"$work/log"
check study stockpile-sizes "$study_paths" 3
echo "scale-out: every merged folder is byte-identical to the one-machine run's (manifest.json aside)"
