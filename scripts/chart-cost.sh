#!/usr/bin/env bash
# chart-cost.sh: what drawing the charts costs a run. Runs the baseline
# scenario with and without charts, alternately, REPS times each, and
# prints the median wall time, CPU time (user + system) and peak resident
# memory of each, and the ratios with to without charts.
#
# usage: scripts/chart-cost.sh [PATHS [REPS]]   (defaults 40000 and 3)
#
# Needs GNU time (/usr/bin/time). Runs ./reesim (make build first). On a
# machine others share, wall times vary from run to run: compare CPU
# times too, and take more repetitions.
set -euo pipefail
paths=${1:-40000}
reps=${2:-3}
[ -x ./reesim ] || { echo "chart-cost: build reesim first (make build)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "chart-cost: needs GNU time (apt-get install time)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for i in $(seq "$reps"); do
	for mode in without with; do
		flag=--no-charts
		[ "$mode" = with ] && flag=--charts
		/usr/bin/time -f "%e %U %S %M" -o "$out/t" ./reesim run baseline --paths "$paths" --out "$out/run" --force "$flag" >/dev/null 2>&1
		read -r wall user sys rss <"$out/t"
		echo "$wall" >>"$out/$mode.wall"
		echo "$user $sys" | awk '{print $1 + $2}' >>"$out/$mode.cpu"
		echo "$rss" >>"$out/$mode.rss"
	done
done
for mode in without with; do
	printf '%-16s wall %6.2f s   cpu %6.2f s   peak memory %5.1f MB   (medians of %d)\n' "$mode charts" \
		"$(median <"$out/$mode.wall")" "$(median <"$out/$mode.cpu")" "$(median <"$out/$mode.rss" | awk '{print $1/1024}')" "$reps"
done
awk -v a="$(median <"$out/with.wall")" -v b="$(median <"$out/without.wall")" -v c="$(median <"$out/with.cpu")" -v d="$(median <"$out/without.cpu")" \
	'BEGIN {printf "ratio with/without charts: wall %.2f, cpu %.2f\n", a/b, c/d}'
echo "baseline, $paths paths"
