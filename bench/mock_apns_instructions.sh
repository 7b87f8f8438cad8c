#!/usr/bin/env bash
# Instructions per request of the APNs mock and of nghttpd under the same h2load traffic,
# counted by callgrind: unlike seconds, the counts repeat from run to run whatever else the
# machine does, so two builds can be compared to a few per mille. A benchmark, not a test.
#
# usage: bench/mock_apns_instructions.sh [--build DIR] [--requests N] [--tokens N]
set -euo pipefail

build=build requests=20000 tokens=100000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --tokens) tokens=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$(dirname "$0")/common.sh"
require_tools "$build/bin/voipsim-bench-mock" h2load nghttpd valgrind callgrind_control ss

# Both servers run under callgrind, uninstrumented (fast) until the measured run.
start_bench_mock valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/mock.cg"
start_nghttpd_on_mock_paths valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/ref.cg"

load() { # port n: the pushes, printing the number of 2xx answers
  voip_pushes "$1" -n "$2" -c 4 -m 100 | awk '/^status codes:/ {print $3}'
}

# Instructions of one measured run: warm up uncounted, then count exactly the measured load.
# The warm-up fills the mock's journal (10,000 entries) and delivery feed (4096) once: their
# slots keep their strings' buffers after the first lap, and a long run is all later laps.
count() { # pid port -> "<instructions> <2xx>"
  load "$2" 12000 >/dev/null
  callgrind_control -i on "$1" >/dev/null 2>&1
  local ok; ok=$(load "$2" "$requests")
  callgrind_control -d "$1" >/dev/null 2>&1
  callgrind_control -i off "$1" >/dev/null 2>&1
  local total
  total=$(for f in "$3"*; do callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'; done |
          sort -n | tail -1)
  echo "$total $ok"
}

echo "callgrind: $requests valid VoIP pushes (token auth, 1000 tokens of a strict registry of $tokens)," \
  "4 connections x 100 streams, TLS" >&2
read -r ours ours_ok <<<"$(count "$mock_pid" "$mock_port" "$work/mock.cg")"
read -r ref ref_ok <<<"$(count "$ref_pid" "$ref_port" "$work/ref.cg")"
printf '%-10s %18s %14s\n' server "instructions/request" "2xx answers"
awk -v i="$ours" -v n="$requests" -v ok="$ours_ok" 'BEGIN {printf "%-10s %18.0f %14s\n", "mock-apns", i / n, ok "/" n}'
awk -v i="$ref" -v n="$requests" -v ok="$ref_ok" 'BEGIN {printf "%-10s %18.0f %14s\n", "nghttpd", i / n, ok "/" n}'
awk -v a="$ours" -v b="$ref" 'BEGIN {printf "ratio mock/nghttpd: %.2fx instructions per request\n", a / b}'
