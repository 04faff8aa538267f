#!/usr/bin/env bash
# keyring-session.sh: run a command inside a private D-Bus session bus with a headless
# Secret Service: gnome-keyring-daemon (secrets component only), KeePassXC or kwalletd5.
# Nothing touches the user's own bus, keyring or KeePassXC/KWallet settings; every daemon
# is this script's child and is stopped by PID.
#
# Usage: keyring-session.sh [--service gnome-keyring|keepassxc|kwallet] [--prompts] [--locked|--no-service|--no-bus] [--data DIR] [--notifications] [--] COMMAND [ARGS...]
#   --service NAME   the implementation (default: $GIT_CREDENTIAL_AZDO_TEST_SERVICE, else
#                    gnome-keyring); "keepassxc-prompts" is accepted as keepassxc --prompts,
#                    so a nested session inherits what the outer one exported
#   --prompts        keepassxc only: keep KeePassXC's defaults ConfirmAccessItem,
#                    ConfirmDeleteItem and UnlockBeforeSearch = true (else all three false)
#   --locked         the default collection exists but is locked (see the states below)
#   --no-service     a bus, but nothing owns org.freedesktop.secrets
#   --no-bus         no session bus at all
#   --data DIR       keep the keyring's files in DIR, to reuse them in a later session:
#                    gnome-keyring DIR/keyrings, keepassxc DIR/Passwords.kdbx (created if
#                    missing), kwallet DIR/kwalletd (kdewallet.kwl and kdewallet.salt)
#   --notifications  also a stand-in desktop notification server (notification-service.py);
#                    GIT_CREDENTIAL_AZDO_TEST_NOTIFICATIONS names its log of JSON lines
#
# The state COMMAND starts in, per service (the alias "default" always names the collection;
# no dialog can ever be answered):
#   gnome-keyring  the login keyring (password "azdo-test"), unlocked. --locked: it exists
#                  but is locked; its items are listed as locked; Unlock returns a prompt whose
#                  Prompt("") completes at once with dismissed=true.
#   keepassxc      the database DIR/Passwords.kdbx (password "pw", KDF tuned to 100 ms), its
#                  root group exposed as collection "Passwords", unlocked; saved after every
#                  change only with --data. --locked: locked
#                  with `keepassxc --lock`; SearchItems then lists no items at all (with
#                  --prompts it does not answer), and Unlock's prompt never completes (an
#                  invisible dialog) until Dismiss(). With --prompts, items another D-Bus
#                  connection created read Locked=true, and unlocking them never completes.
#   kwallet        the wallet "kdewallet" (empty password) opened as pam_kwallet5 opens it at
#                  login, and left so: the collection reads Locked=true (its items listed as
#                  locked) until a client calls Unlock, whose prompt completes without a
#                  dialog. This is the real post-login state, which the product must cope
#                  with; no Unlock is made here. --locked: the wallet is closed as well
#                  (org.kde.KWallet.close); Unlock reopens it, again without a dialog.
#
# COMMAND sees DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR, XDG_DATA_HOME (DIR of --data),
# GIT_CREDENTIAL_AZDO_TEST_KEYRING (the session's directory; tests refuse to touch a keyring
# without it), GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID (the process that owns
# org.freedesktop.secrets: gnome-keyring-daemon, keepassxc or kwalletd5 itself, never a
# wrapper; empty with --no-service), GIT_CREDENTIAL_AZDO_TEST_SERVICE (gnome-keyring,
# keepassxc, keepassxc-prompts or kwallet: the service selected, even when --no-service or
# --no-bus starts none) and, with --notifications, GIT_CREDENTIAL_AZDO_TEST_NOTIFICATIONS.
# COMMAND keeps its own HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME and TMPDIR; the daemons get
# private ones in the session's directory through their own environment only (KeePassXC
# keeps its single-instance lock and socket in TMPDIR, so concurrent sessions never meet).
# DISPLAY and WAYLAND_DISPLAY are unset.
#
# Exit status: COMMAND's, or 90-99 when the session itself could not be set up (the daemon
# logs' tails then go to stderr): 90 usage, 91 a tool is missing (names the Debian package),
# 92 no session directory, 93 dbus-daemon, 94 the Secret Service did not come up, 95 the
# notification service, 96 the service did not reach the --locked state, 97 KeePassXC's
# database could not be created.
#
# Quirks the set-up works around (Debian 12: gnome-keyring 42.1, KeePassXC 2.7.4, kwalletd5 5.103):
# - gnome-keyring creates no login keyring for an empty password; --locked first creates
#   the keyring with a throwaway unlocked daemon, then starts one without --unlock.
# - KeePassXC exposes only the group named by the database's custom data
#   FDO_SECRETS_EXPOSED_GROUP, which only an XML import (keepassxc-cli import) can set.
# - KeePassXC drops a SIGTERM that arrives while it saves, and a lock waits for the save:
#   so with --data (the only case it saves, see keepassxc_config) it is locked before it is
#   stopped. Every stop is bounded anyway: TERM, up to 2 s, KILL, then reaped.
# - `keepassxc --lock` finds the running instance through the lock file and socket in TMPDIR,
#   so it runs in the daemon's environment.
# - kwalletd5 exposes no collection after the login that creates the wallet; a new wallet
#   therefore takes a second login (a restart), an existing one (--data) a single one.
# - kwalletd5 writes a changed wallet only 3-6 s later or when the wallet closes: so the
#   wallet is closed (written) before kwalletd5 is stopped. A test that SIGKILLs kwalletd5
#   within seconds of a change loses the change, as a crash would.
# - kwalletd5 needs libqca-qt5-2-plugins for dh-ietf1024 sessions (libsecret's default).
#
# What clients meet (seen with raw D-Bus calls; the tests rely on these):
# - kwalletd5 answers OpenSession("plain") with an empty byte array (ay) as the output
#   variant; the others send an empty string. About 1 in 100 calls over dh-ietf1024 sessions
#   fails on kwalletd5 ("Client public key size is invalid", "Can't find session", or an
#   empty secret); over plain sessions none of 2,200 CreateItem and 2,200 lookups failed.
# - kwalletd5 answers GetSecrets for a locked item with an empty secret, not an error.
# - KeePassXC answers CreateItem with item "/" and a prompt, and Item.Delete with a prompt;
#   Prompt("") completes them without a dialog. CreateItem(replace=true) over an item
#   another connection created never completes (KeePassXC bug #9255, fixed in 2.7.6).
#   Item.Delete moves the entry to the database's recycle bin.
# - KeePassXC 2.7.4 saving after every change (its default) can crash (SIGSEGV) under a
#   burst of CreateItem calls: it did after 53-147 calls in a row without pauses, not with
#   200 ms between calls, nor with saving off (400 in a row).
# - Bash reports on stderr a daemon that dies of a signal (a test's SIGKILL, a crash).
set -u

usage() {
  echo "usage: keyring-session.sh [--service gnome-keyring|keepassxc|kwallet] [--prompts]" \
    "[--locked|--no-service|--no-bus] [--data DIR] [--notifications] [--] COMMAND [ARGS...]" >&2
  exit 90
}
service=${GIT_CREDENTIAL_AZDO_TEST_SERVICE:-gnome-keyring} prompts= mode=unlocked data= data_given= notifications=
while [ $# -gt 0 ]; do
  case "$1" in
    --service) [ $# -ge 2 ] || usage; service=$2; shift 2 ;;
    --prompts) prompts=1; shift ;;
    --notifications) notifications=1; shift ;;
    --locked) mode=locked; shift ;;
    --no-service) mode=noservice; shift ;;
    --no-bus) mode=nobus; shift ;;
    --data) [ $# -ge 2 ] || usage; data=$2; data_given=1; shift 2 ;;
    --) shift; break ;;
    -*) echo "keyring-session: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || usage
case "$service" in
  gnome-keyring | keepassxc | kwallet) ;;
  keepassxc-prompts) service=keepassxc prompts=1 ;;
  *) echo "keyring-session: unknown service '$service'" >&2; usage ;;
esac
[ -z "$prompts" ] || [ "$service" = keepassxc ] || { echo "keyring-session: --prompts is for keepassxc only" >&2; usage; }

python=/usr/bin/python3; [ -x "$python" ] || python=python3 # the system's: no pyenv shim's start-up
need() { # PACKAGE TOOL...: exit 91 naming the Debian package when a tool is missing
  local package=$1 tool; shift
  for tool; do
    command -v "$tool" >/dev/null || { echo "keyring-session: $tool is missing (apt-get install $package)" >&2; exit 91; }
  done
}
[ "$mode" = nobus ] || need dbus dbus-daemon dbus-send
if [ "$mode" = unlocked ] || [ "$mode" = locked ]; then
  case "$service" in
    gnome-keyring) need gnome-keyring gnome-keyring-daemon ;;
    keepassxc) need keepassxc keepassxc keepassxc-cli; need coreutils timeout ;;
    kwallet)
      need libkf5wallet-bin kwalletd5; need python3-minimal "$python"
      compgen -G '/usr/lib/*/qca-qt5/crypto/libqca-ossl.so' >/dev/null ||
        { echo "keyring-session: kwalletd5 needs libqca-ossl.so (apt-get install libqca-qt5-2-plugins)" >&2; exit 91; } ;;
  esac
fi

read_state() { # PID: $pstate = its state letter (R, S, T, Z...), from /proc without forking
  local stat
  pstate=
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) } # the state follows "(comm) ", and comm may hold spaces
  pstate=${stat%% *}
}
running() { read_state "$1" && [ "$pstate" != Z ]; } # alive and not a zombie
stopped() { read_state "$1" && [ "$pstate" = T ]; }  # a test sent it SIGSTOP
stop() { # PID: TERM (and CONT, should a test have stopped it), up to 2 s, KILL; always reap
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null && kill -CONT "$1" 2>/dev/null
  wait_for 2 not running "$1" || kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}
not() { ! "$@"; }
while_running() { # PID COMMAND...: COMMAND's status while PID runs; success once it has exited,
  local pid=$1; shift  # so a wait_for on it ends early when the daemon dies
  running "$pid" || return 0
  "$@"
}
now_ms() { local t=${EPOCHREALTIME/[.,]/}; now=$((t / 1000)); } # $now: ms, without forking
wait_for() { # SECONDS COMMAND...: poll COMMAND until it succeeds (after 5, 10, 20, then every 40 ms)
  local deadline now pauses=(0.005 0.01 0.02) i=0
  now_ms; deadline=$((now + $1 * 1000)); shift
  until "$@"; do
    now_ms; [ "$now" -lt "$deadline" ] || return 1
    sleep "${pauses[i++]:-0.04}"
  done
}
fail() { # STATUS MESSAGE: the session could not be set up; show the logs' tails
  local log note=
  if [ -n "$keyring_pid" ] && ! running "$keyring_pid"; then
    wait "$keyring_pid" 2>/dev/null; note=" (its daemon exited with status $?)"; keyring_pid=
  fi
  echo "keyring-session: $service: $2$note" >&2
  for log in "$dir"/*.log; do [ -s "$log" ] && { echo "--- ${log##*/}" >&2; tail -n 20 "$log" >&2; }; done
  exit "$1"
}
cleanup() {
  stop "$notify_pid"
  [ -n "$keyring_pid" ] && running "$keyring_pid" && ! stopped "$keyring_pid" && "quiesce_${service//-/_}"
  stop "$keyring_pid"; stop "$bus_pid"; rm -rf "$dir"
}

bus_pid= keyring_pid= notify_pid=
dir=$(mktemp -d "${TMPDIR:-/tmp}/azdo-keyring.XXXXXX") || exit 92
trap cleanup EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
data=${data:-$dir/data}
mkdir -m 700 "$dir/run" && mkdir -p "$dir/home/.config" "$dir/home/.cache" "$dir/tmp" "$data" || exit 92
data=$(cd "$data" && pwd) || exit 92 # absolute: Qt ignores a relative XDG_DATA_HOME

unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS \
  KPXC_CONFIG KPXC_CONFIG_LOCAL PAM_KWALLET5_LOGIN
exported_service=$service; [ -n "$prompts" ] && exported_service=keepassxc-prompts
export XDG_RUNTIME_DIR="$dir/run" XDG_DATA_HOME="$data" GIT_CREDENTIAL_AZDO_TEST_KEYRING="$dir" \
  GIT_CREDENTIAL_AZDO_TEST_SERVICE="$exported_service"

if [ "$mode" = nobus ]; then "$@"; exit $?; fi

# No service activation: a missing or locked service fails fast instead of spawning prompters.
cat > "$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=$dir/run/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
# Every daemon gets the default action for TERM back: a test runner may ignore it, children
# inherit an ignored signal, and then each stop would wait for its SIGKILL (seen: 2 s each).
env --default-signal=TERM,INT,HUP dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile --print-address=3 \
  3>"$dir/bus.address" 2>"$dir/dbus.log" </dev/null &
bus_pid=$!
wait_for 10 while_running "$bus_pid" test -s "$dir/bus.address"
DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$dir/bus.address" 2>/dev/null)
[ -n "$DBUS_SESSION_BUS_ADDRESS" ] || fail 93 "dbus-daemon did not start"
export DBUS_SESSION_BUS_ADDRESS

# --- D-Bus probes ----------------------------------------------------------------------------
call() { # DEST PATH METHOD [ARGS...]: one call, its reply printed; 5 s reply timeout
  dbus-send --session --print-reply --reply-timeout=5000 --dest="$1" "$2" "${@:3}" 2>/dev/null
}
service_owned() {
  [[ $(call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
    string:org.freedesktop.secrets) == *"boolean true"* ]]
}
owner_pid() { # $owner: the PID of the process that owns org.freedesktop.secrets
  owner=$(call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
    string:org.freedesktop.secrets) && [[ $owner == *"uint32 "* ]] && owner=${owner##*uint32 } || owner=
}
default_is() { # true|false: the default collection's Locked property (fails while there is none)
  [[ $(call org.freedesktop.secrets /org/freedesktop/secrets/aliases/default org.freedesktop.DBus.Properties.Get \
    string:org.freedesktop.Secret.Collection string:Locked) == *"boolean $1" ]]
}
wait_service() { # true|false DESCRIPTION: until the default collection reads Locked=true|false
  wait_for 20 while_running "$keyring_pid" default_is "$1"
  running "$keyring_pid" && default_is "$1" || fail 94 "$2"
}
wait_released() { wait_for 10 not service_owned || fail 94 "org.freedesktop.secrets stayed owned after its daemon stopped"; }

# The daemons' own HOME, config and cache dirs and TMPDIR; exec keeps the PID the daemon's.
as_daemon() {
  HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_CACHE_HOME="$dir/home/.cache" \
    TMPDIR="$dir/tmp" QT_QPA_PLATFORM=offscreen exec env --default-signal=TERM,INT,HUP "$@"
}

# --- gnome-keyring ---------------------------------------------------------------------------
start_gnome_keyring_daemon() { # unlock|locked; --foreground keeps the daemon our child
  if [ "$1" = unlock ]; then
    printf 'azdo-test' | as_daemon gnome-keyring-daemon --foreground --unlock --components=secrets >>"$dir/gnome-keyring.log" 2>&1 &
  else
    as_daemon gnome-keyring-daemon --foreground --start --components=secrets >>"$dir/gnome-keyring.log" 2>&1 </dev/null &
  fi
  keyring_pid=$!
  if [ "$1" = unlock ]; then wait_service false "gnome-keyring exposed no unlocked login keyring"
  else wait_service true "gnome-keyring exposed no locked login keyring"; fi
}
start_gnome_keyring() {
  if [ "$mode" = locked ] && [ ! -f "$data/keyrings/login.keyring" ]; then # create it, then restart it locked
    start_gnome_keyring_daemon unlock; stop "$keyring_pid"; keyring_pid=; wait_released
  fi
  if [ "$mode" = locked ]; then start_gnome_keyring_daemon locked; else start_gnome_keyring_daemon unlock; fi
}
quiesce_gnome_keyring() { :; } # it writes every change at once

# --- KeePassXC ---------------------------------------------------------------------------------
# KeePassXC 2.7.4 saves its database after every change by default, and then crashes
# (SIGSEGV) after 50 to 150 CreateItem calls in a quick burst (the keyring tests make 300);
# with saving off it took 400 in a row. So it saves only when --data asks for files that
# outlive the session; without --data nothing outlives it anyway.
keepassxc_config() {
  local confirm=false autosave=false
  [ -n "$prompts" ] && confirm=true
  [ -n "$data_given" ] && autosave=true
  mkdir -p "$dir/home/.config/keepassxc"
  cat > "$dir/home/.config/keepassxc/keepassxc.ini" <<INI
[General]
ConfigVersion=2
UpdateCheckMessageShown=true
AutoSaveAfterEveryChange=$autosave
[GUI]
CheckForUpdates=false
ShowTrayIcon=false
[Security]
LockDatabaseIdle=false
LockDatabaseScreenLock=false
[FdoSecrets]
Enabled=true
ShowNotification=false
ConfirmAccessItem=$confirm
ConfirmDeleteItem=$confirm
UnlockBeforeSearch=$confirm
INI
}
keepassxc_database() { # $data/Passwords.kdbx, password "pw", its root group exposed
  [ -f "$data/Passwords.kdbx" ] && return 0
  cat > "$dir/database.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<KeePassFile>
  <Meta>
    <DatabaseName>Passwords</DatabaseName>
    <CustomData><Item><Key>FDO_SECRETS_EXPOSED_GROUP</Key><Value>{00000000-0000-0000-0000-000000000001}</Value></Item></CustomData>
  </Meta>
  <Root><Group><UUID>AAAAAAAAAAAAAAAAAAAAAQ==</UUID><Name>Root</Name></Group></Root>
</KeePassFile>
XML
  # import into a temporary name, so an interrupted import leaves no half database behind
  printf 'pw\npw\n' | keepassxc-cli import -q -p -t 100 "$dir/database.xml" "$dir/Passwords.kdbx" >>"$dir/keepassxc.log" 2>&1 &&
    mv "$dir/Passwords.kdbx" "$data/Passwords.kdbx" || fail 97 "keepassxc-cli import failed"
}
start_keepassxc() {
  keepassxc_config; keepassxc_database
  printf 'pw\n' | as_daemon keepassxc --pw-stdin "$data/Passwords.kdbx" >>"$dir/keepassxc.log" 2>&1 &
  keyring_pid=$!
  wait_service false "KeePassXC exposed no unlocked database"
}
keepassxc_lock() { # SECONDS: `keepassxc --lock` asks the running instance, found through TMPDIR
  (as_daemon timeout -k 1 5 keepassxc --lock) >>"$dir/keepassxc.log" 2>&1 && wait_for "$1" default_is true
}
lock_keepassxc() { keepassxc_lock 20; }
# A SIGTERM during a save is lost, and a lock waits for the save. Without saving (no
# --data) there is nothing to wait for, and a lock would ask whether to save (invisibly).
quiesce_keepassxc() { [ -z "$data_given" ] || keepassxc_lock 2; }

# --- kwalletd5 ---------------------------------------------------------------------------------
# pam_kwallet5 hands kwalletd5 a PBKDF2-SHA512 key of the login password on a pipe
# (--pam-login PIPEFD SOCKETFD) and the session's environment on a listening socket, so no
# dialog is needed. Here the password is empty: this shim queues the environment on the
# socket, writes the key into the pipe and becomes kwalletd5 (exec: the same PID).
kwallet_shim='
import hashlib, os, socket
d = os.path.join(os.environ["XDG_DATA_HOME"], "kwalletd"); os.makedirs(d, exist_ok=True)
salt = os.path.join(d, "kdewallet.salt")
if not os.path.exists(salt):
    with open(salt + ".new", "wb") as f: f.write(os.urandom(56))
    os.rename(salt + ".new", salt)
key = hashlib.pbkdf2_hmac("sha512", b"", open(salt, "rb").read(), 50000, 56)
path = os.path.join(os.environ["XDG_RUNTIME_DIR"], "kwallet5.socket")
if os.path.exists(path): os.unlink(path)
srv = socket.socket(socket.AF_UNIX); srv.bind(path); srv.listen(1)
c = socket.socket(socket.AF_UNIX); c.connect(path)
c.sendall(("DBUS_SESSION_BUS_ADDRESS=%s\n" % os.environ["DBUS_SESSION_BUS_ADDRESS"]).encode()); c.close()
r, w = os.pipe(); os.write(w, key); os.close(w)
os.set_inheritable(r, True); os.set_inheritable(srv.fileno(), True)
os.environ["PAM_KWALLET5_LOGIN"] = path
os.execvp("kwalletd5", ["kwalletd5", "--pam-login", str(r), str(srv.fileno())])
'
kwallet_config() {
  cat > "$dir/home/.config/kwalletrc" <<'INI'
[Wallet]
Enabled=true
First Use=false
Prompt on Open=false
Close When Idle=false
Leave Open=true
Use One Wallet=true
Default Wallet=kdewallet
[org.freedesktop.secrets]
apiEnabled=true
INI
}
kwallet_is_open() { # true|false
  [[ $(call org.kde.kwalletd5 /modules/kwalletd5 org.kde.KWallet.isOpen string:kdewallet) == *"boolean $1" ]]
}
kwallet_login() {
  as_daemon "$python" -c "$kwallet_shim" </dev/null >>"$dir/kwalletd5.log" 2>&1 &
  keyring_pid=$!
  wait_for 20 while_running "$keyring_pid" kwallet_is_open true
  running "$keyring_pid" && kwallet_is_open true || fail 94 "kwalletd5 did not open the wallet"
}
start_kwallet() {
  kwallet_config
  if [ ! -f "$data/kwalletd/kdewallet.kwl" ]; then # a new wallet: its login exposes no collection
    kwallet_login; quiesce_kwallet; stop "$keyring_pid"; keyring_pid=; wait_released
  fi
  kwallet_login
  wait_service true "kwalletd5 exposed no default collection" # Locked=true: the post-login state
}
lock_kwallet() {
  call org.kde.kwalletd5 /modules/kwalletd5 org.kde.KWallet.close string:kdewallet boolean:true >/dev/null &&
    wait_for 20 kwallet_is_open false && default_is true
}
quiesce_kwallet() { # closing the wallet writes it
  kwallet_is_open true && call org.kde.kwalletd5 /modules/kwalletd5 org.kde.KWallet.close string:kdewallet boolean:true >/dev/null
  return 0
}

# --- the service, then COMMAND -----------------------------------------------------------------
case "$mode" in
  unlocked | locked)
    "start_${service//-/_}"
    if [ "$mode" = locked ] && [ "$service" != gnome-keyring ]; then
      "lock_${service//-/_}" || fail 96 "the default collection did not lock"
    fi
    owner_pid
    [ "$owner" = "$keyring_pid" ] || fail 94 "org.freedesktop.secrets is owned by PID ${owner:-?}, not by the daemon started ($keyring_pid)" ;;
  noservice) ;;
esac
export GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID="$keyring_pid"

if [ -n "$notifications" ]; then
  here=$(cd "$(dirname "$0")" && pwd)
  : > "$dir/notifications.log"
  env --default-signal=TERM,INT,HUP /usr/bin/python3 "$here/notification-service.py" "$dir/notifications.log" "$dir/notify.ready" \
    >>"$dir/notify.err" 2>&1 </dev/null &
  notify_pid=$!
  wait_for 10 while_running "$notify_pid" test -s "$dir/notify.ready"
  if [ ! -s "$dir/notify.ready" ]; then
    cp "$dir/notify.err" "$dir/notify.log" 2>/dev/null
    fail 95 "the notification service did not start (apt-get install python3-gi)"
  fi
  export GIT_CREDENTIAL_AZDO_TEST_NOTIFICATIONS="$dir/notifications.log"
fi

"$@"
