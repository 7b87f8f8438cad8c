#!/usr/bin/env bash
# Quick start, second command: installs what is missing, builds, and runs the whole test suite.
# --sanitize address|thread runs it in a sanitizer build instead (own build directory).
# The output ends with CTest's summary; the exit status is CTest's.
#
# usage: scripts/test.sh [--sanitize address|thread] [extra ctest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."

build_args=()
if [[ "${1:-}" == --sanitize ]]; then build_args=(--sanitize "$2"); shift 2; fi
if [[ "${1:-}" == --sanitize=* ]]; then build_args=("$1"); shift; fi

scripts/setup.sh
dir=$(scripts/build.sh "${build_args[@]}")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
exec ctest --test-dir "$dir" -j2 --output-on-failure "$@"
