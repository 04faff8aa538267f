// The entry points of include/CAzdoSecret.h: which path each operation takes.
#include "CAzdoSecret.h"

#include "failure.h"
#include "libsecret-path.h"
#include "search-result.h"
#include "wire.h"

#include <stdlib.h>
#include <string.h>

const char *const CAzdoSecret_schema_name = "git-credential-azdo.Credential";

static void wipe(void *data, size_t length) {
    if (data != NULL && length > 0) {
        explicit_bzero(data, length);
    }
}

// Frees what one item owns (not the item itself), wiping its secret.
static void CAzdoSecret_items_free_one(CAzdoSecretItem *item) {
    wipe(item->secret, item->secret_length);
    free(item->secret);
    for (size_t j = 0; j < item->attribute_count; j++) {
        free((void *)item->attributes[j].name);
        free((void *)item->attributes[j].value);
    }
    free(item->attributes);
    free(item->path);
}

void CAzdoSecret_items_free(CAzdoSecretItem *items, size_t count) {
    if (items == NULL) {
        return;
    }
    for (size_t i = 0; i < count; i++) {
        CAzdoSecret_items_free_one(&items[i]);
    }
    free(items);
}

void search_result_free(SearchResult *result) {
    CAzdoSecret_items_free(result->items, result->item_count);
    for (size_t i = 0; i < result->locked_count; i++) {
        free(result->locked[i]);
    }
    free(result->locked);
    free(result->collection);
    memset(result, 0, sizeof *result);
}

int search_result_add_path(char ***paths, size_t *count, const char *path) {
    char **grown = realloc(*paths, (*count + 1) * sizeof **paths);
    if (grown == NULL) {
        return -1;
    }
    *paths = grown;
    if ((grown[*count] = strdup(path)) == NULL) {
        return -1;
    }
    (*count)++;
    return 0;
}

CAzdoSecretStatus azdo_fail(CAzdoSecretError *error, CAzdoSecretStatus status, const char *message) {
    error->status = status;
    if (error->message == NULL && message != NULL) {
        error->message = strdup(message);
    }
    return status;
}

void CAzdoSecret_error_clear(CAzdoSecretError *error) {
    free(error->message);
    error->message = NULL;
    error->status = CAZDO_SECRET_OK;
}

// A search that raced a deletion is run again, up to this many times in all: listing every
// item while another client stores and erases in a loop (the keyring matrix's churn beside
// `status` and `doctor`) raced 3 times in a row on kwalletd5 once, and 6 times in a row
// once in CI (2026-11-26). A retry costs a millisecond or two, and only after a race.
enum { SEARCH_ATTEMPTS = 12 };

// libsecret's search meets the races the fast client retries (an item deleted between its
// calls), and its encrypted session fails now and then on kwalletd5: about 1 call in 100
// fails ("Client public key size is invalid", "Can't find session") or reads an empty
// secret. A PAT is never empty. Each of these is tried again, with a new session.
static int libsecret_search_should_retry(CAzdoSecretStatus status, int load, const SearchResult *result) {
    if (status == CAZDO_SECRET_NO_SUCH_OBJECT || status == CAZDO_SECRET_FAILED) {
        return 1;
    }
    for (size_t i = 0; status == CAZDO_SECRET_OK && load && i < result->item_count; i++) {
        if (result->items[i].secret_length == 0) {
            return 1;
        }
    }
    return 0;
}

// The libsecret search, tried up to SEARCH_ATTEMPTS times as `libsecret_search_should_retry` says.
static CAzdoSecretStatus search_through_libsecret(const char *schema, const CAzdoSecretAttribute *query,
                                                  size_t query_count, int load, int timeout_ms, SearchResult *result,
                                                  CAzdoSecretError *error) {
    CAzdoSecretStatus status = CAZDO_SECRET_FAILED;
    for (int attempt = 0; attempt < SEARCH_ATTEMPTS; attempt++) {
        if (attempt > 0) {
            libsecret_reset();
        }
        search_result_free(result);
        CAzdoSecret_error_clear(error);
        status = libsecret_search(schema, query, query_count, load, timeout_ms, result, error);
        if (!libsecret_search_should_retry(status, load, result)) {
            break;
        }
    }
    return status;
}

// Whether the caller asked to unlock and the search found only locked things.
static int wants_unlock(int flags, const SearchResult *result) {
    return (flags & CAZDO_SECRET_UNLOCK) && result->item_count == 0 &&
           (result->locked_count > 0 || result->collection_locked);
}

// The locked items a search found and, if locked, the default collection.
static int unlock_targets(const SearchResult *result, char ***paths, size_t *count) {
    for (size_t i = 0; i < result->locked_count; i++) {
        if (search_result_add_path(paths, count, result->locked[i]) != 0) {
            return -1;
        }
    }
    if (result->collection_locked && result->collection != NULL) {
        return search_result_add_path(paths, count, result->collection);
    }
    return 0;
}

// Unlocks what `result` found locked, then searches again through libsecret: KeePassXC
// grants access per D-Bus connection, so the search must use the connection that unlocked.
// kwalletd5 answers several clients unlocking at once (six new helper processes) with
// prompts that vanish ("No such object path .../prompt/p2") or unlock nothing while
// another client's unlock opens the wallet, and a search can still find everything locked
// after an unlock that succeeded: each is tried again, three times in all.
static CAzdoSecretStatus unlock_and_search(const char *schema, const CAzdoSecretAttribute *query,
                                          size_t query_count, int load, int timeout_ms, int prompt_ms,
                                          SearchResult *result, CAzdoSecretError *error) {
    CAzdoSecretStatus status = CAZDO_SECRET_OK;
    for (int attempt = 0; attempt < 3 && status == CAZDO_SECRET_OK && wants_unlock(CAZDO_SECRET_UNLOCK, result);
         attempt++) {
        char **paths = NULL;
        size_t count = 0;
        status = unlock_targets(result, &paths, &count) == 0
                     ? libsecret_unlock(paths, count, timeout_ms, prompt_ms, error)
                     : azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
        for (size_t i = 0; i < count; i++) {
            free(paths[i]);
        }
        free(paths);
        if (status == CAZDO_SECRET_NO_SUCH_OBJECT || status == CAZDO_SECRET_LOCKED) {
            CAzdoSecret_error_clear(error);
            status = CAZDO_SECRET_OK;
        }
        if (status == CAZDO_SECRET_OK) {
            status = search_through_libsecret(schema, query, query_count, load, timeout_ms, result, error);
        }
    }
    return status;
}

// Removes the items whose secret could not be read because they were deleted after the
// search found them.
static void drop_vanished(SearchResult *result) {
    size_t kept = 0;
    for (size_t i = 0; i < result->item_count; i++) {
        if (result->items[i].secret != NULL) {
            result->items[kept++] = result->items[i];
        } else {
            CAzdoSecretItem vanished = result->items[i];
            CAzdoSecret_items_free_one(&vanished);
        }
    }
    result->item_count = kept;
}

// The wire client's search, run again when it raced; `*fall_back` when libsecret is to
// answer instead (a reply it did not expect, or a bus address it does not speak).
static CAzdoSecretStatus wire_lookup(const char *schema, const CAzdoSecretAttribute *query, size_t query_count,
                                     int load, int timeout_ms, SearchResult *result, int *fall_back,
                                     CAzdoSecretError *error) {
    int unsupported = 0;
    WireConnection *wire = wire_open(timeout_ms, &unsupported, error);
    if (wire == NULL) {
        *fall_back = unsupported;
        return unsupported ? CAZDO_SECRET_FAILED : error->status;
    }
    CAzdoSecretStatus status = CAZDO_SECRET_FAILED;
    WireNext next = WIRE_RETRY;
    for (int attempt = 0; attempt < SEARCH_ATTEMPTS && (next == WIRE_RETRY || next == WIRE_RETRY_VANISHED);
         attempt++) {
        search_result_free(result);
        CAzdoSecret_error_clear(error);
        status = wire_search(wire, schema, query, query_count, load, timeout_ms, result, &next, error);
    }
    wire_close(wire);
    // Every attempt raced another client deleting matches (a listing of every item while
    // PATs are being replaced): the items that still exist, with their secrets read, are
    // the true answer, so the vanished ones are dropped rather than the search failing.
    if (next == WIRE_RETRY_VANISHED) {
        drop_vanished(result);
        CAzdoSecret_error_clear(error);
        status = CAZDO_SECRET_OK;
    }
    *fall_back = status != CAZDO_SECRET_OK && next == WIRE_FALL_BACK;
    return status;
}

CAzdoSecretStatus CAzdoSecret_search(const char *schema, const CAzdoSecretAttribute *query, size_t query_count,
                                     int flags, int timeout_ms, int prompt_ms, CAzdoSecretItem **items,
                                     size_t *item_count, size_t *locked_count, int *collection_locked,
                                     CAzdoSecretError *error) {
    *items = NULL;
    *item_count = *locked_count = 0;
    *collection_locked = 0;
    schema = schema != NULL ? schema : CAzdoSecret_schema_name;
    int load = (flags & CAZDO_SECRET_LOAD) != 0;
    SearchResult result = {0};
    CAzdoSecretStatus status = CAZDO_SECRET_FAILED;
    int fall_back = (flags & CAZDO_SECRET_VIA_LIBSECRET) != 0;
    if (!fall_back) {
        status = wire_lookup(schema, query, query_count, load, timeout_ms, &result, &fall_back, error);
    }
    if (fall_back) {
        status = search_through_libsecret(schema, query, query_count, load, timeout_ms, &result, error);
    }
    if (status == CAZDO_SECRET_OK && wants_unlock(flags, &result)) {
        status = unlock_and_search(schema, query, query_count, load, timeout_ms, prompt_ms, &result, error);
    }
    if (status == CAZDO_SECRET_OK) {
        *items = result.items;
        *item_count = result.item_count;
        *locked_count = result.locked_count;
        *collection_locked = result.collection_locked;
        result.items = NULL;
        result.item_count = 0;
    }
    search_result_free(&result);
    return status;
}

CAzdoSecretStatus CAzdoSecret_collection_locked(int timeout_ms, int *locked, CAzdoSecretError *error) {
    *locked = 0;
    SearchResult result = {0};
    int unsupported = 0;
    CAzdoSecretStatus status = CAZDO_SECRET_FAILED;
    WireNext next = WIRE_REPORT;
    WireConnection *wire = wire_open(timeout_ms, &unsupported, error);
    if (wire != NULL) {
        status = wire_check_collection(wire, timeout_ms, &result, &next, error);
        wire_close(wire);
    }
    if ((wire == NULL && unsupported) || (status != CAZDO_SECRET_OK && next == WIRE_FALL_BACK)) {
        search_result_free(&result);
        CAzdoSecret_error_clear(error);
        status = libsecret_check_collection(timeout_ms, &result, error);
    } else if (wire == NULL) {
        status = error->status;
    }
    *locked = status == CAZDO_SECRET_OK && result.collection_locked;
    search_result_free(&result);
    return status;
}

CAzdoSecretStatus CAzdoSecret_unlock(int timeout_ms, int prompt_ms, CAzdoSecretError *error) {
    return libsecret_unlock(NULL, 0, timeout_ms, prompt_ms, error);
}

CAzdoSecretStatus CAzdoSecret_store(const CAzdoSecretAttribute *attributes, size_t count, const char *label,
                                    const char *secret, int timeout_ms, int prompt_ms, CAzdoSecretError *error) {
    CAzdoSecretStatus status =
        libsecret_create(CAzdoSecret_schema_name, attributes, count, label, secret, timeout_ms, prompt_ms, error);
    if (status == CAZDO_SECRET_FAILED || status == CAZDO_SECRET_TIMEOUT) {
        libsecret_reset();
    }
    return status;
}

CAzdoSecretStatus CAzdoSecret_delete(const char *path, int timeout_ms, int prompt_ms, CAzdoSecretError *error) {
    return libsecret_delete(path, timeout_ms, prompt_ms, error);
}

CAzdoSecretProvider CAzdoSecret_provider(int timeout_ms) {
    int unsupported = 0;
    CAzdoSecretError error = {CAZDO_SECRET_OK, NULL};
    WireConnection *wire = wire_open(timeout_ms, &unsupported, &error);
    CAzdoSecret_error_clear(&error);
    if (wire == NULL) {
        return CAZDO_SECRET_PROVIDER_UNKNOWN;
    }
    CAzdoSecretProvider provider = wire_provider(wire, timeout_ms);
    wire_close(wire);
    return provider;
}
