#ifndef CAZDOSECRET_H
#define CAZDOSECRET_H

#include <stddef.h>

// Why this shim exists
// --------------------
// Swift cannot call libsecret's C-variadic functions, imports `SecretSchema`'s fixed
// 32-entry attribute array as a tuple, cannot subclass its SecretService (prompts,
// prompt.h), and would otherwise see all of glib. This header is the whole surface Swift
// sees: plain C strings and byte buffers, no glib types.
//
// Two paths, one implementation of each Secret Service operation:
// - The fast lookup (`CAzdoSecret_search`): the shim's own small D-Bus client (wire.h)
//   with a `plain` session (the bus is the user's own local socket), three round trips,
//   instead of libsecret's generic set-up, which cost about two thirds of a lookup.
// - Everything else, through libsecret (libsecret-path.h): storing, deleting, unlocking,
//   and any search whose replies the fast client does not expect, or that must unlock
//   first. Secrets travel there in libsecret's encrypted session.
// Every secret this shim hands out is malloc'd by the shim and wiped by
// `CAzdoSecret_items_free`.
//
// gio, glib and libsecret are loaded with dlopen when first needed (see library.h): a
// lookup that finds a PAT never maps them, and neither does a process that never
// touches the keyring.
//
// Every call takes a timeout in milliseconds. A call that may meet a prompt also takes
// `prompt_ms`: how long the prompt may wait for a person once shown; after that it is
// dismissed. With `prompt_ms` 0 no prompt is shown: it is dismissed at once.

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
    /// The service, or the person at it, dismissed a prompt.
    CAZDO_SECRET_PROMPT_DISMISSED = 6,
    /// Any other error; the message says what the service or GLib reported.
    CAZDO_SECRET_FAILED = 7,
    /// libsecret (or the glib it needs) could not be loaded; the message is the loader's.
    CAZDO_SECRET_NO_LIBRARY = 8,
    /// The Secret Service left the bus (quit or was killed) before answering a call.
    CAZDO_SECRET_SERVICE_STOPPED = 9,
    /// A prompt was not completed within `prompt_ms`, and was dismissed.
    CAZDO_SECRET_PROMPT_UNANSWERED = 10,
    /// The object (an item to delete) does not exist.
    CAZDO_SECRET_NO_SUCH_OBJECT = 11,
} CAzdoSecretStatus;

/// The program that owns `org.freedesktop.secrets`, as far as the bus tells.
typedef enum {
    CAZDO_SECRET_PROVIDER_UNKNOWN = 0,
    CAZDO_SECRET_PROVIDER_GNOME_KEYRING = 1,
    CAZDO_SECRET_PROVIDER_KEEPASSXC = 2,
    CAZDO_SECRET_PROVIDER_KWALLET = 3,
} CAzdoSecretProvider;

/// Flags of `CAzdoSecret_search`.
enum {
    /// Load the secrets too.
    CAZDO_SECRET_LOAD = 1 << 0,
    /// When only locked items match, or nothing does and the default collection is locked,
    /// unlock them (prompting up to `prompt_ms`) and search again.
    CAZDO_SECRET_UNLOCK = 1 << 1,
    /// Search through libsecret, not the fast client (what the fast client falls back to).
    CAZDO_SECRET_VIA_LIBSECRET = 1 << 2,
};

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

/// Finds unlocked items whose `xdg:schema` is `schema` (this tool's own when NULL) and
/// whose attributes equal `query`, with their attributes, and their secrets with
/// `CAZDO_SECRET_LOAD`. `locked_count` receives how many matching items are locked (their
/// contents unread); when no unlocked item matched, `collection_locked` whether the default
/// collection is locked.
CAzdoSecretStatus CAzdoSecret_search(const char *_Nullable schema, const CAzdoSecretAttribute *_Nullable query,
                                     size_t query_count, int flags, int timeout_ms, int prompt_ms,
                                     CAzdoSecretItem *_Nullable *_Nonnull items, size_t *_Nonnull item_count,
                                     size_t *_Nonnull locked_count, int *_Nonnull collection_locked,
                                     CAzdoSecretError *_Nonnull error);

/// Wipes every secret in `items`, then frees the array and everything it owns.
void CAzdoSecret_items_free(CAzdoSecretItem *_Nullable items, size_t count);

/// Stores `secret` as a new item of this tool's schema in the default collection, under
/// exactly `attributes`; an item with identical attributes is left alone, never replaced.
CAzdoSecretStatus CAzdoSecret_store(const CAzdoSecretAttribute *_Nonnull attributes, size_t count,
                                    const char *_Nonnull label, const char *_Nonnull secret, int timeout_ms,
                                    int prompt_ms, CAzdoSecretError *_Nonnull error);

/// Deletes the item at `path` (as returned by `CAzdoSecret_search`).
CAzdoSecretStatus CAzdoSecret_delete(const char *_Nonnull path, int timeout_ms, int prompt_ms,
                                     CAzdoSecretError *_Nonnull error);

/// Whether the default collection is locked (`*locked` 0 also when there is none). The
/// service answers this while a search waits (KeePassXC holds a search until its database
/// is unlocked).
CAzdoSecretStatus CAzdoSecret_collection_locked(int timeout_ms, int *_Nonnull locked, CAzdoSecretError *_Nonnull error);

/// Unlocks the default collection.
CAzdoSecretStatus CAzdoSecret_unlock(int timeout_ms, int prompt_ms, CAzdoSecretError *_Nonnull error);

/// Which program owns `org.freedesktop.secrets` (for messages: each names its fix).
CAzdoSecretProvider CAzdoSecret_provider(int timeout_ms);

/// Shows a desktop notification through `org.freedesktop.Notifications` on the session bus
/// (the refresher's expiry warnings). It lives here because this shim owns the tool's only
/// session-bus connection code. `urgency` is 0 (low), 1 (normal) or 2 (critical); `*id`
/// receives the server's notification id. `CAZDO_SECRET_NO_SERVICE` means no notification
/// server runs (typical over SSH), `CAZDO_SECRET_NO_BUS` no session bus at all.
CAzdoSecretStatus CAzdoSecret_notify(const char *_Nonnull app_name, const char *_Nonnull summary,
                                     const char *_Nonnull body, int urgency, int timeout_ms,
                                     unsigned int *_Nonnull id, CAzdoSecretError *_Nonnull error);

/// For the fuzzer only: `bytes` as a stream from the session bus arriving in pieces (each
/// message read by every reader of a reply the client makes), as one whole message, and
/// up to a NUL as a bus address and an authentication answer (see wire-codec.h). Returns
/// how many reads accepted them; nothing may crash or read out of bounds, whatever the bytes.
int CAzdoSecret_fuzz_wire(const unsigned char *_Nonnull bytes, size_t length);

/// For tests: whether the fast client's reader of one kind of reply (`search`, `attributes`,
/// `secrets`, `session`, `object`, `string`, `u32`, `boolean`) accepts `bytes` as a whole
/// method return: 1 or 0, and -1 for an unknown reader.
int CAzdoSecret_wire_reads(const char *_Nonnull reader, const unsigned char *_Nonnull bytes, size_t length);

/// Frees the message inside `error` and resets it to success.
void CAzdoSecret_error_clear(CAzdoSecretError *_Nonnull error);

#ifdef __cplusplus
}
#endif

#endif
