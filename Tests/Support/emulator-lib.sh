# emulator-lib.sh: shell functions shared by demo.sh and Benchmarks/refresh-bench.sh.
# Source it after setting `work` (a temp dir) and `bin` (where azdo-emulator and
# git-credential-azdo live); call stop_emulator from the caller's EXIT trap.

emulator_pid=
login_pid=

# start_emulator [GIT_ROOT]: starts azdo-emulator on loopback; sets `base` to its URL.
start_emulator() {
  local args=(--port-file "$work/port")
  rm -f "$work/port"  # a port file left by an earlier run would name a dead port
  [ -n "${1:-}" ] && args+=(--git-root "$1")
  "$bin/azdo-emulator" "${args[@]}" 2>/dev/null &
  emulator_pid=$!
  for _ in $(seq 500); do [ -s "$work/port" ] && break; sleep 0.02; done
  [ -s "$work/port" ] || { echo "the emulator did not start" >&2; return 1; }
  base="http://127.0.0.1:$(cat "$work/port")"
}

stop_emulator() {
  for pid in $login_pid $emulator_pid; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  login_pid= emulator_pid=
}

# emulator_post PATH_AND_QUERY: POST to one of the emulator's control endpoints.
emulator_post() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="POST"))' \
    "$base/_emulator/$1"
}

# emulator_login: `git credential-azdo login`, approving its device code as a person would
# in a browser; its stderr ends up in $work/login.err.
emulator_login() {
  git credential-azdo login --device-code 2> "$work/login.err" &
  login_pid=$!
  for _ in $(seq 500); do grep -q 'enter the code' "$work/login.err" && break; sleep 0.02; done
  code=$(sed -n 's/.*enter the code \([A-Z0-9]*\).*/\1/p' "$work/login.err")
  [ -n "$code" ] || { cat "$work/login.err" >&2; return 1; }
  emulator_post "approve?user_code=$code"
  wait "$login_pid"
  login_pid=
}
