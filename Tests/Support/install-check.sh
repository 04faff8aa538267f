#!/usr/bin/env bash
# install-check.sh [--deb FILE]: install into a scratch root (`make install DESTDIR=…`, or
# with --deb the package's files via dpkg-deb -x), then use the installed binary from a clean
# shell (env -i) against the emulator: configure, sign in, create a PAT, clone, status,
# doctor, unconfigure. After `make install`, `make uninstall` must leave nothing behind.
# Runs inside keyring-session.sh (make install-check, make deb-check); needs the debug
# emulator built.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ -n "${GIT_CREDENTIAL_AZDO_TEST_KEYRING:-}" ] || { echo "install-check.sh: run it through keyring-session.sh" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/azdo-install.XXXXXX")
bin="$top/.build/debug"   # the emulator only; everything else comes from the install
. "$here/emulator-lib.sh"
cleanup() { stop_emulator; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "install-check: $*" >&2; exit 1; }

deb=
[ "${1:-}" = --deb ] && deb=$(readlink -f "$2")
if [ -n "$deb" ]; then
  dpkg-deb -x "$deb" "$work/root"
else
  make -s -C "$top" install DESTDIR="$work/root" PREFIX=/usr >/dev/null
fi
man=usr/share/man/man1/git-credential-azdo.1
[ -n "$deb" ] && man=$man.gz
for file in usr/bin/git-credential-azdo usr/libexec/git-credential-azdo/git-credential-azdo-lifecycle \
  $man usr/share/bash-completion/completions/git-credential-azdo \
  usr/share/zsh/vendor-completions/_git-credential-azdo usr/share/fish/vendor_completions.d/git-credential-azdo.fish \
  usr/lib/systemd/user/git-credential-azdo-refresh.service usr/lib/systemd/user/git-credential-azdo-refresh.timer; do
  [ -s "$work/root/$file" ] || fail "make install did not install /$file"
done
grep -q "^ExecStart=/usr/bin/git-credential-azdo refresh$" "$work/root/usr/lib/systemd/user/git-credential-azdo-refresh.service" \
  || fail "the installed service does not run /usr/bin/git-credential-azdo"
for unit in "$work"/root/usr/lib/systemd/user/*; do
  [ "$(stat -c %a "$unit")" = 644 ] || fail "$unit is mode $(stat -c %a "$unit"), not 644"
done
# The rotation kill switch exists in debug builds only; a release binary must not read it.
for binary in usr/bin/git-credential-azdo usr/libexec/git-credential-azdo/git-credential-azdo-lifecycle; do
  ! grep -qa GIT_CREDENTIAL_AZDO_TEST_KILL_AT "$work/root/$binary" || fail "/$binary carries the tests' kill switch"
done

git init -q --bare -b main "$work/git/contoso/web/_git/site"
start_emulator "$work/git"
mkdir -p "$work/home"
# A clean shell: nothing from this environment but the private session bus.
clean() {
  env -i HOME="$work/home" PATH="$work/root/usr/bin:/usr/bin:/bin" DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" \
    XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1 "$@"
}
clean git-credential-azdo --version | grep -qx "0.1.0" || fail "--version"
clean git credential-azdo configure | grep -q "^configured" || fail "configure"
clean git config --global azdo.extraHost "$base"
clean git config --global azdo.authority "$base"
clean git config --global azdo.apiUrl "$base"
clean git config --global credential."$base".helper ""
clean git config --global --add credential."$base".helper "$work/root/usr/bin/git-credential-azdo"
clean git config --global credential."$base".useHttpPath true
# Sign in: approve the device code the installed binary prints.
clean git credential-azdo login 2> "$work/login.err" &
login_pid=$!
for _ in $(seq 500); do grep -q 'enter the code' "$work/login.err" && break; sleep 0.02; done
code=$(sed -n 's/.*enter the code \([A-Z0-9]*\).*/\1/p' "$work/login.err")
[ -n "$code" ] || fail "login printed no code: $(cat "$work/login.err")"
emulator_post "approve?user_code=$code"
wait "$login_pid" || fail "login: $(cat "$work/login.err")"
login_pid=
clean git credential-azdo pat create --org contoso --days 30 | grep -q "^created " || fail "pat create"
clean git clone -q "$base/contoso/web/_git/site" "$work/site" 2>/dev/null || fail "clone with the created PAT"
clean git credential-azdo status | grep -q "^\*  contoso" || fail "status"
clean git credential-azdo doctor --offline > "$work/doctor.out" || true
grep -q "^ok    keyring: " "$work/doctor.out" || fail "doctor: $(cat "$work/doctor.out")"
clean git credential-azdo unconfigure | grep -q "^unconfigured" || fail "unconfigure"
if [ -n "$deb" ]; then
  echo "install-check: the package's files, used from a clean shell, work"
  exit 0
fi
make -s -C "$top" uninstall DESTDIR="$work/root" PREFIX=/usr
left=$(find "$work/root" -type f | wc -l)
[ "$left" = 0 ] || fail "make uninstall left $left files: $(find "$work/root" -type f)"
echo "install-check: make install, the installed binary from a clean shell, and make uninstall all work"
