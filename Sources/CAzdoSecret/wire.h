// The fast lookup path: a small D-Bus client for what git's `get` needs, a Secret Service
// search with its attributes and secrets, and on a miss the default collection's lock
// state. It speaks the wire protocol (wire-codec.h) over the session bus's unix socket
// itself, so a lookup loads neither gio nor glib (1.1 ms) and skips GDBus's and
// libsecret's set-up (threads, type system, proxies, an encrypted session: two thirds of
// a lookup through git's C helper). Everything else, and any reply this client does not
// expect, goes through libsecret (libsecret-path.h). A bus address this client does not
// speak (anything but unix:path= or unix:abstract=) goes there too.
#ifndef CAZDOSECRET_WIRE_H
#define CAZDOSECRET_WIRE_H

#include "CAzdoSecret.h"
#include "search-result.h"

/// One connection to the session bus, authenticated and registered (Hello).
typedef struct WireConnection WireConnection;

/// What the caller does after a call that did not succeed.
typedef enum {
    /// Report the status: the service or the bus said what is wrong.
    WIRE_REPORT = 0,
    /// Try again on the same connection: gnome-keyring answered a new client's first call
    /// "not implemented", or an item went away between the calls of one search.
    WIRE_RETRY = 1,
    /// Ask libsecret instead: a reply this client does not expect.
    WIRE_FALL_BACK = 2,
    /// Try again: items were deleted after the search found them, and every other item's
    /// secret was read; once the attempts run out, the items that are left are the answer.
    WIRE_RETRY_VANISHED = 3,
} WireNext;

/// Connects to the session bus named by DBUS_SESSION_BUS_ADDRESS (or $XDG_RUNTIME_DIR/bus).
/// Returns NULL with `*unsupported` set when the address is of a kind this client does not
/// speak, or NULL with `error` filled when connecting failed.
WireConnection *wire_open(int timeout_ms, int *unsupported, CAzdoSecretError *error);

/// Closes the connection and frees it.
void wire_close(WireConnection *connection);

/// SearchItems for `schema` and `query`; for the unlocked matches their attributes, and
/// with `load` their secrets over a `plain` session (OpenSession, GetSecrets); when nothing
/// unlocked matched, whether the default collection is locked. Three round trips.
CAzdoSecretStatus wire_search(WireConnection *connection, const char *schema, const CAzdoSecretAttribute *query,
                              size_t query_count, int load, int timeout_ms, SearchResult *result, WireNext *next,
                              CAzdoSecretError *error);

/// Whether the default collection is locked (`result->collection_locked`), and its path
/// (`result->collection`, NULL when there is none): ReadAlias, then its Locked property.
CAzdoSecretStatus wire_check_collection(WireConnection *connection, int timeout_ms, SearchResult *result,
                                        WireNext *next, CAzdoSecretError *error);

/// Which program owns `org.freedesktop.secrets`, from the other names its connection owns.
CAzdoSecretProvider wire_provider(WireConnection *connection, int timeout_ms);

#endif
