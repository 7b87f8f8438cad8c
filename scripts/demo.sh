#!/usr/bin/env bash
# Quick start, first command: installs what is missing, builds, and runs voipsim's main job,
# `voipsim demo`: the built-in scenario library (every FAQ failure case of the IM VoIP flow and
# the main flows) replayed with a mock APNs, the IM pipeline and simulated iPhones on a virtual
# clock, ending with a pass/fail table and the folder of its reports.
# Extra arguments go to the demo (e.g. --verbose, --out DIR, --seed N).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dir=$(scripts/build.sh)
exec "$dir/bin/voipsim" demo "$@"
