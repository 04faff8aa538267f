// What a search found, as both paths (wire.h and libsecret-path.h) report it.
#ifndef CAZDOSECRET_SEARCH_RESULT_H
#define CAZDOSECRET_SEARCH_RESULT_H

#include "CAzdoSecret.h"

#include <stddef.h>

typedef struct {
    /// The matches in unlocked collections, with attributes (and secrets when loaded).
    CAzdoSecretItem *items;
    size_t item_count;
    /// The paths of the matches that are locked (their contents unread).
    char **locked;
    size_t locked_count;
    /// When nothing unlocked matched: 1 if the default collection is locked, else 0.
    int collection_locked;
    /// When nothing unlocked matched and there is a default collection: its path.
    char *collection;
} SearchResult;

/// Frees everything the result owns (wiping the secrets) and empties it.
void search_result_free(SearchResult *result);

/// Appends a strdup'd copy of `path` to `*paths`; 0, or -1 when an allocation failed.
int search_result_add_path(char ***paths, size_t *count, const char *path);

#endif
