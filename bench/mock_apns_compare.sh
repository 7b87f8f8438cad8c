#!/usr/bin/env bash
# Valid VoIP pushes with h2load against the APNs mock (strict registry of 1M tokens, full
# validation) and against nghttpd serving the same paths, in the same run; prints both request
# rates, the ratio, each server's CPU time per request, and the mock's resident memory with 1M
# and 10M tokens. A benchmark, not a test: numbers depend on the machine and its load.
#
# usage: bench/mock_apns_compare.sh [--build DIR] [--requests N] [--clients N] [--streams N]
#                                   [--rounds N] [--tokens N] [--skip-10m]
set -euo pipefail

build=build requests=200000 clients=4 streams=100 rounds=3 tokens=1000000 skip_10m=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --tokens) tokens=$2; shift 2 ;;
    --skip-10m) skip_10m=1; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$(dirname "$0")/common.sh"
require_tools "$build/bin/voipsim-bench-mock" h2load nghttpd taskset ss

# The mock and nghttpd on CPU 0, h2load on CPU 1.
start_bench_mock taskset -c 0
start_nghttpd_on_mock_paths taskset -c 0
h2load_prefix=(taskset -c 1)

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# One h2load run: prints "<req/s> <cpu µs per request> <2xx responses>".
measure() {
  local pid=$1 port=$2 n=$3 before after out
  before=$(cpu_ticks "$pid")
  out=$(voip_pushes "$port" -n "$n" -c "$clients" -m "$streams")
  after=$(cpu_ticks "$pid")
  local rate ok
  rate=$(awk '/^finished in/ {gsub(",", "", $4); print $4}' <<<"$out")
  ok=$(awk '/^status codes:/ {print $3}' <<<"$out")
  awk -v r="$rate" -v b="$before" -v a="$after" -v t="$ticks" -v n="$n" -v ok="$ok" \
    'BEGIN {printf "%.0f %.2f %d\n", r, (a - b) / t * 1e6 / n, ok}'
}

echo "h2load: $requests valid VoIP pushes per round (token auth, 1000 tokens of a strict registry of $tokens)," \
  "$clients connections x $streams streams, TLS, 1 thread; $rounds rounds" >&2
measure "$mock_pid" "$mock_port" 20000 >/dev/null # warm-up
measure "$ref_pid" "$ref_port" 20000 >/dev/null
: > "$work/ours.txt"; : > "$work/ref.txt"
for r in $(seq 1 "$rounds"); do
  measure "$mock_pid" "$mock_port" "$requests" >>"$work/ours.txt"
  measure "$ref_pid" "$ref_port" "$requests" >>"$work/ref.txt"
  echo "  round $r/$rounds done" >&2
done

median() { sort -n -k"$2" "$1" | awk -v k="$2" '{v[NR]=$k} END {print v[int((NR+1)/2)]}'; }
ours_rate=$(median "$work/ours.txt" 1); ref_rate=$(median "$work/ref.txt" 1)
ours_cpu=$(median "$work/ours.txt" 2); ref_cpu=$(median "$work/ref.txt" 2)
ours_ok=$(awk '{s+=$3} END {print s}' "$work/ours.txt"); ref_ok=$(awk '{s+=$3} END {print s}' "$work/ref.txt")

printf '%-10s %12s %16s %14s\n' server "requests/s" "CPU µs/request" "2xx answers"
printf '%-10s %12s %16s %14s\n' mock-apns "$ours_rate" "$ours_cpu" "$ours_ok/$((requests * rounds))"
printf '%-10s %12s %16s %14s\n' nghttpd "$ref_rate" "$ref_cpu" "$ref_ok/$((requests * rounds))"
awk -v a="$ours_rate" -v b="$ref_rate" -v c="$ours_cpu" -v d="$ref_cpu" \
  'BEGIN {printf "ratio mock/nghttpd: rate %.2fx, CPU per request %.2fx (targets: rate >= 1.0, CPU <= 1.5)\n", a / b, c / d}'

kill "$mock_pid" "$ref_pid" 2>/dev/null || true
echo "resident memory of the mock: $tokens tokens $((mock_rss_kib / 1024)) MiB (with the server started)"
if [[ $skip_10m -eq 0 ]]; then
  line=$("$build/bin/voipsim-bench-mock" --memory-only --tokens 10000000)
  echo "resident memory of the mock: 10000000 tokens $(( ${line##*rss_kib=} / 1024 )) MiB (target <= 1024)"
fi
