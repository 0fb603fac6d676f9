#!/usr/bin/env bash
# Builds mediasoup's C++ worker from the npm package's own sources against Debian's libraries.
#
# mediasoup's postinstall downloads a prebuilt worker or, failing that, the sources of its
# dependencies (meson wraps); neither is reachable from a machine that sees only the npm
# registry and Debian's packages. Here every wrap is replaced by a shim in ./subprojects that
# wraps the Debian library, and the DTLS fix in dtls-ktls-ctrl.patch is applied.
#
# The binary is cached under $WSL_CACHE_DIR (default ~/.cache/wei-shangliang), keyed by the
# mediasoup version and the contents of this folder, so a second setup only copies it.
#
# Usage: build.sh [path/to/node_modules/mediasoup]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ms_dir="${1:-$root/node_modules/mediasoup}"
target="$ms_dir/worker/out/Release/mediasoup-worker"

if [ ! -f "$ms_dir/package.json" ]; then
  echo "mediasoup-worker: $ms_dir is not the mediasoup package (run npm ci first)" >&2
  exit 1
fi
version="$(node -p "require('$ms_dir/package.json').version")"
key="$( { echo "$version"; cd "$here" && find . -type f ! -name '*.md' | LC_ALL=C sort | xargs sha256sum; } | sha256sum | cut -c1-16)"
cache_dir="${WSL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wei-shangliang}"
cached="$cache_dir/mediasoup-worker-$version-$key"

install_binary() {
  mkdir -p "$(dirname "$target")"
  cp "$cached" "$target.tmp" && mv "$target.tmp" "$target"
}

if [ -x "$cached" ]; then
  if ! cmp -s "$cached" "$target"; then install_binary; fi
  echo "mediasoup-worker $version: ready ($cached)"
  exit 0
fi

echo "mediasoup-worker $version: building from source (about 4 minutes on 2 cores)…"
build="$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-build.XXXXXX")"
trap 'rm -rf "$build"' EXIT

# Everything but the package's subprojects/*.wrap, which would download (the shims' own
# unordered-dense.wrap only points at a directory that is already there).
for part in "$ms_dir"/worker/*; do
  case "$(basename "$part")" in subprojects|out) ;; *) cp -r "$part" "$build/" ;; esac
done
cp -r "$here/subprojects" "$build/subprojects"
(cd "$build" && patch -p1 --quiet < "$here/dtls-ktls-ctrl.patch")
# Debian 12 ships meson 1.0.1; the build uses nothing from 1.1.
sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" "$build/meson.build"

(
  cd "$build"
  meson setup out --wrap-mode=nodownload --buildtype release -Db_ndebug=true \
    >"$build/setup.log" 2>&1 || { cat "$build/setup.log" >&2; exit 1; }
  # The flatbuffers headers must exist before any worker source compiles.
  meson compile -C out flatbuffers-generator
  meson compile -C out mediasoup-worker
)

mkdir -p "$cache_dir"
cp "$build/out/mediasoup-worker" "$cached.tmp" && mv "$cached.tmp" "$cached"
install_binary
echo "mediasoup-worker $version: built ($cached)"
