# Sourced by setup.sh and run.sh: puts the Node.js the product runs on first on PATH.
#
# The product runs on Node.js 24 LTS. Debian 12 ships Node 18 and many machines carry 20, both
# past their end of life, so when the machine's own `node` is older the setup brings the
# official Node.js binary from the npm registry (the `node-linux-<arch>` packages carry it,
# with its headers) and keeps it in the cache beside the mediasoup worker. Native addons
# (better-sqlite3) are then compiled against those headers (npm_config_nodedir), not against
# whatever Node the machine's npm is configured for.
#
# Exports WSL_NODE (the node binary in use). Needs bash and, for the first download, npm.

WSL_NODE_MAJOR=24
# The exact release fetched when the machine has no Node ${WSL_NODE_MAJOR}; a newer one on the
# machine is used as it is.
WSL_NODE_VERSION=24.22.3

wsl_node_env() {
  local machine_major
  machine_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$machine_major" -ge "$WSL_NODE_MAJOR" ] 2>/dev/null; then
    WSL_NODE="$(command -v node)"
    export WSL_NODE
    return 0
  fi

  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "setup: no Node.js ${WSL_NODE_MAJOR} package for $(uname -m); install Node.js ${WSL_NODE_MAJOR} yourself" >&2; return 1 ;;
  esac
  local cache_dir="${WSL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wei-shangliang}"
  local home="$cache_dir/node-v$WSL_NODE_VERSION-linux-$arch"

  if [ ! -x "$home/bin/node" ]; then
    if ! command -v npm >/dev/null; then
      echo "setup: npm is needed once to fetch Node.js ${WSL_NODE_VERSION} (apt-get install -y npm)" >&2
      return 1
    fi
    echo "setup: fetching Node.js ${WSL_NODE_VERSION} from the npm registry (node-linux-$arch)"
    local tmp
    tmp="$(mktemp -d "${TMPDIR:-/tmp}/wsl-node.XXXXXX")"
    if ! (cd "$tmp" && npm pack "node-linux-$arch@$WSL_NODE_VERSION" --silent >/dev/null && tar xzf node-linux-*.tgz); then
      rm -rf "$tmp"
      echo "setup: could not fetch node-linux-$arch@$WSL_NODE_VERSION from the npm registry" >&2
      return 1
    fi
    mkdir -p "$cache_dir"
    rm -rf "$home.tmp"
    mv "$tmp/package" "$home.tmp"
    rm -rf "$tmp"
    # Checked before it is kept, so a broken download is never cached.
    if ! "$home.tmp/bin/node" -e 'process.exit(0)'; then
      rm -rf "$home.tmp"
      echo "setup: the fetched Node.js does not run on this machine" >&2
      return 1
    fi
    rm -rf "$home"
    mv "$home.tmp" "$home"
  fi

  export PATH="$home/bin:$PATH"
  # node-gyp builds addons against these headers (a machine-wide `nodedir` may name another Node's).
  export npm_config_nodedir="$home"
  WSL_NODE="$home/bin/node"
  export WSL_NODE
}
