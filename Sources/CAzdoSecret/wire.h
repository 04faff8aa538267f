// A small D-Bus client for what git's `get` and `erase` need: a Secret Service search with
// its attributes and secrets, and deleting an item. It speaks the wire protocol over the
// session bus's unix socket itself, so these load neither gio nor glib (1.1 ms) and skip
// GDBus's connection set-up (threads, type system: about 1.2 ms). Everything else
// (storing, the lock check, notifications) still goes through libsecret and GDBus, and a
// bus address this client does not speak (anything but unix:path= or unix:abstract=)
// falls back to GDBus.
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

/// The status an error reply named `name` (a D-Bus error name) means, for this client and
/// for the GDBus path in secret.c alike.
CAzdoSecretStatus wire_error_status(const char *name);

/// Deletes the item at `path` (Item.Delete); `*raced` when gnome-keyring answered
/// UnknownMethod (its new-client race, see secret.c), so the caller may try again.
CAzdoSecretStatus wire_delete(WireConnection *connection, const char *path, int timeout_ms, int *raced,
                              CAzdoSecretError *error);

#endif
