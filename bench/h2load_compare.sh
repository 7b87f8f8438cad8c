#!/usr/bin/env bash
# Runs h2load against voipsim's HTTP/2 server (trivial 200 handler) and against nghttpd in the
# same run, over TLS, and prints both request rates, their ratio and each server's CPU time per
# request read from /proc. A benchmark, not a test: numbers depend on the machine and its load.
#
# usage: bench/h2load_compare.sh [--build DIR] [--requests N] [--clients N] [--streams N] [--rounds N]
set -euo pipefail

build=build requests=400000 clients=4 streams=100 rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

server_bin="$build/bin/voipsim-bench-server"
source "$(dirname "$0")/common.sh"
require_tools "$server_bin" h2load nghttpd openssl taskset ss

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
mkdir "$work/htdocs" && : > "$work/htdocs/index.html"

# Servers on CPU 0, h2load on CPU 1: one core each, both single-threaded.
taskset -c 0 "$server_bin" --cert "$work/cert.pem" --key "$work/key.pem" --threads 1 >"$work/ours.log" 2>&1 &
ours_pid=$!; pids+=("$ours_pid")
taskset -c 0 nghttpd -a 127.0.0.1 -n 1 -d "$work/htdocs" 0 "$work/key.pem" "$work/cert.pem" >"$work/nghttpd.log" 2>&1 &
ref_pid=$!; pids+=("$ref_pid")
ours_port=$(port_of "$ours_pid"); ref_port=$(port_of "$ref_pid")

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# One h2load run: prints "<req/s> <cpu µs per request> <succeeded>".
measure() {
  local pid=$1 port=$2 n=$3 before after out
  before=$(cpu_ticks "$pid")
  out=$(taskset -c 1 h2load -n "$n" -c "$clients" -m "$streams" -t 1 "https://127.0.0.1:$port/")
  after=$(cpu_ticks "$pid")
  local rate ok
  rate=$(awk '/^finished in/ {gsub(",", "", $4); print $4}' <<<"$out")
  ok=$(awk '/^requests:/ {print $8}' <<<"$out")
  awk -v r="$rate" -v b="$before" -v a="$after" -v t="$ticks" -v n="$n" -v ok="$ok" \
    'BEGIN {printf "%.0f %.2f %d\n", r, (a - b) / t * 1e6 / n, ok}'
}

echo "h2load: $requests requests, $clients connections x $streams streams, TLS, 1 thread; $rounds rounds" >&2
measure "$ours_pid" "$ours_port" 20000 >/dev/null # warm-up
measure "$ref_pid" "$ref_port" 20000 >/dev/null
: > "$work/ours.txt"; : > "$work/ref.txt"
for r in $(seq 1 "$rounds"); do
  measure "$ours_pid" "$ours_port" "$requests" >>"$work/ours.txt"
  measure "$ref_pid" "$ref_port" "$requests" >>"$work/ref.txt"
  echo "  round $r/$rounds done" >&2
done

# Medians over the rounds.
median() { sort -n -k"$2" "$1" | awk -v k="$2" '{v[NR]=$k} END {print v[int((NR+1)/2)]}'; }
ours_rate=$(median "$work/ours.txt" 1); ref_rate=$(median "$work/ref.txt" 1)
ours_cpu=$(median "$work/ours.txt" 2); ref_cpu=$(median "$work/ref.txt" 2)
ours_ok=$(awk '{s+=$3} END {print s}' "$work/ours.txt"); ref_ok=$(awk '{s+=$3} END {print s}' "$work/ref.txt")

printf '%-10s %12s %16s %12s\n' server "requests/s" "CPU µs/request" succeeded
printf '%-10s %12s %16s %12s\n' voipsim "$ours_rate" "$ours_cpu" "$ours_ok"
printf '%-10s %12s %16s %12s\n' nghttpd "$ref_rate" "$ref_cpu" "$ref_ok"
awk -v a="$ours_rate" -v b="$ref_rate" -v c="$ours_cpu" -v d="$ref_cpu" \
  'BEGIN {printf "ratio voipsim/nghttpd: rate %.2fx, CPU per request %.2fx (targets: rate >= 1.0, CPU <= 1.0)\n", a / b, c / d}'
