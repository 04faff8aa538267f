#!/usr/bin/env bash
# run-tests.sh BUNDLE MATRIX SERVICE...: the whole test suite of the test bundle BUNDLE (the
# built .xctest executable), as `make test` runs it under leak-watch.sh and supervise.py. The
# bundle runs itself (Swift Testing's own entry point), not through `swift test`, whose
# start-up reads the package. NO_COLOR keeps Swift Testing's console output plain in the logs,
# which are for people: nothing parses them.
#   1. Every test but the keyring matrix, in a private session with gnome-keyring and the
#      stand-in notification server (keyring-session.sh --notifications).
#   2. The keyring matrix (MATRIX: an extended regular expression over test names) once per
#      SERVICE (gnome-keyring, keepassxc, kwallet), each in its own private session (with
#      the notification server too: the refresher's tests want it).
# All of them run at once: the sessions share nothing, and most of the tests' time is spent
# waiting (on prompts' bounds, git, the emulator), so on two cores they end sooner together
# (98 s here, against 344 s one after another in a CI run of 2026-11-25) and the suite runs
# on a machine as busy as its own tests make it. Each part's log is shown when all have ended.
# Each bundle run writes Swift Testing's event stream (JSON lines, ABI version 0) to its own
# file in $SUPERVISE_EVENT_STREAMS (set by supervise.py, which reads them at its deadline to
# name the tests still running) or, without it, in a directory of its own; the counts below
# come from those streams (supervise.py --tally), never from the console text.
# A service whose session cannot start fails the run (keyring-session.sh exits 90-99), and
# so does a matrix run that did not run every test the matrix selects from `--list-tests`, or
# skipped one: no service can silently drop out. Exit status: 0 when every part passed, else 1.
set -u
started=$(date +%s)
# Seconds since the run started, for the log.
at() { echo "$(($(date +%s) - started)) s"; }
[ $# -ge 3 ] || { echo "usage: run-tests.sh BUNDLE MATRIX SERVICE..." >&2; exit 2; }
bundle=$1 matrix=$2
shift 2
[ -x "$bundle" ] || { echo "run-tests: no test bundle at $bundle (swift build --build-tests)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
session=$here/keyring-session.sh
tally=$here/supervise.py
log=$(mktemp -d "${TMPDIR:-/tmp}/azdo-run-tests.XXXXXX") || exit 2
trap 'rm -rf "$log"' EXIT
events=${SUPERVISE_EVENT_STREAMS:-$log}
failed=0
# swift_testing NAME: $run = the bundle run by Swift Testing, its event stream in $events/NAME.jsonl.
# Under leak-watch.sh, which scans files only once everything has ended, the files of the
# keyring session it runs in (daemons' logs and data, the notifications) are first copied
# to $LEAK_WATCH_KEEP/NAME: keyring-session.sh removes its directory when it ends.
swift_testing() {
  run=(env NO_COLOR=1 "$bundle" --testing-library swift-testing
    --event-stream-output-path "$events/$1.jsonl" --event-stream-version 0)
  # shellcheck disable=SC2016 # expanded by the bash that runs it
  [ -z "${LEAK_WATCH_KEEP:-}" ] || run=(bash -c '"$@"; status=$?
    [ -n "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" ] && mkdir -p "$LEAK_WATCH_KEEP/$0" && cd "$GIT_CREDENTIAL_AZDO_TEST_KEYRING" &&
      find . -type f -exec cp --parents -t "$LEAK_WATCH_KEEP/$0" {} +
    exit $status' "$1" "${run[@]}")
}

swift_testing list
"${run[@]}" --list-tests >/dev/null 2>&1
read -r expected _ <<<"$("$tally" --tally "$events/list.jsonl" "$events/list.jsonl" "$matrix" 2>/dev/null)"
if [ "${expected:-0}" -eq 0 ]; then
  echo "run-tests: the keyring matrix '$matrix' matches no test (or $bundle --list-tests failed)" >&2
  exit 1
fi

echo "run-tests: every test but the keyring matrix, against gnome-keyring (at $(at))" >&2
swift_testing main
"$session" --service gnome-keyring --notifications "${run[@]}" --skip "$matrix" > "$log/main" 2>&1 &
main=$!

declare -A pids
for service in "$@"; do
  echo "run-tests: the keyring matrix ($expected tests) against $service (at $(at))" >&2
  swift_testing "$service"
  "$session" --service "$service" --notifications "${run[@]}" --filter "$matrix" > "$log/$service" 2>&1 &
  pids[$service]=$!
done
for service in "$@"; do
  wait "${pids[$service]}"
  status=$?
  cat "$log/$service"
  # "EXPECTED RAN SKIPPED FAILED"; the tests not run, skipped or failed are named on stderr.
  counts=$("$tally" --tally "$events/$service.jsonl" "$events/list.jsonl" "$matrix")
  tallied=$?
  read -r _ ran skipped tests_failed <<<"$counts"
  if [ "$status" -ne 0 ] || [ "$tallied" -ne 0 ] || [ "${ran:-0}" -ne "$expected" ] || [ "${skipped:-0}" -ne 0 ]; then
    echo "run-tests: FAIL keyring matrix on $service: exit $status, ran ${ran:-0} of $expected tests," \
      "${skipped:-?} skipped, ${tests_failed:-?} failed (at $(at))" >&2
    failed=1
  else
    echo "run-tests: keyring matrix on $service: all $expected tests passed (at $(at))" >&2
  fi
done
wait "$main"
status=$?
cat "$log/main"
read -r planned ran skipped tests_failed <<<"$("$tally" --tally "$events/main.jsonl")"
counts="${ran:-?} of ${planned:-?} tests ran, ${skipped:-?} skipped, ${tests_failed:-?} failed"
# A --skip that matched everything would pass on its exit status alone.
if [ "$status" -eq 0 ] && [ "${ran:-0}" -gt 0 ] && [ $((${ran:-0} + ${skipped:-0})) -ge "${planned:-1}" ]; then
  echo "run-tests: every test but the keyring matrix passed: $counts (at $(at))" >&2
else
  echo "run-tests: FAIL every test but the keyring matrix: exit $status; $counts (at $(at))" >&2
  failed=1
fi
exit "$failed"
