#!/usr/bin/env bash
# refresh-bench.sh BIN_DIR: a `refresh` pass over 200 stored PATs in 50 organizations
# against the emulator (nothing due: hyperfine median; every organization due: one timed
# pass that regenerates 50 PATs), then the daemon's idle RSS and CPU, and binary sizes.
# BIN_DIR holds git-credential-azdo, git-credential-azdo-lifecycle and azdo-emulator.
# Runs itself inside Tests/Support/keyring-session.sh. Needs hyperfine and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" ]; then
  exec "$here/../Tests/Support/keyring-session.sh" "$0" "$@"
fi
bin=$(readlink -f "${1:?usage: refresh-bench.sh BIN_DIR}")
work=$(mktemp -d "${TMPDIR:-/tmp}/azdo-refresh-bench.XXXXXX")
. "$here/../Tests/Support/emulator-lib.sh"
daemon_pid=
cleanup() { [ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null; stop_emulator; rm -rf "$work"; }
trap cleanup EXIT

start_emulator
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" GIT_CONFIG_NOSYSTEM=1 PATH="$bin:$PATH"
mkdir -p "$HOME"
git config --global azdo.authority "$base"
git config --global azdo.apiUrl "$base"
git config --global azdo.tenant bench
emulator_login

# 50 organizations x 4 PATs; the newest of each (the one git uses) is 30 days from expiry.
printf 'creating 200 PATs in 50 organizations...\n'
start=$(date +%s.%N)
for org in $(seq -f 'org%02g' 1 50); do
  for _ in 1 2 3 4; do git credential-azdo pat create --org "$org" --days 30 >/dev/null; done
done
elapsed() { awk -v start="$1" -v end="$(date +%s.%N)" 'BEGIN { print end - start }'; }
printf '  took %.1f s (200 `pat create` runs)\n' "$(elapsed "$start")"

hyperfine -w 1 -r 10 --style none --export-json "$work/refresh.json" \
  -n "refresh, 200 PATs / 50 orgs, nothing due" "git-credential-azdo refresh 2>/dev/null" >/dev/null

# Make every organization's newest PAT due: one more PAT each that started 25 days ago.
emulator_post "clock?offset=$((-25 * 86400))"
for org in $(seq -f 'org%02g' 1 50); do git credential-azdo pat create --org "$org" --days 5 >/dev/null; done
emulator_post "clock?offset=0"
start=$(date +%s.%N)
git-credential-azdo refresh 2> "$work/rotate.err"
rotate=$(elapsed "$start")
renewed=$(grep -c ': renewed;' "$work/rotate.err" || true)

# The daemon (called directly: through `git credential-azdo` the PID would be git's): let it
# finish its first pass, then watch it idle.
git-credential-azdo daemon 2> "$work/daemon.err" &
daemon_pid=$!
for _ in $(seq 600); do grep -q ': org50: ' "$work/daemon.err" && break; sleep 0.1; done
sleep 2
ticks() { awk '{print $14 + $15}' "/proc/$daemon_pid/stat"; }
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$daemon_pid/status")
before=$(ticks); sleep 10; after=$(ticks)
kill -TERM "$daemon_pid"; wait "$daemon_pid" || true; daemon_pid=

python3 - "$work/refresh.json" "$rotate" "$renewed" "$rss" "$((after - before))" "$bin" <<'PY'
import json, os, sys
result = json.load(open(sys.argv[1]))["results"][0]
rotate, renewed, rss, ticks, bin = float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
print(f"{'refresh, 200 PATs / 50 orgs, nothing due':48} median {result['median']*1e3:8.1f} ms (min {result['min']*1e3:.1f}, max {result['max']*1e3:.1f})")
print(f"{'refresh, 50 orgs due, regenerating each':48} {rotate*1e3:15.1f} ms ({renewed} renewed, {rotate/max(renewed,1)*1e3:.1f} ms each)")
print(f"{'daemon idle RSS':48} {rss/1024:15.1f} MiB")
print(f"{'daemon CPU while idle for 10 s':48} {ticks*10:15d} ms")
for name in ("git-credential-azdo", "git-credential-azdo-lifecycle", "azdo-emulator"):
    size = os.path.getsize(os.path.join(bin, name))
    print(f"{'size of ' + name:48} {size/1048576:15.1f} MiB")
PY
