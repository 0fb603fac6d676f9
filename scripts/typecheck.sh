#!/usr/bin/env bash
# TypeScript over the whole project, and signaling/ again against its own lib (no Node and no
# DOM types). tsc works on one core, so the two checks run side by side; either failing fails.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tsc --noEmit -p signaling/tsconfig.json &
signaling=$!
tsc --noEmit -p tsconfig.json
whole=$?
wait "$signaling"
exit $((whole || $?))
