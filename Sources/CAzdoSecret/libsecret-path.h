// Every Secret Service operation but the fast lookup goes through libsecret, which already
// copes with gnome-keyring, KeePassXC and kwalletd5: storing (CreateItem, never replacing:
// KeePassXC before 2.7.6 hangs on a replacement), deleting, unlocking, and the search when
// the fast path meets a reply it does not expect or needs an unlock first. Prompts go
// through prompt.h, so each waits at most `prompt_ms` and is dismissed after that.
//
// Each call is bounded by a watchdog of `timeout_ms`, plus `prompt_ms` while a prompt waits.
#ifndef CAZDOSECRET_LIBSECRET_PATH_H
#define CAZDOSECRET_LIBSECRET_PATH_H

#include "CAzdoSecret.h"
#include "search-result.h"

/// SearchItems through libsecret, unlocked items with attributes (and secrets with
/// `load`), locked ones by path; on a miss, whether the default collection is locked.
CAzdoSecretStatus libsecret_search(const char *schema, const CAzdoSecretAttribute *query, size_t query_count,
                                   int load, int timeout_ms, SearchResult *result, CAzdoSecretError *error);

/// Whether the default collection is locked, and its path (see wire_check_collection).
CAzdoSecretStatus libsecret_check_collection(int timeout_ms, SearchResult *result, CAzdoSecretError *error);

/// Unlocks the objects at `paths` (items or collections), or the default collection when
/// `count` is 0.
CAzdoSecretStatus libsecret_unlock(char *const *paths, size_t count, int timeout_ms, int prompt_ms,
                                   CAzdoSecretError *error);

/// A new item in the default collection: `attributes` plus `xdg:schema`, never replacing one.
CAzdoSecretStatus libsecret_create(const char *schema, const CAzdoSecretAttribute *attributes, size_t count,
                                   const char *label, const char *secret, int timeout_ms, int prompt_ms,
                                   CAzdoSecretError *error);

/// Deletes the item at `path`.
CAzdoSecretStatus libsecret_delete(const char *path, int timeout_ms, int prompt_ms, CAzdoSecretError *error);

/// Drops the shared libsecret service, so the next call opens a new one (and a new
/// session): after a failure its session may be unusable (kwalletd5 forgets a session now
/// and then: "Can't find session").
void libsecret_reset(void);

#endif
