#!/usr/bin/env bash
# Scale check: generates synthetic corpora of 1k, 10k and 100k questions,
# builds each several times with the release binary (`build --verbose`,
# all outputs), and prints per size the median wall time, the median peak
# RSS and the median of each stage's and emitter's time, then
# time(100k)/time(10k) for the build and for every stage and emitter, and
# per size the dedup quality on the corpus's planted near-duplicates
# (bench/dedup_quality.py: pairwise precision and recall).
#   bench/scale.sh [runs]        (default 5 runs per size)
#   DECKC_THREADS=1 bench/scale.sh   one thread: each stage and emitter timed
#                                    alone, without the others competing
# Needs GNU time at /usr/bin/time. Medians only: the machine may be noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
sizes=${SIZES:-"1000 10000 100000"}
cargo build --release --quiet
bin=target/release/deckc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{a[NR]=$1} END{if(NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -A wall stage_ms
stages=()
for n in $sizes; do
  content="$work/c$n"
  "$bin" gen-corpus --questions "$n" --seed 3 --out "$content" >/dev/null 2>&1
  : >"$work/runs$n"
  for r in $(seq "$runs"); do
    rm -rf "$work/out" "$content/deck.lock"
    /usr/bin/time -f "WALL %e RSS %M" "$bin" build --content "$content" --out "$work/out" --verbose \
      2>"$work/err" >/dev/null
    grep -E '^(WALL|  [a-z+-]+ +[0-9.]+ ms)' "$work/err" >>"$work/runs$n"
  done
  quality=$(python3 bench/dedup_quality.py "$content" "$work/out")
  w=$(awk '$1=="WALL"{print $2}' "$work/runs$n" | median)
  rss=$(awk '$1=="WALL"{print $4}' "$work/runs$n" | median)
  wall[$n]=$w
  printf '%7d questions: wall %.3f s (median of %d), peak RSS %.0f MiB\n' "$n" "$w" "$runs" "$(echo "$rss/1024" | bc -l)"
  printf '           dedup: %s\n' "$quality"
  for stage in $(awk '$1!="WALL"{print $1}' "$work/runs$n" | awk '!s[$0]++'); do
    m=$(awk -v s="$stage" '$1==s{print $2}' "$work/runs$n" | median)
    printf '           %-10s %10.1f ms\n' "$stage" "$m"
    stage_ms[$n,$stage]=$m
    [[ " ${stages[*]} " == *" $stage "* ]] || stages+=("$stage")
  done
done
if [[ -n "${wall[10000]:-}" && -n "${wall[100000]:-}" ]]; then
  printf 'time(100k)/time(10k) = %.2f\n' "$(echo "${wall[100000]}/${wall[10000]}" | bc -l)"
  for stage in "${stages[@]}"; do
    a=${stage_ms[100000,$stage]:-} b=${stage_ms[10000,$stage]:-}
    if [[ -z $a || -z $b ]]; then continue; fi
    if [[ $(echo "$b > 0" | bc -l) == 1 ]]; then
      printf '  %-10s %6.2f\n' "$stage" "$(echo "$a/$b" | bc -l)"
    else
      printf '  %-10s    n/a (under 0.1 ms at 10k)\n' "$stage"
    fi
  done
fi
