// See libsecret-path.h.
#include "libsecret-path.h"

#include "gio-support.h"
#include "prompt.h"

#include <stdlib.h>
#include <string.h>

static GMutex shared_lock;
static SecretService *shared_service = NULL;

void libsecret_reset(void) {
    if (azdo_library_load_secret() != NULL) {
        return;
    }
    g_mutex_lock(&shared_lock);
    SecretService *service = shared_service;
    shared_service = NULL;
    g_mutex_unlock(&shared_lock);
    if (service != NULL) {
        g_object_unref(service);
    }
}

// One libsecret call: its watchdog, the prompt bounds it sets for this thread, and the
// service, opened on first use and shared by the calls of this process.
typedef struct {
    Watchdog *dog;
    AzdoPromptBounds bounds;
    SecretService *service;
} Operation;

static CAzdoSecretStatus begin(Operation *operation, int timeout_ms, int prompt_ms, CAzdoSecretError *error) {
    memset(operation, 0, sizeof *operation);
    const char *missing = azdo_library_load_secret();
    if (missing != NULL) {
        return azdo_fail(error, CAZDO_SECRET_NO_LIBRARY, missing);
    }
    GDBusConnection *bus = azdo_session_bus(timeout_ms, error);
    if (bus == NULL) {
        return error->status;
    }
    g_object_unref(bus);
    if ((operation->dog = azdo_watchdog_start(timeout_ms)) == NULL) {
        return azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
    }
    operation->bounds = (AzdoPromptBounds){timeout_ms, prompt_ms, operation->dog};
    azdo_prompt_set_bounds(&operation->bounds);
    g_mutex_lock(&shared_lock);
    if (shared_service != NULL) {
        operation->service = g_object_ref(shared_service);
    }
    g_mutex_unlock(&shared_lock);
    if (operation->service != NULL) {
        return CAZDO_SECRET_OK;
    }
    GError *gerror = NULL;
    SecretService *service = secret_service_open_sync(azdo_service_get_type(), NULL, SECRET_SERVICE_NONE,
                                                      azdo_watchdog_cancellable(operation->dog), &gerror);
    if (service == NULL) {
        return azdo_fail_gerror(error, gerror);
    }
    g_mutex_lock(&shared_lock);
    if (shared_service == NULL) {
        shared_service = g_object_ref(service);
    }
    g_mutex_unlock(&shared_lock);
    operation->service = service;
    return CAZDO_SECRET_OK;
}

static GCancellable *cancellable(Operation *operation) { return azdo_watchdog_cancellable(operation->dog); }

// Flushes what the call left queued (a prompt's Dismiss), clears the bounds and stops the
// watchdog.
static void end(Operation *operation) {
    if (operation->service != NULL) {
        g_dbus_connection_flush_sync(g_dbus_proxy_get_connection((GDBusProxy *)operation->service),
                                     cancellable(operation), NULL);
        g_object_unref(operation->service);
    }
    azdo_prompt_set_bounds(NULL);
    if (operation->dog != NULL) {
        azdo_watchdog_stop(operation->dog);
    }
}

// The default collection's path, NULL (with CAZDO_SECRET_OK) when there is none.
static CAzdoSecretStatus default_collection(Operation *operation, gchar **path, CAzdoSecretError *error) {
    GError *gerror = NULL;
    *path = secret_service_read_alias_dbus_path_sync(operation->service, "default", cancellable(operation), &gerror);
    if (gerror != NULL) {
        return azdo_fail_gerror(error, gerror);
    }
    if (*path != NULL && strcmp(*path, "/") == 0) {
        g_free(*path);
        *path = NULL;
    }
    return CAZDO_SECRET_OK;
}

// Copies an unlocked item's attributes and (when loaded) secret into `item`; 0, or -1 when
// an allocation failed.
static int copy_item(SecretItem *found, CAzdoSecretItem *item) {
    if ((item->path = strdup(g_dbus_proxy_get_object_path((GDBusProxy *)found))) == NULL) {
        return -1;
    }
    GHashTable *attributes = secret_item_get_attributes(found);
    guint count = attributes != NULL ? g_hash_table_size(attributes) : 0;
    int failed = (item->attributes = calloc(count ? count : 1, sizeof *item->attributes)) == NULL;
    GHashTableIter iter;
    gpointer name, value;
    if (attributes != NULL && !failed) {
        g_hash_table_iter_init(&iter, attributes);
        while (g_hash_table_iter_next(&iter, &name, &value)) {
            char *name_copy = strdup(name), *value_copy = strdup(value);
            if (name_copy == NULL || value_copy == NULL) {
                free(name_copy);
                free(value_copy);
                failed = 1;
                break;
            }
            item->attributes[item->attribute_count++] = (CAzdoSecretAttribute){name_copy, value_copy};
        }
    }
    if (attributes != NULL) {
        g_hash_table_unref(attributes);
    }
    // secret_value_unref frees libsecret's copy with its secure allocator, which wipes it.
    SecretValue *secret = secret_item_get_secret(found);
    if (secret != NULL && !failed) {
        gsize length = 0;
        const gchar *bytes = secret_value_get(secret, &length);
        if ((item->secret = malloc(length ? length : 1)) == NULL) {
            failed = 1;
        } else {
            memcpy(item->secret, bytes, length);
            item->secret_length = length;
        }
    }
    if (secret != NULL) {
        secret_value_unref(secret);
    }
    return failed ? -1 : 0;
}

static CAzdoSecretStatus collect(GList *found, SearchResult *result, CAzdoSecretError *error) {
    guint count = g_list_length(found);
    if (count > 0 && (result->items = calloc(count, sizeof *result->items)) == NULL) {
        return azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
    }
    for (GList *node = found; node != NULL; node = node->next) {
        SecretItem *item = node->data;
        int failed = secret_item_get_locked(item)
                         ? search_result_add_path(&result->locked, &result->locked_count,
                                                  g_dbus_proxy_get_object_path((GDBusProxy *)item))
                         : copy_item(item, &result->items[result->item_count++]);
        if (failed) {
            return azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
        }
    }
    return CAZDO_SECRET_OK;
}

// Whether the default collection is locked, and its path.
static CAzdoSecretStatus check_collection(Operation *operation, SearchResult *result, CAzdoSecretError *error) {
    gchar *path = NULL;
    if (default_collection(operation, &path, error) != CAZDO_SECRET_OK || path == NULL) {
        return error->status;
    }
    GError *gerror = NULL;
    SecretCollection *collection = secret_collection_new_for_dbus_path_sync(
        operation->service, path, SECRET_COLLECTION_NONE, cancellable(operation), &gerror);
    CAzdoSecretStatus status = CAZDO_SECRET_OK;
    if (collection == NULL) {
        status = azdo_fail_gerror(error, gerror);
    } else {
        result->collection_locked = secret_collection_get_locked(collection) ? 1 : 0;
        g_object_unref(collection);
        if ((result->collection = strdup(path)) == NULL) {
            status = azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
        }
    }
    g_free(path);
    return status;
}

CAzdoSecretStatus libsecret_search(const char *schema, const CAzdoSecretAttribute *query, size_t query_count,
                                   int load, int timeout_ms, SearchResult *result, CAzdoSecretError *error) {
    Operation operation;
    CAzdoSecretStatus status = begin(&operation, timeout_ms, 0, error);
    if (status == CAZDO_SECRET_OK) {
        GHashTable *attributes = g_hash_table_new(g_str_hash, g_str_equal);
        g_hash_table_insert(attributes, "xdg:schema", (gpointer)schema);
        for (size_t i = 0; i < query_count; i++) {
            g_hash_table_insert(attributes, (gpointer)query[i].name, (gpointer)query[i].value);
        }
        GError *gerror = NULL;
        // No schema: the attributes (xdg:schema among them) are matched as given.
        GList *found = secret_service_search_sync(
            operation.service, NULL, attributes, SECRET_SEARCH_ALL | (load ? SECRET_SEARCH_LOAD_SECRETS : 0),
            cancellable(&operation), &gerror);
        g_hash_table_unref(attributes);
        if (gerror != NULL) {
            status = azdo_fail_gerror(error, gerror);
        } else {
            status = collect(found, result, error);
        }
        g_list_free_full(found, g_object_unref);
        if (status == CAZDO_SECRET_OK && result->item_count == 0) {
            status = check_collection(&operation, result, error);
        }
    }
    end(&operation);
    return status;
}

CAzdoSecretStatus libsecret_check_collection(int timeout_ms, SearchResult *result, CAzdoSecretError *error) {
    Operation operation;
    CAzdoSecretStatus status = begin(&operation, timeout_ms, 0, error);
    if (status == CAZDO_SECRET_OK) {
        status = check_collection(&operation, result, error);
    }
    end(&operation);
    return status;
}

CAzdoSecretStatus libsecret_unlock(char *const *paths, size_t count, int timeout_ms, int prompt_ms,
                                   CAzdoSecretError *error) {
    Operation operation;
    CAzdoSecretStatus status = begin(&operation, timeout_ms, prompt_ms, error);
    gchar *collection = NULL;
    if (status == CAZDO_SECRET_OK && count == 0) {
        status = default_collection(&operation, &collection, error);
        if (status == CAZDO_SECRET_OK && collection == NULL) {
            status = azdo_fail(error, CAZDO_SECRET_NO_COLLECTION, "the Secret Service has no default collection");
        }
    }
    const gchar **objects = status == CAZDO_SECRET_OK ? calloc(count + 2, sizeof *objects) : NULL;
    if (status == CAZDO_SECRET_OK && objects == NULL) {
        status = azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
    }
    if (status == CAZDO_SECRET_OK) {
        for (size_t i = 0; i < count; i++) {
            objects[i] = paths[i];
        }
        if (count == 0) {
            objects[0] = collection;
        }
        GError *gerror = NULL;
        gchar **unlocked = NULL;
        gint done = secret_service_unlock_dbus_paths_sync(operation.service, objects, cancellable(&operation),
                                                          &unlocked, &gerror);
        if (gerror != NULL) {
            status = azdo_fail_gerror(error, gerror);
        } else if (done <= 0) {
            status = azdo_fail(error, CAZDO_SECRET_LOCKED, "the Secret Service unlocked nothing");
        }
        g_strfreev(unlocked);
    }
    free(objects);
    g_free(collection);
    end(&operation);
    return status;
}

// The properties of a new item: its label and its attributes, `xdg:schema` among them.
static GHashTable *item_properties(const char *schema, const CAzdoSecretAttribute *attributes, size_t count,
                                   const char *label) {
    GVariantBuilder builder;
    g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
    g_variant_builder_add(&builder, "{ss}", "xdg:schema", schema);
    for (size_t i = 0; i < count; i++) {
        g_variant_builder_add(&builder, "{ss}", attributes[i].name, attributes[i].value);
    }
    GHashTable *properties = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_variant_unref);
    g_hash_table_insert(properties, "org.freedesktop.Secret.Item.Label",
                        g_variant_ref_sink(g_variant_new_string(label)));
    g_hash_table_insert(properties, "org.freedesktop.Secret.Item.Attributes",
                        g_variant_ref_sink(g_variant_builder_end(&builder)));
    return properties;
}

CAzdoSecretStatus libsecret_create(const char *schema, const CAzdoSecretAttribute *attributes, size_t count,
                                   const char *label, const char *secret, int timeout_ms, int prompt_ms,
                                   CAzdoSecretError *error) {
    Operation operation;
    CAzdoSecretStatus status = begin(&operation, timeout_ms, prompt_ms, error);
    gchar *collection = NULL;
    if (status == CAZDO_SECRET_OK) {
        status = default_collection(&operation, &collection, error);
    }
    if (status == CAZDO_SECRET_OK && collection == NULL) {
        status = azdo_fail(error, CAZDO_SECRET_NO_COLLECTION, "the Secret Service has no default collection");
    }
    if (status == CAZDO_SECRET_OK) {
        GHashTable *properties = item_properties(schema, attributes, count, label);
        // secret_value_new copies the secret into libsecret's secure memory, wiped when freed.
        SecretValue *value = secret_value_new(secret, -1, "text/plain");
        GError *gerror = NULL;
        gchar *path = secret_service_create_item_dbus_path_sync(
            operation.service, collection, properties, value, SECRET_ITEM_CREATE_NONE, cancellable(&operation),
            &gerror);
        secret_value_unref(value);
        g_hash_table_unref(properties);
        if (path == NULL) {
            status = gerror != NULL ? azdo_fail_gerror(error, gerror)
                                    : azdo_fail(error, CAZDO_SECRET_FAILED, "the Secret Service created no item");
        }
        g_free(path);
    }
    g_free(collection);
    end(&operation);
    return status;
}

CAzdoSecretStatus libsecret_delete(const char *path, int timeout_ms, int prompt_ms, CAzdoSecretError *error) {
    Operation operation;
    CAzdoSecretStatus status = begin(&operation, timeout_ms, prompt_ms, error);
    if (status == CAZDO_SECRET_OK) {
        GError *gerror = NULL;
        if (!secret_service_delete_item_dbus_path_sync(operation.service, path, cancellable(&operation), &gerror)) {
            status = gerror != NULL ? azdo_fail_gerror(error, gerror)
                                    : azdo_fail(error, CAZDO_SECRET_FAILED, "the Secret Service deleted nothing");
        }
    }
    end(&operation);
    return status;
}
