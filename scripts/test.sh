#!/usr/bin/env bash
# The tests, after `npm test`'s setup and checks. With arguments (a file, a --project, a -t name
# filter, reporter options), one Vitest run as given. Without, the whole suite in two lanes side
# by side, each a Vitest run of its own:
#   services  the tests with real servers, Redis, mediasoup, coturn and ffmpeg but no browser,
#             one file at a time;
#   rest      the pure unit and client tests (two files at a time), then the browser tests in
#             Debian's Chromium, one file at a time.
# Then, with the machine to itself, the project `alone`: two tests that failed beside the
# browser files (vitest.config.ts, ALONE, says which and why).
# The lanes sum to about the same time, so they end together.
# Why two lanes: either lane alone left the 2-core machine a quarter idle, its tests waiting on
# servers, peers and media more than computing; side by side it is about 85% busy, and the
# tests took ~475 s instead of ~700 s one lane after the other (clean-clone runs), every check
# the same; the two tests run by themselves afterwards add ~37 s. Why two runs: Vitest runs the projects of one group with one worker count,
# and the browser files must not run two at a time with each other.
#
# WSL_TEST_REPORTS=<dir>: each run also writes its JSON report there, as <lane>.json
# (.ci/run counts the tests from them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ $# -gt 0 ]; then exec bash scripts/run.sh vitest run "$@"; fi

# The page reports of failed browser tests (test/helpers/browserTest.ts) are of this run only.
rm -f test-output/failed-pages.txt

# Starts one lane in the background; its pid is Vitest's own (run.sh execs it).
lane() {
  local name="$1"
  shift
  local args=()
  for project in "$@"; do args+=(--project "$project"); done
  if [ -n "${WSL_TEST_REPORTS:-}" ]; then
    args+=(--reporter=default --reporter=json "--outputFile.json=$WSL_TEST_REPORTS/$name.json")
  fi
  exec bash scripts/run.sh vitest run "${args[@]}"
}

# client-mocks exists only while some client test replaces a module (vitest.config.ts); a
# --project that matches nothing is ignored while others match.
lane services services &
services=$!
lane rest unit client client-mocks browser &
rest=$!
# Stopped (Ctrl-C, a CI time limit): the runs still going stop with it.
trap 'kill $(jobs -p) 2>/dev/null || true' INT TERM

status=0
wait "$services" || status=1
wait "$rest" || status=1
lane alone alone &
wait "$!" || status=1
exit "$status"
