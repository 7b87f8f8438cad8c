#!/usr/bin/env bash
# Configures and builds one configuration: build/ (plain), build-address/ (ASan+UBSan) or
# build-thread/ (TSan). Used by demo.sh and test.sh; prints the build directory last.
#
# usage: scripts/build.sh [--sanitize address|thread]
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sanitize) sanitize=$2; shift 2 ;;
    --sanitize=*) sanitize=${1#*=}; shift ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$sanitize" in ""|address|thread) ;; *) echo "build.sh: --sanitize takes address or thread" >&2; exit 2 ;; esac

# ccache keys on paths relative to the checkout (and not on the build folder's absolute path), so
# clones in other folders, CI's included, share its entries.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

dir=build${sanitize:+-$sanitize}
# Sanitizer builds leave out the benchmark drivers: nothing runs them there.
bench=ON; [[ -n "$sanitize" ]] && bench=OFF
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVOIPSIM_SANITIZE="$sanitize" \
  -DVOIPSIM_BUILD_BENCH=$bench >/dev/null
cmake --build "$dir" -j2 >&2
echo "$dir"
