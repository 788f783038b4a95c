#!/bin/sh
# Runs one fuzz target, seeded with the real guide it reads.
# Usage: fuzz/run.sh <target> [seconds]   e.g. fuzz/run.sh parse_top_200 600
# The corpus (fuzz/corpus/<target>/), crashes and libFuzzer's log
# (fuzz/artifacts/<target>/, log in fuzz-0.log there) are not committed.
set -eu
target=$1
seconds=${2:-600}
fuzz=$(cd "$(dirname "$0")" && pwd)
cd "$fuzz"
case $target in
    parse_study_guide) seed=../content/sources/study-guide.txt ;;
    parse_top_200) seed=../content/sources/top-200.txt ;;
    parse_scenarios) seed=../content/sources/scenarios.txt ;;
    parse_deep_dive) seed=../content/sources/deep-dive.txt ;;
    parse_top_50) seed=../content/sources/top-50.txt ;;
    parse_canonical_yaml) seed=../tests/fixtures/canonical-example/python-extras.yaml ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac
mkdir -p "corpus/$target" "artifacts/$target"
cp "$seed" "corpus/$target/seed-$(basename "$seed")"
# With -jobs, libFuzzer logs to ./fuzz-0.log: run in the target's own folder
# so that two targets can run side by side.
cd "artifacts/$target"
exec cargo +nightly fuzz run --fuzz-dir "$fuzz" "$target" "$fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=131072 -jobs=1 -workers=1 \
    -print_final_stats=1
