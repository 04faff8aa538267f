#ifndef CAZDOSECRET_H
#define CAZDOSECRET_H

#include <stddef.h>

// Why this shim exists
// --------------------
// Swift cannot call libsecret's C-variadic functions, imports `SecretSchema`'s fixed
// 32-entry attribute array as a tuple, and would otherwise see all of glib. This header
// is the whole surface Swift sees: plain C strings and byte buffers, no glib types.
//
// Reads (`CAzdoSecret_search`) talk to the Secret Service with a `plain` session (the bus
// is the user's own local socket) in three round trips, instead of libsecret's generic
// set-up, which cost about two thirds of a lookup (see Performance in the README). They
// go over the session bus's socket with the shim's own small D-Bus client (wire.h), or
// over GDBus for a bus address that client does not speak. Writes go through libsecret
// (`secret_password_storev_sync`), so the secret travels in an encrypted session and
// libsecret owns the item schema. Every secret this shim hands out is malloc'd by the
// shim and wiped by `CAzdoSecret_items_free`.
//
// gio, glib and libsecret are loaded with dlopen when first needed (see library.h): a
// lookup that finds a PAT never maps them, and neither does a process that never
// touches the keyring.
//
// Every call takes a timeout in milliseconds; no call ever shows an unlock prompt.

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a shim call. `CAZDO_SECRET_OK` is success; every other value names the
/// failure so Swift can say exactly what to fix.
typedef enum {
    CAZDO_SECRET_OK = 0,
    /// No session bus address, or connecting to it failed.
    CAZDO_SECRET_NO_BUS = 1,
    /// Nothing owns `org.freedesktop.secrets` on the session bus.
    CAZDO_SECRET_NO_SERVICE = 2,
    /// The collection holding (or meant to hold) the item is locked.
    CAZDO_SECRET_LOCKED = 3,
    /// The service did not answer within the timeout.
    CAZDO_SECRET_TIMEOUT = 4,
    /// There is no `default` collection to store into.
    CAZDO_SECRET_NO_COLLECTION = 5,
    /// The service asked for a prompt, which this tool never shows.
    CAZDO_SECRET_PROMPT_REQUIRED = 6,
    /// Any other error; the message says what the service or GLib reported.
    CAZDO_SECRET_FAILED = 7,
    /// libsecret (or the glib it needs) could not be loaded; the message is the loader's.
    CAZDO_SECRET_NO_LIBRARY = 8,
    /// The Secret Service left the bus (quit or was killed) before answering a call.
    CAZDO_SECRET_SERVICE_STOPPED = 9,
} CAzdoSecretStatus;

/// One non-secret item attribute.
typedef struct {
    const char *_Nonnull name;
    const char *_Nonnull value;
} CAzdoSecretAttribute;

/// One item found by `CAzdoSecret_search`; every pointer is owned by the item array.
typedef struct {
    /// D-Bus object path of the item, used to delete exactly this item.
    char *_Nonnull path;
    CAzdoSecretAttribute *_Nullable attributes;
    size_t attribute_count;
    /// The secret bytes (not NUL-terminated), or NULL when secrets were not requested.
    unsigned char *_Nullable secret;
    size_t secret_length;
} CAzdoSecretItem;

/// Failure details; `message` is malloc'd (or NULL) and freed by `CAzdoSecret_error_clear`.
typedef struct {
    CAzdoSecretStatus status;
    char *_Nullable message;
} CAzdoSecretError;

/// The schema name stored in every item's `xdg:schema` attribute.
extern const char *_Nonnull const CAzdoSecret_schema_name;

/// Finds unlocked items of this tool's schema whose attributes equal `query`.
/// With `load_secrets` the secrets come along in the same call. `locked_count` receives
/// how many matching items sit in locked collections (their contents stay unread).
CAzdoSecretStatus CAzdoSecret_search(const CAzdoSecretAttribute *_Nullable query, size_t query_count,
                                     int load_secrets, int timeout_ms,
                                     CAzdoSecretItem *_Nullable *_Nonnull items, size_t *_Nonnull item_count,
                                     size_t *_Nonnull locked_count, CAzdoSecretError *_Nonnull error);

/// The same search for items of another program's `schema` (`xdg:schema`), for importing
/// what Git Credential Manager or git's libsecret helper stored. Read only.
CAzdoSecretStatus CAzdoSecret_search_schema(const char *_Nonnull schema, const CAzdoSecretAttribute *_Nullable query,
                                            size_t query_count, int load_secrets, int timeout_ms,
                                            CAzdoSecretItem *_Nullable *_Nonnull items, size_t *_Nonnull item_count,
                                            size_t *_Nonnull locked_count, CAzdoSecretError *_Nonnull error);

/// Wipes every secret in `items`, then frees the array and everything it owns.
void CAzdoSecret_items_free(CAzdoSecretItem *_Nullable items, size_t count);

/// Stores `secret` in the default collection under exactly `attributes` (plus the schema),
/// replacing an item whose attributes are identical.
CAzdoSecretStatus CAzdoSecret_store(const CAzdoSecretAttribute *_Nonnull attributes, size_t count,
                                    const char *_Nonnull label, const char *_Nonnull secret,
                                    int timeout_ms, CAzdoSecretError *_Nonnull error);

/// Deletes the item at `path` (as returned by `CAzdoSecret_search`).
CAzdoSecretStatus CAzdoSecret_delete(const char *_Nonnull path, int timeout_ms, CAzdoSecretError *_Nonnull error);

/// Tells whether the `default` collection is locked: `*locked` is 1 or 0 on success;
/// `CAZDO_SECRET_NO_COLLECTION` when there is no default collection.
CAzdoSecretStatus CAzdoSecret_default_collection_locked(int timeout_ms, int *_Nonnull locked,
                                                        CAzdoSecretError *_Nonnull error);

/// Shows a desktop notification through `org.freedesktop.Notifications` on the session bus
/// (the refresher's expiry warnings). It lives here because this shim owns the tool's only
/// session-bus connection code. `urgency` is 0 (low), 1 (normal) or 2 (critical); `*id`
/// receives the server's notification id. `CAZDO_SECRET_NO_SERVICE` means no notification
/// server runs (typical over SSH), `CAZDO_SECRET_NO_BUS` no session bus at all.
CAzdoSecretStatus CAzdoSecret_notify(const char *_Nonnull app_name, const char *_Nonnull summary,
                                     const char *_Nonnull body, int urgency, int timeout_ms,
                                     unsigned int *_Nonnull id, CAzdoSecretError *_Nonnull error);

/// For the fuzzer only: parses `bytes` as one message from the session bus, then its body
/// as each reply a lookup reads (the D-Bus wire client's parser, see wire.h). Returns how
/// many of them parsed; nothing may crash or read out of bounds, whatever the bytes.
int CAzdoSecret_fuzz_wire_message(const unsigned char *_Nonnull bytes, size_t length);

/// Frees the message inside `error` and resets it to success.
void CAzdoSecret_error_clear(CAzdoSecretError *_Nonnull error);

#ifdef __cplusplus
}
#endif

#endif
