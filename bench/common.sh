# Shared set-up of the bench scripts; sourced, not run. Each script sets `build` (and, for the
# mock, `tokens`) before calling these.

# Exits with a hint when a program is missing.
require_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (build first; run scripts/setup.sh)" >&2; exit 1; }
  done
}

# $work: a temporary folder removed at exit, with every process in $pids killed first.
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The port a process listens on, once it does (bounded wait: 5 min, for servers under valgrind).
port_of() {
  local port
  for _ in $(seq 1 1200); do
    port=$(ss -Hltnp 2>/dev/null | awk -v pid="pid=$1," '$0 ~ pid {n=split($4,a,":"); print a[n]; exit}')
    [[ -n "$port" ]] && { echo "$port"; return 0; }
    sleep 0.25
  done
  echo "no listening port for pid $1" >&2; return 1
}

# Starts voipsim-bench-mock (behind the command prefix given, e.g. taskset or valgrind) with a
# strict registry of $tokens; it writes its PKI, uris.txt and jwt.txt to $work/mock. Sets
# mock_pid, mock_port and mock_rss_kib (resident memory once started).
start_bench_mock() {
  mkdir "$work/mock"
  "$@" "$build/bin/voipsim-bench-mock" --dir "$work/mock" --tokens "$tokens" --uris 1000 ${MOCK_ARGS:-} \
    >"$work/mock.log" 2>&1 &
  mock_pid=$!; pids+=("$mock_pid")
  for _ in $(seq 1 1200); do grep -q '^listening on' "$work/mock.log" && break; sleep 0.25; done
  grep -q '^listening on' "$work/mock.log" || { echo "the mock did not start:" >&2; cat "$work/mock.log" >&2; exit 1; }
  mock_port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/mock.log")
  mock_rss_kib=$(sed -n 's/.*rss_kib=\([0-9]*\).*/\1/p' "$work/mock.log")
}

# Starts nghttpd (behind the prefix given) serving an empty file at every path of the mock's
# uris.txt, with the mock's certificate, so both answer the same requests 200. Sets ref_pid and
# ref_port.
start_nghttpd_on_mock_paths() {
  mkdir -p "$work/htdocs"
  while read -r path; do mkdir -p "$work/htdocs$(dirname "$path")"; : > "$work/htdocs$path"; done <"$work/mock/uris.txt"
  "$@" nghttpd -a 127.0.0.1 -n 1 -d "$work/htdocs" 0 "$work/mock/server.key" "$work/mock/server.pem" \
    >"$work/nghttpd.log" 2>&1 &
  ref_pid=$!; pids+=("$ref_pid")
  ref_port=$(port_of "$ref_pid")
}

# h2load sending valid VoIP pushes (token auth) over the mock's paths to 127.0.0.1:PORT:
#   voip_pushes PORT [h2load options...]; prints h2load's report. h2load runs behind the command
# prefix in the h2load_prefix array (e.g. taskset -c 1), if set.
h2load_prefix=()
voip_pushes() {
  local port=$1; shift
  [[ -f "$work/body.json" ]] || printf '{"aps":{},"call":"bench"}' >"$work/body.json"
  sed "s|^|https://127.0.0.1:$port|" "$work/mock/uris.txt" >"$work/uris-$port.txt"
  "${h2load_prefix[@]}" h2load "$@" -t 1 -i "$work/uris-$port.txt" -d "$work/body.json" \
    -H "authorization: bearer $(cat "$work/mock/jwt.txt")" -H "apns-push-type: voip" \
    -H "apns-topic: com.example.imapp.voip" -H "apns-priority: 10" -H "apns-expiration: 0"
}
