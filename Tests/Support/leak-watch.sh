#!/usr/bin/env bash
# leak-watch.sh COMMAND [ARGS...]: runs COMMAND (make test runs the whole test suite through
# it) and then proves that no PAT, access token or refresh token the emulators issued
# during the run leaked. It looks in:
#   - the argv and environment of every program started under COMMAND: strace records each
#     execve, so this is exact. strace stops a traced program only at execve when it can
#     filter with seccomp-bpf; where it cannot, it would stop every program at every system
#     call and slow the suite a hundredfold, so a probe checks first, and without the
#     filter the script says so and samples /proc every 20 ms instead;
#   - COMMAND's whole stdout and stderr (every test's output);
#   - every file under the run's TMPDIR (all the tests' sandboxes: homes, state and config
#     directories, git repositories, logs), the keyring session's directory, and the
#     tool's own directories in $HOME.
# The emulators append each secret they issue to a file named by AZDO_EMULATOR_ISSUED_LOG,
# which this script sets; that file and the exec log are removed at the end. Exit status:
# COMMAND's, or 1 when a secret was found (the report names the place, never the secret).
set -u
for tool in strace python3 grep; do
  command -v "$tool" >/dev/null || { echo "leak-watch: $tool is missing (apt-get install $tool)" >&2; exit 2; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/azdo-leak-watch.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/tmp"
: > "$dir/issued"
export AZDO_EMULATOR_ISSUED_LOG="$dir/issued" TMPDIR="$dir/tmp"

# The probe: 20,000 one-byte reads and writes and 100 program starts, alone and traced.
# With the filter, tracing adds a fraction; without it, or where ptrace itself is slow,
# several times as much (without the filter: 140 times, measured here).
probe='dd if=/dev/zero of=/dev/null bs=1 count=20000 2>/dev/null; for _ in $(seq 100); do /bin/true; done'
# The probe writes nothing on stderr, so whatever the traced run writes there is strace's.
seconds() { local start end; start=$(date +%s%N); "$@" >/dev/null 2>"$dir/probe.err"; end=$(date +%s%N); echo $(((end - start) / 1000000)); }
alone=$(seconds bash -c "$probe")
traced=$(seconds timeout 20 strace -f --seccomp-bpf -qq -e trace=execve -o "$dir/probe" -- bash -c "$probe")
warning=$(cat "$dir/probe.err")
# LEAK_WATCH_SAMPLE=1 forces sampling, to exercise that path.
if [ "${LEAK_WATCH_SAMPLE:-}" != 1 ] && [ -z "$warning" ] && grep -q 'execve("/bin/true"' "$dir/probe" 2>/dev/null && [ "$traced" -le $((alone * 3 + 300)) ]; then
  mode=exact
  echo "leak-watch: tracing program starts with strace (probe: ${alone} ms alone, ${traced} ms traced)" >&2
  strace -f --seccomp-bpf -qq -e trace=execve -e signal=none -v -s 65536 -o "$dir/execs" -- "$@" 2>&1 \
    | tee "$dir/output"
  status=${PIPESTATUS[0]}
else
  mode=sampled
  if [ "${LEAK_WATCH_SAMPLE:-}" = 1 ]; then
    echo "leak-watch: LEAK_WATCH_SAMPLE=1: program starts are sampled from /proc instead of traced" >&2
  else
    echo "leak-watch: strace cannot filter system calls here (probe: ${alone} ms alone, ${traced} ms traced${warning:+; $warning}), so program starts are sampled from /proc instead of traced" >&2
  fi
  python3 - "$dir/execs" "$dir/stop-sampling" <<'PY' &
import os, sys, time
log, stop = sys.argv[1:3]
seen = set()
with open(log, "wb") as out:
    while not os.path.exists(stop):
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as a, open(f"/proc/{pid}/environ", "rb") as e:
                    entry = a.read() + b"\n" + e.read()
            except OSError:
                continue
            key = (pid, hash(entry))
            if key not in seen:
                seen.add(key)
                out.write(b"execve(sampled) " + entry + b"\n")
        time.sleep(0.02)
PY
  sampler=$!
  "$@" 2>&1 | tee "$dir/output"
  status=${PIPESTATUS[0]}
  touch "$dir/stop-sampling"
  wait "$sampler"
fi

python3 - "$dir" "$mode" "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" "${HOME:-}" <<'PY'
import os, subprocess, sys, tempfile
work, mode, keyring, home = sys.argv[1:5]

def hits_in(secrets, places):
    """(place label, secret number) for every secret found in a place's file. One grep -F
    pass looks for all secrets at once and picks the files; only those are then searched
    secret by secret (a search per secret over every file took as long as the tests)."""
    with tempfile.NamedTemporaryFile("w", dir=work, delete=False) as patterns:
        patterns.write("".join(secret + "\n" for secret in secrets))
    paths = [path for _, path in places if os.path.isfile(path)]
    matched = set()
    for start in range(0, len(paths), 500):
        chunk = paths[start:start + 500]
        result = subprocess.run(["grep", "-l", "-a", "-F", "-f", patterns.name, "--"] + chunk, capture_output=True)
        matched |= set(os.fsdecode(line) for line in result.stdout.splitlines())
        if result.returncode > 1:  # a file grep could not read: search the whole chunk here
            matched |= set(chunk)
    os.unlink(patterns.name)
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

# The scan proves something only if it can fail: it must find a planted secret, and the
# exec log must hold environments.
with tempfile.TemporaryDirectory() as scratch:
    planted = os.path.join(scratch, "planted")
    with open(planted, "w") as handle:
        handle.write("before 1.AplantedSecretValue after\n")
    assert hits_in(["1.AplantedSecretValue", "absent"], [("planted", planted)]) == [("planted", 1)]
execs_text = open(f"{work}/execs", errors="replace").read()
if "AZDO_EMULATOR_ISSUED_LOG=" not in execs_text:
    print("leak-watch: the exec log holds no environments, so this scan proves nothing", file=sys.stderr)
    sys.exit(1)

secrets = sorted({line.strip() for line in open(f"{work}/issued") if line.strip()})
places = [("argv/environment of program starts", f"{work}/execs"), ("the test output", f"{work}/output")]
roots = [f"{work}/tmp"]
if keyring:
    roots.append(keyring)
if home:
    roots += [f"{home}/.local/state/git-credential-azdo", f"{home}/.config/git-credential-azdo"]
for root in roots:
    for folder, _, names in os.walk(root):
        places += [(os.path.join(folder, name), os.path.join(folder, name)) for name in names]
hits = hits_in(secrets, places)
size = sum(os.path.getsize(path) for _, path in places if os.path.isfile(path))
execs = execs_text.count("execve(")
seen = f"{execs} program starts" if mode == "exact" else f"{execs} processes sampled from /proc"
print(f"leak-watch: {len(secrets)} secrets issued by the emulators; looked in the argv and environment of "
      f"{seen}, the test output and {len(places) - 2} files ({size / 1e6:.1f} MB in all): {len(hits)} hits")
for label, number in hits:
    print(f"leak-watch: LEAK: secret #{number} in {label}", file=sys.stderr)
if len(secrets) < 50:
    print("leak-watch: fewer than 50 secrets issued: the emulators did not report to "
          "AZDO_EMULATOR_ISSUED_LOG, so this scan proves nothing", file=sys.stderr)
    sys.exit(1)
sys.exit(1 if hits else 0)
PY
scan=$?
[ "$status" -ne 0 ] && exit "$status"
exit "$scan"
