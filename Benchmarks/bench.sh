#!/usr/bin/env bash
# bench.sh [-r RUNS] AZDO_HELPER: median latency of a cached `get` and a cached
# `git credential fill` for git-credential-azdo and for git's own C helper
# git-credential-libsecret (built here from Debian's git contrib sources), measured in
# one run on one throwaway keyring, plus the non-Azure pass-through; prints ratios.
# Runs itself inside Tests/Support/keyring-session.sh. Needs hyperfine, gcc, make, git.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" ]; then
  exec "$here/../Tests/Support/keyring-session.sh" "$0" "$@"
fi
runs=100
[ "${1:-}" = -r ] && { runs=$2; shift 2; }
azdo=$(readlink -f "${1:?usage: bench.sh [-r RUNS] AZDO_HELPER}")

work="$here/.work"; mkdir -p "$work"
contrib=/usr/share/doc/git/contrib/credential/libsecret
if [ ! -x "$work/libsecret/git-credential-libsecret" ]; then
  rm -rf "$work/libsecret"; cp -r "$contrib" "$work/libsecret"
  make -s -C "$work/libsecret" >/dev/null
fi
libsecret="$work/libsecret/git-credential-libsecret"

export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"
printf 'protocol=https\nhost=dev.azure.com\nusername=contoso\npassword=bench-pat-0123456789\n\n' > "$work/store.in"
printf 'protocol=https\nhost=dev.azure.com\nusername=contoso\n\n' > "$work/get.in"
printf 'protocol=https\nhost=github.com\nusername=someone\n\n' > "$work/other.in"
for helper in "$azdo" "$libsecret"; do
  "$helper" store < "$work/store.in" >/dev/null
  "$helper" get < "$work/get.in" | grep -q '^password=bench-pat-0123456789$' \
    || { echo "bench: $(basename "$helper") get did not return the stored PAT" >&2; exit 1; }
done

fill() { echo "git -c credential.helper= -c credential.helper=$1 credential fill < $work/get.in"; }
# hyperfine 1.15 has no --input: stdin comes from a redirect in sh, whose start-up
# hyperfine measures and subtracts.
hyperfine -S sh -w 10 -r "$runs" --export-json "$work/results.json" --style none \
  -n "azdo get" "$azdo get < $work/get.in" \
  -n "libsecret get" "$libsecret get < $work/get.in" \
  -n "azdo fill" "$(fill "$azdo")" \
  -n "libsecret fill" "$(fill "$libsecret")" \
  -n "azdo pass-through get (github.com)" "$azdo get < $work/other.in" \
  -n "git credential fill, no helper" "git -c credential.helper= credential fill < $work/other.in >/dev/null 2>&1; true" \
  >/dev/null
python3 - "$work/results.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
print(f"{'command':40} {'median ms':>10} {'mean ms':>9} {'min ms':>8} {'max ms':>8}")
for name, r in results.items():
    print(f"{name:40} {r['median']*1e3:10.2f} {r['mean']*1e3:9.2f} {r['min']*1e3:8.2f} {r['max']*1e3:8.2f}")
for what in ("get", "fill"):
    ratio = results[f"azdo {what}"]["median"] / results[f"libsecret {what}"]["median"]
    print(f"ratio azdo/libsecret {what}: {ratio:.2f}x")
PY
