#!/usr/bin/env bash
# leak-watch.sh COMMAND [ARGS...]: runs COMMAND (make test runs the whole test suite through
# it) and then proves that no PAT, access token or refresh token the emulators issued
# during the run leaked. It looks in:
#   - the argv and environment of every program started under COMMAND (strace, execve only,
#     so exact rather than sampled);
#   - COMMAND's whole stdout and stderr (every test's output);
#   - every file under the run's TMPDIR (all the tests' sandboxes: homes, state and config
#     directories, git repositories, logs), the keyring session's directory, and the
#     tool's own directories in $HOME.
# The emulators append each secret they issue to a file named by AZDO_EMULATOR_ISSUED_LOG,
# which this script sets; that file and the strace log are removed at the end. Exit status:
# COMMAND's, or 1 when a secret was found (the report names the place, never the secret).
set -u
for tool in strace python3; do
  command -v "$tool" >/dev/null || { echo "leak-watch: $tool is missing (apt-get install $tool)" >&2; exit 2; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/azdo-leak-watch.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/tmp"
: > "$dir/issued"
export AZDO_EMULATOR_ISSUED_LOG="$dir/issued" TMPDIR="$dir/tmp"

# --seccomp-bpf stops only at execve, so the traced programs run at full speed otherwise.
strace -f --seccomp-bpf -qq -e trace=execve -e signal=none -v -s 65536 -o "$dir/execs" -- "$@" 2>&1 \
  | tee "$dir/output"
status=${PIPESTATUS[0]}

python3 - "$dir" "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" "${HOME:-}" <<'PY'
import os, sys, tempfile
work, keyring, home = sys.argv[1:4]

def hits_in(secrets, places):
    """(place label, secret number) for every secret found in a place's file."""
    found = []
    for label, path in places:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        found += [(label, index + 1) for index, secret in enumerate(secrets) if secret.encode() in data]
    return found

# The scan proves something only if it can fail: it must find a planted secret, and the
# strace log must hold environments.
with tempfile.TemporaryDirectory() as scratch:
    planted = os.path.join(scratch, "planted")
    with open(planted, "w") as handle:
        handle.write("before 1.AplantedSecretValue after\n")
    assert hits_in(["1.AplantedSecretValue", "absent"], [("planted", planted)]) == [("planted", 1)]
execs_text = open(f"{work}/execs", errors="replace").read()
if "AZDO_EMULATOR_ISSUED_LOG=" not in execs_text:
    print("leak-watch: the strace log holds no environments (strace -v), so this scan proves nothing", file=sys.stderr)
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
print(f"leak-watch: {len(secrets)} secrets issued by the emulators; looked in the argv and environment of "
      f"{execs} program starts, the test output and {len(places) - 2} files ({size / 1e6:.1f} MB in all): "
      f"{len(hits)} hits")
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
