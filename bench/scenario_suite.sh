#!/usr/bin/env bash
# A large suite of scenarios through `voipsim run`: N copies of the library (each scenario file
# under a new name), run with -j 1 and -j 2, wall seconds and CPU seconds of each (issue #21).
# A benchmark, not a test.
#
# usage: bench/scenario_suite.sh [--build DIR] [--scenarios N] [--jobs "1 2"]
set -euo pipefail

build=build scenarios=1000 jobs="1 2"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$(dirname "$0")/common.sh"
require_tools "$build/bin/voipsim"
library="$(dirname "$0")/../scenarios"

# Copies of the library's files, round after round, until there are N: copy-R-FOLDER-FILE.yaml,
# each with `name:` set so that the names stay unique.
mkdir "$work/suite"
mapfile -t files < <(find "$library" -name '*.yaml' | sort)
count=0 round=0
while (( count < scenarios )); do
  round=$((round + 1))
  for f in "${files[@]}"; do
    (( count < scenarios )) || break
    rel=${f#"$library"/}; base=${rel%.yaml}; flat=${base//\//-}
    { echo "name: copy-$round-$flat"; cat "$f"; } > "$work/suite/copy-$round-$flat.yaml"
    count=$((count + 1))
  done
done
echo "suite: $count scenarios ($((round)) rounds of the library's ${#files[@]})"

for j in $jobs; do
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/time" "$build/bin/voipsim" run "$work/suite" --quiet -j "$j" \
    > "$work/out-$j" 2> "$work/err-$j" || { tail -20 "$work/out-$j" >&2; exit 1; }
  end=$(date +%s.%N)
  read -r user sys < "$work/time"
  printf -- '-j %s: %s, wall %.1f s, CPU %.1f s\n' "$j" "$(tail -1 "$work/out-$j" | sed 's/^ *//')" \
    "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)"
done
