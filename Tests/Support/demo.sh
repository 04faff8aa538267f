#!/usr/bin/env bash
# demo.sh HELPER: git-credential-azdo end to end on loopback, inside the private keyring
# session of keyring-session.sh. A local git server plays an Azure DevOps organization
# ("contoso") that accepts one PAT; git's password prompt is answered by a script that
# "pastes" it once. Everything lives in a temp dir and the server is stopped by PID.
set -euo pipefail
helper=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
[ -n "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" ] || { echo "demo.sh: run it through keyring-session.sh (make demo)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/azdo-demo.XXXXXX")
server_pid=
cleanup() { if [ -n "$server_pid" ]; then kill -9 "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

pat=$(head -c 39 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 52)
git init -q --bare -b main "$work/root/contoso/web/_git/site"
printf 'contoso %s\n' "$pat" > "$work/tokens"
python3 "$here/git-http-server.py" --root "$work/root" --tokens "$work/tokens" --log "$work/auth.log" \
  --port-file "$work/port" &
server_pid=$!
for _ in $(seq 200); do [ -s "$work/port" ] && break; sleep 0.02; done
port=$(cat "$work/port")
url="http://127.0.0.1:$port/contoso/web/_git/site"

export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"
git config --global credential.helper ""
git config --global --add credential.helper "$helper"
git config --global credential.useHttpPath true
git config --global azdo.extraHost "http://127.0.0.1:$port"   # loopback stands in for dev.azure.com
git config --global user.name Demo; git config --global user.email demo@example.com
printf '%s' "$pat" > "$work/pasted"
cat > "$work/askpass" <<ASK
#!/bin/sh
echo "  (git prompts: \$1)" >&2
case "\$1" in Username*) echo contoso ;; *) cat "$work/pasted" ;; esac
ASK
chmod 700 "$work/askpass"

step "1. First clone: git prompts once, the PAT is pasted, git-credential-azdo stores it"
GIT_ASKPASS="$work/askpass" git clone -q "$url" "$work/one"
secret-tool search --all org contoso 2>&1 | grep -E '^(label|attribute\.(org|user|source|server))' | sed 's/^/  keyring: /'

step "2. Second clone, commit and push: no prompt (GIT_ASKPASS unset, terminal prompts off)"
git clone -q "$url" "$work/two"
git -C "$work/two" commit -q --allow-empty -m "Hello from the demo"
git -C "$work/two" push -q origin HEAD:main
git -C "$work/two" log --oneline -1 origin/main | sed 's/^/  pushed: /'

step "3. What git gets from the helper (the PAT is redacted here)"
printf 'protocol=http\nhost=127.0.0.1:%s\npath=contoso/web/_git/site\n\n' "$port" | git credential fill \
  | sed 's/^password=.*/password=<redacted>/' | sed 's/^/  /'

step "4. The PAT is revoked on the server: git's next fetch fails, git calls erase, the item is gone"
printf 'contoso %s\n' "revoked-$pat" > "$work/tokens"
git -C "$work/two" fetch -q 2>&1 | sed 's/^/  git: /' || true
if secret-tool search --all org contoso 2>/dev/null | grep -q '^label'; then
  echo "  keyring: the PAT is still there (unexpected)"; exit 1
fi
echo "  keyring: no PAT for contoso any more; the next git command prompts for a new one"

step "Done. The server saw:"
awk '{print $2, $3, $4}' "$work/auth.log" | sort | uniq -c | sed 's/^/  /'
