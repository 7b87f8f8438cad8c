#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then an outside project (tests/install/consumer)
# that finds it with find_package(voipsim) and runs a GoogleTest on voipsim::mock_apns_testing;
# the installed voipsim runs a scenario from the installed library (issue #22).
# usage: install_test.sh BUILD_DIR SOURCE_DIR [CXX_FLAGS]
set -euo pipefail
build=$1 source=$2 flags=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
for f in bin/voipsim include/voipsim/mock_apns/testing/mock_apns_test.hpp \
         lib/cmake/voipsim/voipsimConfig.cmake share/voipsim/scenarios/README.md \
         share/voipsim/docs/clients.md share/voipsim/docs/mock_apns.md; do
  [[ -e "$work/prefix/$f" ]] || { echo "not installed: $f" >&2; exit 1; }
done
[[ $(ls "$work/prefix/share/voipsim/docs/spec" | wc -l) -ge 4 ]] || { echo "the spec is not installed" >&2; exit 1; }
"$work/prefix/bin/voipsim" --version
scenario=$(ls "$work/prefix/share/voipsim/scenarios/flows/"*.yaml | head -1)
"$work/prefix/bin/voipsim" run --quiet "$scenario"

# The user's project: its own build, only the prefix in common with this tree.
cmake -S "$source/tests/install/consumer" -B "$work/consumer" -G Ninja \
      -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="$flags" \
      -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer_test"
