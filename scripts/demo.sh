#!/usr/bin/env bash
# Quick start, first command: installs what is missing, builds, and runs voipsim's main job.
# Until `voipsim demo` exists (the scenario library), the main job is: write a fake Apple PKI
# with `voipsim certs`, then run the transport selftest over TLS with it — the mock's server
# certificate, and a VoIP Services client certificate that the server classifies as APNs does.
# Extra arguments go to the selftest (e.g. --requests 100000 --json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dir=$(scripts/build.sh)
"$dir/bin/voipsim" certs --out "$dir/demo-pki" --bundle-id com.example.imapp --team-id TEAMA12345 \
  --key-id KB00000001 --p12-password demo --force
exec "$dir/bin/voipsim" selftest --tls-dir "$dir/demo-pki" "$@"
