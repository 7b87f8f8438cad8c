#!/usr/bin/env bash
# Quick start, first command: installs what is missing, builds, and runs voipsim's main job.
# Until `voipsim demo` exists (the scenario library), the main job is the transport selftest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dir=$(scripts/build.sh)
exec "$dir/bin/voipsim" selftest "$@"
