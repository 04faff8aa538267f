#!/usr/bin/env bash
# run-tests.sh BUNDLE MATRIX SERVICE...: the whole test suite of the test bundle BUNDLE (the
# built .xctest executable), as `make test` runs it under leak-watch.sh and supervise.py. The
# bundle runs itself (Swift Testing's own entry point), not through `swift test`, whose
# start-up (reading the package) took 20 s a run under leak-watch's strace. NO_COLOR keeps
# Swift Testing's output plain in the logs.
#   1. Every test but the keyring matrix, in a private session with gnome-keyring and the
#      stand-in notification server (keyring-session.sh --notifications).
#   2. The keyring matrix (MATRIX: an extended regular expression over test names) once per
#      SERVICE (gnome-keyring, keepassxc, kwallet), each in its own private session (with
#      the notification server too: the refresher's tests want it).
# All of them run at once: the sessions share nothing, and most of the tests' time is spent
# waiting (on prompts' bounds, git, the emulator), so on two cores they end sooner together
# (220 s here, against 344 s one after another in a CI run) and the suite runs on a machine
# as busy as its own tests make it. Each part's log is shown when all have ended.
# A service whose session cannot start fails the run (keyring-session.sh exits 90-99), and
# so does a matrix run that ran fewer tests than the matrix lists or skipped one: no service
# can silently drop out. Exit status: 0 when every part passed, else 1.
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
log=$(mktemp "${TMPDIR:-/tmp}/azdo-run-tests.XXXXXX") || exit 2
trap 'rm -f "$log" "$log".*' EXIT
failed=0

expected=$("$bundle" --testing-library swift-testing --list-tests 2>/dev/null | grep -cE "$matrix")
if [ "$expected" -eq 0 ]; then
  echo "run-tests: the keyring matrix '$matrix' matches no test" >&2
  exit 1
fi

echo "run-tests: every test but the keyring matrix, against gnome-keyring (at $(at))" >&2
"$session" --service gnome-keyring --notifications env NO_COLOR=1 "$bundle" --testing-library swift-testing \
  --skip "$matrix" > "$log.main" 2>&1 &
main=$!

declare -A pids
for service in "$@"; do
  echo "run-tests: the keyring matrix ($expected tests) against $service (at $(at))" >&2
  "$session" --service "$service" --notifications env NO_COLOR=1 "$bundle" --testing-library swift-testing \
    --filter "$matrix" > "$log.$service" 2>&1 &
  pids[$service]=$!
done
for service in "$@"; do
  wait "${pids[$service]}"
  status=$?
  cat "$log.$service"
  ran=$(sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .*/\1/p' "$log.$service" | tail -n1)
  skipped=$(grep -c ' skipped' "$log.$service")
  rm -f "$log.$service"
  if [ "$status" -ne 0 ] || [ "${ran:-0}" -ne "$expected" ] || [ "$skipped" -ne 0 ]; then
    echo "run-tests: FAIL keyring matrix on $service: exit $status, ran ${ran:-0} of $expected tests," \
      "$skipped skipped (at $(at))" >&2
    failed=1
  else
    echo "run-tests: keyring matrix on $service: all $expected tests passed (at $(at))" >&2
  fi
done
if wait "$main"; then
  cat "$log.main"
  echo "run-tests: every test but the keyring matrix passed (at $(at))" >&2
else
  cat "$log.main"
  echo "run-tests: FAIL every test but the keyring matrix (at $(at))" >&2
  failed=1
fi
exit "$failed"
