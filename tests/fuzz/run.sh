#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time and prints its exec count.
#
# usage: tests/fuzz/run.sh TARGET [SECONDS] (default 60)
#   TARGET: provider_token certificate push_request apns_file scenario_loader admin_json
#           pipeline_api json_object
#
# Builds with clang in build-fuzz/ (ASan+UBSan, coverage for libFuzzer), starts from the seeds
# (checked-in files; certificates made on the spot for certificate), keeps the grown corpus in
# build-fuzz/corpus/TARGET and any crashing input in build-fuzz/findings/TARGET.
set -euo pipefail
script=$(realpath "$0")
cd "$(dirname "$script")/../.."

target=${1:-}
seconds=${2:-60}
case "$target" in
  provider_token|certificate|push_request|apns_file|scenario_loader|admin_json|pipeline_api|json_object) ;;
  *) sed -n '2,10p' "$script" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

scripts/setup.sh --fuzz
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVOIPSIM_FUZZ=ON \
  -DVOIPSIM_BUILD_TESTS=OFF -DVOIPSIM_BUILD_BENCH=OFF >/dev/null
mkdir -p build-fuzz
if ! cmake --build build-fuzz --target "fuzz_$target" fuzz_seed_certificates -j2 >build-fuzz/build.log 2>&1; then
  echo "fuzz_$target: the clang build failed; last lines of build-fuzz/build.log:" >&2
  grep -E "error|FAILED" build-fuzz/build.log | head -20 >&2
  exit 1
fi

corpus=build-fuzz/corpus/$target findings=build-fuzz/findings/$target
mkdir -p "$corpus" "$findings"
if [[ "$target" == certificate ]]; then
  build-fuzz/bin/fuzz_seed_certificates "$corpus" >/dev/null
else
  cp tests/fuzz/corpus/"$target"/* "$corpus"/
fi
# The scenario library is the loader's best seed.
if [[ "$target" == scenario_loader ]]; then
  find scenarios -name '*.yaml' | while read -r f; do cp "$f" "$corpus/library-$(basename "$f")"; done
fi

# A dictionary of the input's words (JSON field names, paths), where the target has one.
dict=()
if [[ -f tests/fuzz/$target.dict ]]; then dict=(-dict="tests/fuzz/$target.dict"); fi

# JSON and YAML readers also get seeds nested 200,000 levels deep (made here: 400 KB each) and
# room for inputs of 1 MiB, so runs reach the depths that once crashed the mock (issue #26);
# libFuzzer's default length limit keeps to the seeds' size, a few KB.
length=()
case "$target" in
  admin_json|pipeline_api|apns_file|scenario_loader|json_object)
    length=(-max_len=1048576)
    /usr/bin/python3 - "$target" "$corpus" <<'PY'
import sys
target, corpus = sys.argv[1], sys.argv[2]
deep_array = "[" * 200000 + "]" * 200000
deep_object = '{"a":' * 200000 + "1" + "}" * 200000
prefix = {"admin_json": "POST /v1/tokens\n", "pipeline_api": "POST /v1/messages\n"}.get(target, "")
for name, text in (("deep-array", deep_array), ("deep-object", deep_object)):
    with open("%s/%s" % (corpus, name), "w") as f:
        f.write(prefix + text)
PY
    ;;
esac

log=build-fuzz/fuzz_$target.log
set +e
build-fuzz/bin/"fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$findings/" \
  "${dict[@]}" "${length[@]}" "$corpus" >"$log" 2>&1
status=$?
set -e
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
# The deepest nesting among the inputs kept: what the run reached at least.
depth=$(/usr/bin/python3 -c '
import os, sys
def depth(data):
    d = deepest = 0
    in_string = escaped = False
    for c in data:
        if in_string:
            if escaped: escaped = False
            elif c == 92: escaped = True
            elif c == 34: in_string = False
        elif c == 34: in_string = True
        elif c in (91, 123):
            d += 1; deepest = max(deepest, d)
        elif c in (93, 125) and d: d -= 1
    return deepest
print(max((depth(open(os.path.join(sys.argv[1], f), "rb").read()) for f in os.listdir(sys.argv[1])), default=0))
' "$corpus")
if [[ $status -eq 0 ]]; then
  echo "fuzz_$target: $runs runs in $seconds s, no findings (corpus: $(ls "$corpus" | wc -l) inputs, deepest nesting $depth)"
else
  echo "fuzz_$target: FINDING after $runs runs; input saved in $findings/; log: $log" >&2
  tail -40 "$log" >&2
  exit 1
fi
