#!/usr/bin/env bash
# The tests, after `npm test`'s setup and checks. With arguments (a file, a --project, a -t name
# filter, reporter options), one Vitest run as given. Without, the whole suite in three steps,
# each step one or two Vitest runs:
#   1. side by side: the services tests (real servers, Redis, mediasoup, coturn and ffmpeg but no
#      browser, one file at a time) and the pure unit and client tests (two files at a time);
#   2. the browser tests in Debian's Chromium, one file at a time, with the machine to themselves;
#   3. the project `alone`: two tests that failed beside the browser files (vitest.config.ts,
#      ALONE, says which and why).
# Why the browser tests run by themselves: beside the services tests the 2-core machine ran at a
# load average of 15–19, and two CI runs in a row failed a browser test whose pages had stopped
# answering (main-thread tasks of 1–2 s, then no answer within 5 s: a 2 s phase of the speaking
# countdown never rendered; a phone's join page never appeared in 20 s). One step after the other
# takes about as long (clean-clone runs: 1,183 and 1,190 s, against 1,067–1,268 s side by side):
# side by side, each lane ran at about half its speed alone (services 427 s alone, ~900 s beside).
#
# WSL_TEST_REPORTS=<dir>: each run also writes its JSON report there, as <run>.json
# (.ci/run counts the tests from them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ $# -gt 0 ]; then exec bash scripts/run.sh vitest run "$@"; fi

# The page reports of failed browser tests (test/helpers/browserTest.ts) are of this run only.
rm -f test-output/failed-pages.txt

# One Vitest run of the given projects, as <name>; run in the background, its pid is Vitest's own
# (run.sh execs it).
run_projects() {
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
# Stopped (Ctrl-C, a CI time limit): the runs still going stop with it.
trap 'kill $(jobs -p) 2>/dev/null || true' INT TERM
status=0
run_projects services services &
services=$!
run_projects pure unit client client-mocks &
pure=$!
wait "$services" || status=1
wait "$pure" || status=1
run_projects browser browser &
wait "$!" || status=1
run_projects alone alone &
wait "$!" || status=1
exit "$status"
