#!/usr/bin/env bash
# Makes a fresh clone runnable, idempotently: Debian packages, npm packages, the mediasoup
# worker (built from source, cached), the client bundle. Each step is skipped when its result
# is already there, so `npm start` and `npm test` can run it every time in a few seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# What the worker build, the tests (Redis, Chromium with Chinese fonts) and the
# product need from Debian.
APT_PACKAGES=(g++ make pkg-config python3 meson ninja-build flatbuffers-compiler libssl-dev libuv1-dev
  libabsl-dev libflatbuffers-dev libsrtp2-dev libusrsctp-dev chromium fonts-wqy-microhei redis-server)

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

# npm packages: reinstall when package-lock.json changed since the last install.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi

bash scripts/mediasoup-worker/build.sh

# The client bundle: rebuilt when any client source is newer than the last build.
bundle=dist/client/index.html
if [ ! -f "$bundle" ] || [ -n "$(find client signaling vite.config.ts package-lock.json -newer "$bundle" -type f -print -quit)" ]; then
  echo "setup: building the client"
  npx vite build --logLevel warn
fi
echo "setup: ready"
