#!/usr/bin/env bash
# Writer comparison: for synthetic corpora of 1k, 10k and 100k questions,
# times four ways of producing the same Anki notes, whole process, and
# prints per size the median wall time and median peak RSS of each, then
# the ratios between them.
#   bench/compare.sh [runs]      (default 5 runs per size; SIZES="1000 10000" to pick sizes)
# Per size: `deckc gen-corpus --seed 3`, one `deckc build --format apkg`,
# and bench/export_notes.py dumps the notes deckc wrote (note type, decks,
# guid, fields, tags, deck) to notesN.json. Then, each run, in turn:
#   genanki     bench/genanki_write.py notesN.json (Python, genanki 0.13.1,
#               installed into bench/.venv from bench/requirements.txt)
#   floor       target/release/examples/floor notesN.json (bench/floor.rs:
#               plain rusqlite + zip, one transaction, prepared statements)
#   deckc apkg  deckc build --format apkg: the whole pipeline from the
#               guides' text, only the package
#   deckc all   deckc build: every output
# and, from the deckc apkg runs (`--verbose`), the time deckc's apkg emitter
# alone took inside that process ("apkg emitter"): rendering the notes'
# Markdown to HTML, the collection and the zip, the work genanki and the
# floor do, minus reading the notes (they read notesN.json; deckc has them
# in memory after the pipeline).
# The writers given notesN.json skip what deckc does before writing (parse,
# repair, classify, dedup); the deckc rows include it. Each deckc run starts
# without deck.lock or output folder, as in bench/scale.sh. Once per size,
# every package is checked (export_notes.py --check) to hold the same notes
# as deckc's; the script fails otherwise. genanki 0.13.1 stores its zip
# uncompressed, hence its larger package.
# Needs GNU time at /usr/bin/time and python3. Medians only: the machine may
# be noisy, and time's wall clock has 10 ms steps, so ratios against the
# floor at 1k are coarse.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
sizes=${SIZES:-"1000 10000 100000"}
cargo build --release --quiet --bins --examples
bin=target/release/deckc
floor=target/release/examples/floor
venv=bench/.venv
if ! "$venv/bin/python" -c 'import genanki' 2>/dev/null; then
  [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r bench/requirements.txt
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# genanki leaves its temporary SQLite file behind: keep every writer's
# temporary files in one folder, emptied after each run.
mkdir "$work/tmp"
export TMPDIR="$work/tmp"

median() { sort -g | awk '{a[NR]=$1} END{if(NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# timed NAME CMD...: runs CMD under /usr/bin/time, appends "wall rss_kib" to
# $work/runs.NAME; on failure prints CMD's stderr and stops.
timed() {
  local name=$1
  shift
  if ! /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err"; then
    cat "$work/err" "$work/time" >&2
    echo "compare.sh: $name failed: $*" >&2
    exit 1
  fi
  cat "$work/time" >>"$work/runs.$name"
  rm -rf "${TMPDIR:?}"/*
}

# check NAME APKG NOTES: the package holds the same notes as deckc's.
check() {
  python3 bench/export_notes.py --check "$2" "$3" || { echo "compare.sh: $1 wrote other notes" >&2; exit 1; }
}

writers=(genanki floor deckc-apkg deckc-all)
printf 'nproc %s, load average %s at start\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  content="$work/c$n"
  notes="$work/notes$n.json"
  "$bin" gen-corpus --questions "$n" --seed 3 --out "$content" >/dev/null 2>&1
  rm -rf "$work/ref" "$content/deck.lock"
  "$bin" build --content "$content" --out "$work/ref" --format apkg -q
  ref=("$work"/ref/*.apkg)
  [[ ${#ref[@]} == 1 ]] || { echo "compare.sh: expected one .apkg in deckc's output" >&2; exit 1; }
  python3 bench/export_notes.py "${ref[0]}" "$notes"
  n_notes=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["notes"]))' "$notes")
  rm -f "$work"/runs.*
  declare -A size=()
  for r in $(seq "$runs"); do
    timed genanki "$venv/bin/python" bench/genanki_write.py "$notes" "$work/genanki.apkg"
    timed floor "$floor" "$notes" "$work/floor.apkg"
    for w in deckc-apkg deckc-all; do
      rm -rf "$work/$w" "$content/deck.lock"
      if [[ $w == deckc-apkg ]]; then
        timed "$w" "$bin" build --content "$content" --out "$work/$w" --format apkg --verbose
        awk '$1 == "apkg" && $3 == "ms" {print $2 / 1000}' "$work/err" >>"$work/runs.emitter"
      else
        timed "$w" "$bin" build --content "$content" --out "$work/$w" -q
      fi
    done
    if [[ $r == 1 ]]; then
      for w in "${writers[@]}"; do
        case $w in
          genanki | floor) pkg=("$work/$w.apkg") ;;
          *) pkg=("$work/$w"/*.apkg) ;;
        esac
        [[ ${#pkg[@]} == 1 && -f ${pkg[0]} ]] || { echo "compare.sh: $w wrote no single .apkg" >&2; exit 1; }
        check "$w" "${pkg[0]}" "$notes"
        size[$w]=$(stat -c %s "${pkg[0]}")
      done
    fi
  done
  rm -rf "$content/deck.lock"

  printf '\n%d questions, %d notes (all packages checked: same notes), median of %d runs:\n' "$n" "$n_notes" "$runs"
  printf '  %-11s %10s %14s %10s\n' writer 'wall s' 'peak RSS MiB' 'apkg KiB'
  declare -A wall=() rss=()
  for w in "${writers[@]}"; do
    wall[$w]=$(awk '{print $1}' "$work/runs.$w" | median)
    rss[$w]=$(awk '{print $2}' "$work/runs.$w" | median)
    printf '  %-11s %10.3f %14.1f %10.0f\n' "${w/-/ }" "${wall[$w]}" \
      "$(awk -v k="${rss[$w]}" 'BEGIN{print k/1024}')" "$(awk -v b="${size[$w]}" 'BEGIN{print b/1024}')"
  done
  emitter=$(median <"$work/runs.emitter")
  printf '  %-11s %10.3f %14s %10s\n' 'apkg emitter' "$emitter" '(in deckc apkg)' ''
  printf '  %-24s %8s %8s\n' ratio wall RSS
  printf '  %-24s %8.2f\n' 'genanki / apkg emitter' "$(awk -v x="${wall[genanki]}" -v y="$emitter" 'BEGIN{print (y > 0 ? x/y : "inf")}')"
  printf '  %-24s %8.2f\n' 'apkg emitter / floor' "$(awk -v x="$emitter" -v y="${wall[floor]}" 'BEGIN{print x/y}')"
  for pair in genanki/deckc-apkg genanki/deckc-all deckc-all/floor deckc-apkg/floor; do
    a=${pair%/*} b=${pair#*/}
    printf '  %-24s %8.2f %8.2f\n' "${a/-/ } / ${b/-/ }" \
      "$(awk -v x="${wall[$a]}" -v y="${wall[$b]}" 'BEGIN{print (y > 0 ? x/y : "inf")}')" \
      "$(awk -v x="${rss[$a]}" -v y="${rss[$b]}" 'BEGIN{print x/y}')"
  done
done
printf '\nload average %s at end\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
