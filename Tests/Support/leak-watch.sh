#!/usr/bin/env bash
# leak-watch.sh COMMAND [ARGS...]: runs COMMAND (make test runs the whole test suite through
# it) and then proves that no PAT, access token or refresh token the emulators issued
# during the run leaked. The emulators append each secret they issue to the file named by
# AZDO_EMULATOR_ISSUED_LOG, which this script sets. After the run it looks for every one of
# them in:
#   - COMMAND's whole stdout and stderr (every test's output);
#   - every file under the run's TMPDIR (all the tests' sandboxes: homes, state and config
#     directories, git repositories, logs), every file under LEAK_WATCH_KEEP (a directory
#     this script sets, where a part of the run copies files it would otherwise remove
#     before the scan: run-tests.sh puts each keyring session's directory there), the
#     keyring session's directory when this script itself runs inside one, and the tool's
#     own directories in $HOME;
#   - the argv and environment of the programs started under COMMAND, sampled from /proc:
#     every 20 ms a sampler lists /proc, and reads the argv and environment of each process
#     below this script once per program it runs (a new PID, or an exec seen as a changed
#     arg_start in /proc/PID/stat, which a new program's randomized stack always moves).
# What the sampling can miss: a program that lives less than one interval is seen with a
# probability of about its lifetime over 20 ms. Measured on the gnome-keyring keyring matrix
# (8,243 programs started under the run, counted exactly with the kernel's proc connector,
# which needs root): the sampler saw 85% of them; git-credential-azdo and its lifecycle
# executable (7,380 starts, median life 26 ms) 91%; git-remote-http, the emulator, the
# keyring daemons and secret-tool every one; git's short children (`git config`, median
# 3 ms) a third; one-millisecond tools (env, mkdir, cat) about one in ten. So a secret the
# code puts in the argv or environment of what it starts, on a path the suite runs many
# times, is found; one handed to a program of a few milliseconds that the suite starts only
# once or twice can escape. strace saw every execve, but made that matrix take 89 s instead
# of 48 s; the test "Secrets never leak" also reads every process's argv and environment
# while a whole lifecycle runs.
# The report names the place, never the secret. Exit status: COMMAND's, or 1 when a secret
# was found or the scan could not prove anything (too few secrets issued, no environment
# read).
#
# leak-watch.sh --self-test: runs this script around a planted leak (a secret in the argv of
# a 200 ms child, in the environment of a program a process execs after 100 ms with a clean
# one, in a file under TMPDIR and on stdout), which must be reported in each place, and
# nowhere else, with exit status 1; and around a clean run, which must exit 0.
set -u
for tool in python3 grep; do
  command -v "$tool" >/dev/null || { echo "leak-watch: $tool is missing (apt-get install $tool)" >&2; exit 2; }
done
python=/usr/bin/python3; [ -x "$python" ] || python=python3 # the system's: no pyenv shim's start-up
[ $# -gt 0 ] || { echo "usage: leak-watch.sh COMMAND [ARGS...] | leak-watch.sh --self-test" >&2; exit 2; }

if [ "$1" = --self-test ]; then
  self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
  out=$(mktemp -d "${TMPDIR:-/tmp}/azdo-leak-watch-test.XXXXXX") || exit 2
  trap 'rm -rf "$out"' EXIT
  # 50 issued secrets (fewer prove nothing); the last one leaks when the script is told to.
  # shellcheck disable=SC2016 # expanded by the bash that runs it
  script='for i in $(seq 50); do echo "1.SelfTestSecret${i}x$$" >> "$AZDO_EMULATOR_ISSUED_LOG"; done
    secret=1.SelfTestSecret50x$$
    if [ "$1" = leak ]; then
      "$0" -c "import time; time.sleep(0.2)" "$secret"
      "$0" -c "import os, time; time.sleep(0.1); os.execvpe(\"sleep\", [\"sleep\", \"0.2\"],
        {\"SELF_TEST_TOKEN\": open(os.environ[\"AZDO_EMULATOR_ISSUED_LOG\"]).read().split()[-1]})"
      echo "the token: $secret" > "$TMPDIR/a-file"
      echo "the token: $secret"
    else
      "$0" -c "import time; time.sleep(0.2)" "not a secret"
      echo "nothing here" > "$TMPDIR/a-file"
    fi'
  failed=0
  "$self" bash -c "$script" "$python" leak > "$out/leak" 2>&1
  status=$?
  for place in "argv of pid [0-9]* (python3)" "environment of pid [0-9]* (sleep)" "/a-file" "the test output"; do
    grep -q "^leak-watch: LEAK: secret #[0-9]* in .*$place" "$out/leak" ||
      { echo "leak-watch: self-test: the leak in $place was not reported" >&2; failed=1; }
  done
  [ "$(grep -c '^leak-watch: LEAK: ' "$out/leak")" -eq 4 ] ||
    { echo "leak-watch: self-test: not exactly the 4 leaks planted were reported" >&2; failed=1; }
  [ "$status" -eq 1 ] || { echo "leak-watch: self-test: a leaking run exited $status, not 1" >&2; failed=1; }
  ! grep '^leak-watch:' "$out/leak" | grep -q 'SelfTestSecret' ||
    { echo "leak-watch: self-test: the report shows a secret" >&2; failed=1; }
  "$self" bash -c "$script" "$python" clean > "$out/clean" 2>&1
  status=$?
  [ "$status" -eq 0 ] || { echo "leak-watch: self-test: a clean run exited $status, not 0" >&2; failed=1; }
  if [ "$failed" -ne 0 ]; then
    echo "--- the leaking run:" >&2; cat "$out/leak" >&2; echo "--- the clean run:" >&2; cat "$out/clean" >&2
    exit 1
  fi
  grep -h '^leak-watch:' "$out/leak" "$out/clean" >&2
  echo "leak-watch: self-test passed: each planted leak reported, the clean run passed" >&2
  exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/azdo-leak-watch.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/tmp" "$dir/keep"
: > "$dir/issued"
export AZDO_EMULATOR_ISSUED_LOG="$dir/issued" TMPDIR="$dir/tmp" LEAK_WATCH_KEEP="$dir/keep"

# The sampler: processes below this script ($$), each program's argv and environment once,
# as records "PID argv|environ COMM LENGTH\n" followed by LENGTH bytes; identical records
# are written once. It stops on SIGTERM after one more pass.
"$python" - "$$" "$dir/execs" "$dir/sampler-ready" <<'PY' &
import os, signal, sys, time
root, log, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3]
me = os.getpid()
stopping = False
def stop(*_):
    global stopping
    stopping = True
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)

def stat(pid):
    """(ppid, starttime, arg_start, state) from /proc/PID/stat, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    # after the ")": state is field 3 of stat(5), ppid 4, starttime 22, arg_start 48
    return int(fields[1]), fields[19], fields[45] if len(fields) > 45 else b"", fields[0]

ours = {}      # pid: (starttime, arg_start) of the program last read, for processes below root
others = set() # pids seen that are not below root, passed over until they are gone
written, samples, environments = set(), 0, 0
out = open(log, "wb")

def read(pid):
    global samples, environments
    samples += 1
    try:
        with open(f"/proc/{pid}/comm", "rb") as handle:
            comm = bytes(c if 32 < c < 127 else 95 for c in handle.read().strip()) or b"?"
    except OSError:
        return
    for part, name in ((b"argv", "cmdline"), (b"environ", "environ")):
        try:
            with open(f"/proc/{pid}/{name}", "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        key = hash((part, data))
        if not data or key in written:
            continue
        written.add(key)
        environments += part == b"environ"
        out.write(b"%d %s %s %d\n" % (pid, part, comm, len(data)) + data + b"\n")

def sweep():
    pids = {int(name) for name in os.listdir("/proc") if name.isdigit()}
    for pid in list(ours):
        if pid not in pids:
            del ours[pid]
    others.intersection_update(pids)
    for pid in pids & ours.keys():  # the same process: read again only after an exec
        state = stat(pid)
        if state and state[3] != b"Z" and (state[1], state[2]) != ours[pid]:
            ours[pid] = (state[1], state[2])
            read(pid)
    fresh = {}
    for pid in pids - ours.keys() - others - {me}:
        state = stat(pid)
        if state:
            fresh[pid] = state
    # A new process is ours when its parent is: root, one of ours, or a new one found ours.
    while True:
        found = [pid for pid, state in fresh.items() if state[0] == root or state[0] in ours]
        if not found:
            break
        for pid in found:
            state = fresh.pop(pid)
            ours[pid] = (state[1], state[2])
            if state[3] != b"Z":
                read(pid)
    others.update(fresh)

sweep()
open(ready, "w").close()
while not stopping and os.getppid() == root:  # stop too if the script is gone
    time.sleep(0.02)
    sweep()
sweep()
out.close()
times = os.times()
print(samples, environments, f"{times.user + times.system:.1f}", file=open(log + ".count", "w"))
PY
sampler=$!
for _ in $(seq 500); do [ -e "$dir/sampler-ready" ] && break; sleep 0.01; done
[ -e "$dir/sampler-ready" ] || { echo "leak-watch: the /proc sampler did not start" >&2; exit 2; }

"$@" 2>&1 | tee "$dir/output"
status=${PIPESTATUS[0]}
kill -TERM "$sampler"
wait "$sampler"

"$python" - "$dir" "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" "${HOME:-}" <<'PY'
import os, subprocess, sys, tempfile
work, keyring, home = sys.argv[1:4]

def grep_files(secrets, paths):
    """The paths holding at least one secret: one grep -F pass looks for all of them at once."""
    with tempfile.NamedTemporaryFile("w", dir=work, delete=False) as patterns:
        patterns.write("".join(secret + "\n" for secret in secrets))
    matched = set()
    for start in range(0, len(paths), 500):
        chunk = paths[start:start + 500]
        result = subprocess.run(["grep", "-l", "-a", "-F", "-f", patterns.name, "--"] + chunk, capture_output=True)
        matched |= set(os.fsdecode(line) for line in result.stdout.splitlines())
        if result.returncode > 1:  # a file grep could not read: search the whole chunk here
            matched |= set(chunk)
    os.unlink(patterns.name)
    return matched

def hits_in(secrets, places):
    """(place label, secret number) for every secret found in a place's file; only the files
    grep picked are searched secret by secret (a search per secret over every file took as
    long as the tests)."""
    matched = grep_files(secrets, [path for _, path in places if os.path.isfile(path)])
    found = []
    for label, path in places:
        if path not in matched:
            continue
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        found += [(label, index + 1) for index, secret in enumerate(secrets) if secret.encode() in data]
    return found

def exec_records(path):
    """(label, data) of each record the sampler wrote."""
    with open(path, "rb") as handle:
        data = handle.read()
    at = 0
    while at < len(data):
        end = data.index(b"\n", at)
        pid, part, comm, length = data[at:end].split(b" ")
        start = end + 1
        yield f"{'argv' if part == b'argv' else 'environment'} of pid {pid.decode()} ({comm.decode(errors='replace')})", data[start:start + int(length)]
        at = start + int(length) + 1

# The scan proves something only if it can fail: it must find a planted secret.
with tempfile.TemporaryDirectory(dir=work) as scratch:
    planted = os.path.join(scratch, "planted")
    with open(planted, "w") as handle:
        handle.write("before 1.AplantedSecretValue after\n")
    assert hits_in(["1.AplantedSecretValue", "absent"], [("planted", planted)]) == [("planted", 1)]

secrets = sorted({line.strip() for line in open(f"{work}/issued") if line.strip()})
places = [("the test output", f"{work}/output")]
roots = [f"{work}/tmp", f"{work}/keep"]
if keyring:
    roots.append(keyring)
if home:
    roots += [f"{home}/.local/state/git-credential-azdo", f"{home}/.config/git-credential-azdo"]
# The one place a token may rest on purpose: a CI identity's token cache, a 0600 file in a
# 0700 git-credential-azdo directory of a (test's) $XDG_RUNTIME_DIR. It is counted, not
# scanned; anything else in such a directory, or looser modes, is scanned as usual.
def sanctioned_cache(folder, name):
    import stat
    if not name.startswith("token-") or os.path.basename(folder) != "git-credential-azdo":
        return False
    return (stat.S_IMODE(os.stat(folder).st_mode) == 0o700
            and stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600)

caches = 0
for root in roots:
    for folder, _, names in os.walk(root):
        for name in names:
            if sanctioned_cache(folder, name):
                caches += 1
            else:
                places.append((os.path.join(folder, name), os.path.join(folder, name)))
hits = hits_in(secrets, places)
size = sum(os.path.getsize(path) for _, path in places if os.path.isfile(path))

# The argv and environments sampled: one grep over the log; only on a hit, record by record.
execs = f"{work}/execs"
if not os.path.exists(execs + ".count"):
    print("leak-watch: the /proc sampler failed, so this scan proves nothing", file=sys.stderr)
    sys.exit(1)
samples, environments, cpu = open(execs + ".count").read().split()
if secrets and grep_files(secrets, [execs]):
    for label, data in exec_records(execs):
        hits += [(label, index + 1) for index, secret in enumerate(secrets) if secret.encode() in data]
marked = any(label.startswith("environment ") and b"AZDO_EMULATOR_ISSUED_LOG=" in data for label, data in exec_records(execs))

print(f"leak-watch: {len(secrets)} secrets issued by the emulators; looked in the argv and environment of "
      f"{samples} programs sampled from /proc every 20 ms ({environments} distinct environments; the sampler "
      f"used {cpu} s of CPU), the test output and {len(places) - 1} files ({size / 1e6:.1f} MB in all; "
      f"{caches} CI token cache file(s), 0600 in 0700 directories, not scanned): "
      f"{len(hits)} hits")
for label, number in hits:
    # A label holds a path or a program's name: never one that holds a secret itself.
    shown = label if not any(secret in label for secret in secrets) else "a place whose name holds a secret"
    print(f"leak-watch: LEAK: secret #{number} in {shown}", file=sys.stderr)
if not marked:
    print("leak-watch: no environment under the run was read, so this scan proves nothing", file=sys.stderr)
    sys.exit(1)
if len(secrets) < 50:
    print("leak-watch: fewer than 50 secrets issued: the emulators did not report to "
          "AZDO_EMULATOR_ISSUED_LOG, so this scan proves nothing", file=sys.stderr)
    sys.exit(1)
sys.exit(1 if hits else 0)
PY
scan=$?
[ "$status" -ne 0 ] && exit "$status"
exit "$scan"
