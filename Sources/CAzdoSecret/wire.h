// A small D-Bus client for the one thing git's `get` needs: a Secret Service search with
// its attributes and secrets. It speaks the wire protocol over the session bus's unix
// socket itself, so a lookup loads neither gio nor glib (1.1 ms) and skips GDBus's
// connection set-up (threads, type system: about 1.2 ms). Everything else (storing,
// deleting, notifications) still goes through libsecret and GDBus, and a bus address this
// client does not speak (anything but unix:path= or unix:abstract=) falls back to GDBus.
#ifndef CAZDOSECRET_WIRE_H
#define CAZDOSECRET_WIRE_H

#include "CAzdoSecret.h"

#include <stddef.h>
#include <stdint.h>

/// One connection to the session bus, authenticated and registered (Hello).
typedef struct WireConnection WireConnection;

/// Connects to the session bus named by DBUS_SESSION_BUS_ADDRESS (or $XDG_RUNTIME_DIR/bus).
/// Returns NULL with `*unsupported` set when the address is of a kind this client does not
/// speak (the caller then uses GDBus), or NULL with `error` filled when connecting failed.
WireConnection *wire_open(int timeout_ms, int *unsupported, CAzdoSecretError *error);

/// Closes the connection and frees it.
void wire_close(WireConnection *connection);

/// One search, as `search_once` in secret.c does it over GDBus: SearchItems alone, then the
/// items' attributes with OpenSession (`plain`), then GetSecrets. `*raced` as there.
CAzdoSecretStatus wire_search(WireConnection *connection, const char *schema, const CAzdoSecretAttribute *query,
                              size_t query_count, int load, int timeout_ms, CAzdoSecretItem **items,
                              size_t *item_count, size_t *locked_count, int *raced, CAzdoSecretError *error);

#endif
