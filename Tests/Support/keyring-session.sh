#!/usr/bin/env bash
# keyring-session.sh: run a command inside a private D-Bus session bus with a headless
# Secret Service (gnome-keyring-daemon, secrets component only). Nothing touches the
# user's own bus or keyring; every daemon is this script's child and is stopped by PID.
#
# Usage: keyring-session.sh [--locked|--no-service|--no-bus] [--data DIR] [--notifications] [--] COMMAND [ARGS...]
#   --locked         a login keyring exists but is locked (no prompter can unlock it)
#   --no-service     a bus, but nothing owns org.freedesktop.secrets
#   --no-bus         no session bus at all
#   --data DIR       keep keyring files in DIR/keyrings, to reuse them in a later session
#   --notifications  also a stand-in desktop notification server (notification-service.py);
#                    GIT_CREDENTIAL_AZDO_TEST_NOTIFICATIONS names its log of JSON lines
# COMMAND sees DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR, XDG_DATA_HOME, and
# GIT_CREDENTIAL_AZDO_TEST_KEYRING (the session's directory; tests refuse to touch a
# keyring without it) and GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID (the keyring daemon).
# Exit status: COMMAND's, or 90-99 when the session itself could not be set up.
set -u

mode=unlocked data= notifications=
while [ $# -gt 0 ]; do
  case "$1" in
    --notifications) notifications=1; shift ;;
    --locked) mode=locked; shift ;;
    --no-service) mode=noservice; shift ;;
    --no-bus) mode=nobus; shift ;;
    --data) data=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "keyring-session: unknown option $1" >&2; exit 90 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: keyring-session.sh [options] [--] command [args...]" >&2; exit 90; }
for tool in dbus-daemon dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "keyring-session: $tool is missing (apt-get install dbus gnome-keyring)" >&2; exit 91; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/azdo-keyring.XXXXXX") || exit 92
mkdir -m 700 "$dir/run"
data=${data:-$dir/data}
mkdir -p "$data"
bus_pid= keyring_pid= notify_pid=

running() { [ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
stop() {
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null
  for _ in $(seq 100); do running "$1" || break; sleep 0.01; done
  running "$1" && kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}
cleanup() { stop "$notify_pid"; stop "$keyring_pid"; stop "$bus_pid"; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS
export XDG_RUNTIME_DIR="$dir/run" XDG_DATA_HOME="$data" GIT_CREDENTIAL_AZDO_TEST_KEYRING="$dir"

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
dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile --print-address=3 \
  3>"$dir/bus.address" 2>"$dir/dbus.log" </dev/null &
bus_pid=$!
for _ in $(seq 250); do [ -s "$dir/bus.address" ] && break; running "$bus_pid" || break; sleep 0.02; done
DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$dir/bus.address" 2>/dev/null)
[ -n "$DBUS_SESSION_BUS_ADDRESS" ] || { echo "keyring-session: dbus-daemon did not start" >&2; cat "$dir/dbus.log" >&2; exit 93; }
export DBUS_SESSION_BUS_ADDRESS

service_owned() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
start_keyring() { # $1: unlock|locked. --foreground keeps the daemon our child.
  if [ "$1" = unlock ]; then
    printf 'azdo-test' | gnome-keyring-daemon --foreground --unlock --components=secrets >>"$dir/keyring.log" 2>&1 &
  else
    gnome-keyring-daemon --foreground --start --components=secrets >>"$dir/keyring.log" 2>&1 </dev/null &
  fi
  keyring_pid=$!
  for _ in $(seq 250); do service_owned && return 0; sleep 0.02; done
  echo "keyring-session: the Secret Service did not appear" >&2; cat "$dir/keyring.log" >&2; exit 94
}
wait_released() { for _ in $(seq 100); do service_owned || return 0; sleep 0.02; done; }

case "$mode" in
  unlocked) start_keyring unlock ;;
  locked)
    if [ ! -f "$data/keyrings/login.keyring" ]; then # create the login keyring, then restart it locked
      start_keyring unlock; stop "$keyring_pid"; keyring_pid=; wait_released
    fi
    start_keyring locked ;;
  noservice) ;;
esac
export GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID="$keyring_pid"

if [ -n "$notifications" ] && [ "$mode" != nobus ]; then
  here=$(cd "$(dirname "$0")" && pwd)
  : > "$dir/notifications.log"
  /usr/bin/python3 "$here/notification-service.py" "$dir/notifications.log" "$dir/notify.ready" \
    >>"$dir/notify.err" 2>&1 </dev/null &
  notify_pid=$!
  for _ in $(seq 250); do [ -s "$dir/notify.ready" ] && break; running "$notify_pid" || break; sleep 0.02; done
  [ -s "$dir/notify.ready" ] || { echo "keyring-session: the notification service did not start (apt-get install python3-gi)" >&2; cat "$dir/notify.err" >&2; exit 95; }
  export GIT_CREDENTIAL_AZDO_TEST_NOTIFICATIONS="$dir/notifications.log"
fi

"$@"
