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

mock_bin="$build/bin/voipsim-bench-mock"
for tool in "$mock_bin" h2load nghttpd valgrind callgrind_control ss; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (build first; run scripts/setup.sh)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port_of() { # the TCP port a process listens on
  local port=""
  for _ in $(seq 1 1200); do
    port=$(ss -Hltnp 2>/dev/null | awk -v pid="pid=$1," '$0 ~ pid {n=split($4,a,":"); print a[n]; exit}')
    [[ -n "$port" ]] && break; sleep 0.25
  done
  [[ -n "$port" ]] || { echo "pid $1 did not start listening" >&2; exit 1; }
  echo "$port"
}

# Both servers run under callgrind, uninstrumented (fast) until the measured run.
mkdir "$work/mock"
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/mock.cg" \
  "$mock_bin" --dir "$work/mock" --tokens "$tokens" --uris 1000 >"$work/mock.log" 2>&1 &
mock_pid=$!; pids+=("$mock_pid")
for _ in $(seq 1 1200); do grep -q '^listening on' "$work/mock.log" && break; sleep 0.25; done
grep -q '^listening on' "$work/mock.log" || { echo "the mock did not start:" >&2; cat "$work/mock.log" >&2; exit 1; }
mock_port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/mock.log")

mkdir -p "$work/htdocs"
while read -r path; do mkdir -p "$work/htdocs$(dirname "$path")"; : > "$work/htdocs$path"; done <"$work/mock/uris.txt"
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/ref.cg" \
  nghttpd -a 127.0.0.1 -n 1 -d "$work/htdocs" 0 "$work/mock/server.key" "$work/mock/server.pem" \
  >"$work/nghttpd.log" 2>&1 &
ref_pid=$!; pids+=("$ref_pid")
ref_port=$(port_of "$ref_pid")

printf '{"aps":{},"call":"bench"}' >"$work/body.json"
jwt=$(cat "$work/mock/jwt.txt")
load() { # port n: valid VoIP pushes over the mock's 1000 paths
  sed "s|^|https://127.0.0.1:$1|" "$work/mock/uris.txt" >"$work/uris.txt"
  h2load -n "$2" -c 4 -m 100 -t 1 -i "$work/uris.txt" -d "$work/body.json" \
    -H "authorization: bearer $jwt" -H "apns-push-type: voip" -H "apns-topic: com.example.imapp.voip" \
    -H "apns-priority: 10" -H "apns-expiration: 0" | awk '/^status codes:/ {print $3}'
}

# Instructions of one measured run: warm up uncounted, then count exactly the measured load.
count() { # pid port -> "<instructions> <2xx>"
  load "$2" 2000 >/dev/null
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
