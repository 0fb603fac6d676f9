#!/usr/bin/env bash
# Makes a fresh clone runnable, idempotently: Debian packages, Node.js 24 (from the npm
# registry when the machine's is older), npm packages, the mediasoup worker (built from
# source, cached), the client bundle. Each step is skipped when its result is already there,
# so `npm start` and `npm test` can run it every time in a few seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# One setup at a time per checkout: `npm start` and `npm test` started together would otherwise
# run two `npm ci`s or two worker builds into the same directories.
exec 9<scripts/setup.sh
flock 9

# What the worker build, the tests (Redis, coturn, openssl, Chromium with Chinese fonts) and the
# product (ffmpeg for the live HLS stream and the recording) need from Debian.
APT_PACKAGES=(g++ make pkg-config python3 meson ninja-build flatbuffers-compiler libssl-dev libuv1-dev
  libabsl-dev libflatbuffers-dev libsrtp2-dev chromium fonts-wqy-microhei redis-server coturn openssl ffmpeg)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: install them as root, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
fi

# Node.js 24 first on PATH from here on (npm ci builds native addons for it).
# shellcheck source=node-env.sh
source scripts/node-env.sh
wsl_node_env
echo "setup: node $("$WSL_NODE" --version) ($WSL_NODE)"

# npm packages: reinstall when package-lock.json changed since the last install, or when the
# Node.js they were installed for is another one (native addons are built per Node ABI).
stamp=node_modules/.package-lock.json
node_stamp=node_modules/.wsl-node
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ "$(cat "$node_stamp" 2>/dev/null)" != "$("$WSL_NODE" --version)" ]; then
  echo "setup: installing npm packages"
  # The worker is built below; mediasoup's own postinstall would try to download one (npm 11
  # skips it through package.json's allowScripts; this covers older npm too).
  MEDIASOUP_WORKER_BIN=/nonexistent npm ci --no-audit --no-fund
  "$WSL_NODE" --version >"$node_stamp"
fi

bash scripts/mediasoup-worker/build.sh

# The client bundle: rebuilt when any client source is newer than the last build.
bundle=dist/client/index.html
if [ ! -f "$bundle" ] || [ -n "$(find client signaling vite.config.ts package-lock.json -newer "$bundle" -type f -print -quit)" ]; then
  echo "setup: building the client"
  npx vite build --logLevel warn
fi
echo "setup: ready"
