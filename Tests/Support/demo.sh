#!/usr/bin/env bash
# demo.sh BIN_DIR: git-credential-azdo end to end against the project's Azure DevOps emulator,
# inside the private keyring session of keyring-session.sh. BIN_DIR holds
# git-credential-azdo, git-credential-azdo-lifecycle and azdo-emulator.
#
# 1. sign in to "Microsoft Entra" by device code (the demo approves the code, as you would
#    in a browser); 2. create a PAT; 3. clone and push with no prompt; 4. list PATs;
#    5. run the refresher once; 6. revoke the PAT: the next fetch fails cleanly and the
#    keyring is empty.
# Everything lives in a temp dir; the emulator is stopped by PID.
set -euo pipefail
bin=$(readlink -f "$1")
[ -n "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" ] || { echo "demo.sh: run it through keyring-session.sh (make demo)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/azdo-demo.XXXXXX")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/emulator-lib.sh"
cleanup() { stop_emulator; rm -rf "$work"; }
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
indent() { sed 's/^/  /'; }

git init -q --bare -b main "$work/root/contoso/web/_git/site"
start_emulator "$work/root"
url="$base/contoso/web/_git/site"

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export PATH="$bin:$PATH"
unset GIT_ASKPASS SSH_ASKPASS
mkdir -p "$HOME"
git config --global credential.helper ""
git config --global --add credential.helper azdo
git config --global credential.useHttpPath true
# The emulator stands in for dev.azure.com, login.microsoftonline.com and vssps.dev.azure.com.
git config --global azdo.extraHost "$base"
git config --global azdo.authority "$base"
git config --global azdo.apiUrl "$base"
git config --global user.name Demo; git config --global user.email demo@example.com
echo "emulator: $base (Entra, PAT API and git, on loopback)"

step "1. git credential-azdo login: device code sign-in; the refresh token goes to the keyring"
emulator_login
sed -n 1p "$work/login.err" | indent
echo "  (the demo entered $code in the \"browser\")"
sed -n '2,$p' "$work/login.err" | indent

step "2. git credential-azdo pat create --org contoso --days 30"
git credential-azdo pat create --org contoso --days 30 | indent
secret-tool search --all org contoso 2>&1 | grep -E '^attribute\.(org|source|scope|valid_to|display_name)' \
  | sed 's/^/keyring: /' | indent

step "3. Clone, commit and push: no prompt (terminal prompts are off, no askpass)"
git clone -q "$url" "$work/site" 2> "$work/clone.err" || { cat "$work/clone.err" >&2; exit 1; }
git -C "$work/site" commit -q --allow-empty -m "Hello from the demo"
git -C "$work/site" push -q origin HEAD:main
git -C "$work/site" log --oneline -1 origin/main | sed 's/^/pushed: /' | indent

step "4. git credential-azdo pat list --org contoso ('*' = the PAT git uses)"
git credential-azdo pat list --org contoso | indent

step "5. git credential-azdo refresh: what the daily timer does (warn at 7 days, then regenerate)"
git credential-azdo refresh 2>&1 | indent

step "6. git credential-azdo pat revoke --org contoso: revoked in Azure DevOps and erased locally"
git credential-azdo pat revoke --org contoso | indent
if git -C "$work/site" fetch -q 2> "$work/fetch.err"; then echo "  fetch worked after revoke (unexpected)"; exit 1; fi
sed 's/^/git fetch: /' "$work/fetch.err" | indent
if secret-tool search --all org contoso 2>/dev/null | grep -q '^label'; then
  echo "  keyring: the PAT is still there (unexpected)"; exit 1
fi
echo "  keyring: no PAT for contoso; run 'git credential-azdo pat create --org contoso' for a new one"

step "Done: signed in, created, cloned and pushed silently, listed, refreshed, revoked."
