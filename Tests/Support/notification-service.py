#!/usr/bin/python3
# notification-service.py LOG READY: a stand-in desktop notification server for tests.
# It owns org.freedesktop.Notifications on the session bus (the test's private bus), answers
# Notify like a real server, and appends each notification to LOG as one JSON line
# ({"app", "summary", "body", "urgency"}). READY is written once the name is owned.
# Needs Debian's python3-gi (GLib's GDBus through introspection), hence /usr/bin/python3.
import json
import signal
import sys

from gi.repository import Gio, GLib

INTERFACE = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/><arg type="u" direction="out"/>
    </method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
  </interface>
</node>
"""

log_path, ready_path = sys.argv[1], sys.argv[2]
counter = 0


def on_call(connection, sender, path, interface, method, parameters, invocation):
    global counter
    if method == "Notify":
        app, _replaces, _icon, summary, body, _actions, hints, _timeout = parameters.unpack()
        counter += 1
        with open(log_path, "a") as log:
            log.write(json.dumps({"app": app, "summary": summary, "body": body,
                                  "urgency": int(hints.get("urgency", 1))}) + "\n")
        invocation.return_value(GLib.Variant("(u)", (counter,)))
    elif method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["body"],)))
    else:
        invocation.return_value(GLib.Variant("(ssss)", ("azdo-test", "git-credential-azdo", "1", "1.2")))


def on_acquired(_connection, _name):
    with open(ready_path, "w") as ready:
        ready.write("ready\n")


def on_lost(_connection, _name):
    sys.exit("notification-service.py: could not own org.freedesktop.Notifications")


bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
node = Gio.DBusNodeInfo.new_for_xml(INTERFACE)
bus.register_object("/org/freedesktop/Notifications", node.interfaces[0], on_call, None, None)
Gio.bus_own_name_on_connection(bus, "org.freedesktop.Notifications", Gio.BusNameOwnerFlags.NONE, on_acquired, on_lost)
loop = GLib.MainLoop()
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
loop.run()
