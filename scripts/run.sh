#!/usr/bin/env bash
# Runs a command with the project's Node.js first on PATH (see node-env.sh), e.g.
#   bash scripts/run.sh tsx server/main.ts
# npm's own scripts use it, so `npm start`, `npm test` and `npm run bench` run on Node 24
# whatever Node started npm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=node-env.sh
source "$here/node-env.sh"
wsl_node_env
export PATH="$here/../node_modules/.bin:$PATH"
exec "$@"
