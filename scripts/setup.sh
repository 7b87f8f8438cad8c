#!/usr/bin/env bash
# Installs the Debian 12 packages voipsim needs to build, test and benchmark.
# Idempotent and silent when everything is already there; run as root (or with sudo).
# usage: scripts/setup.sh [--fuzz]
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config git
  libnghttp2-dev libboost-dev libssl-dev nlohmann-json3-dev libgtest-dev libgmock-dev
  libsqlite3-dev libyaml-cpp-dev
  openssl curl nghttp2-client nghttp2-server procps libxml2-utils python3-yaml python3-jsonschema
  chromium chromium-driver python3-selenium python3-aioapns
)

# --fuzz adds what tests/fuzz/run.sh needs: clang and its libFuzzer runtime.
[[ "${1:-}" == --fuzz ]] && packages+=(clang libclang-rt-14-dev)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}" >&2
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
  "${as_root[@]}" apt-get update -q >/dev/null
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
