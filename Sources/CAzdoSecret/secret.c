// See include/CAzdoSecret.h for why this shim exists and what it promises.
#include "CAzdoSecret.h"

#include "library.h"
#include "wire.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SERVICE_NAME "org.freedesktop.secrets"
#define SERVICE_PATH "/org/freedesktop/secrets"
#define SERVICE_IFACE "org.freedesktop.Secret.Service"
#define ITEM_IFACE "org.freedesktop.Secret.Item"
#define COLLECTION_IFACE "org.freedesktop.Secret.Collection"
#define SESSION_IFACE "org.freedesktop.Secret.Session"
#define PROPERTIES_IFACE "org.freedesktop.DBus.Properties"

const char *const CAzdoSecret_schema_name = "git-credential-azdo.Credential";

// libsecret refuses attributes a schema does not declare, so every attribute the
// Swift store writes is listed here; all are strings so no value is ever reformatted.
static const SecretSchema azdo_schema = {
    "git-credential-azdo.Credential",
    SECRET_SCHEMA_NONE,
    {
        {"kind", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"server", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"org", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"user", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"authorization_id", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"valid_from", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"valid_to", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"scope", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"display_name", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"source", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"stored_at", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"tenant", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"client_id", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {NULL, 0},
    },
};

// Records a failure; keeps the first message if one is already set.
static CAzdoSecretStatus fail(CAzdoSecretError *error, CAzdoSecretStatus status, const char *message) {
    error->status = status;
    if (error->message == NULL && message != NULL) {
        error->message = strdup(message);
    }
    return status;
}

// libsecret's error domain exists only once a store loaded libsecret; before that no
// error can come from it.
static gboolean is_secret_error(const GError *gerror, gint code) {
    return azdo_library_secret_loaded() && g_error_matches(gerror, SECRET_ERROR, code);
}

// Maps a GError from GDBus or libsecret to the status Swift reports, then frees it. An
// error the bus or the service sent is mapped by its D-Bus name, as the wire client maps
// it (GDBus's G_DBUS_ERROR codes are those names); the rest are local: GDBus's own
// timeout, the watchdog's cancellation, and libsecret's error domain.
static CAzdoSecretStatus fail_gerror(CAzdoSecretError *error, GError *gerror) {
    gchar *remote = g_dbus_error_get_remote_error(gerror);
    CAzdoSecretStatus status = remote != NULL ? wire_error_status(remote) : CAZDO_SECRET_FAILED;
    if (g_error_matches(gerror, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
        g_error_matches(gerror, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        status = CAZDO_SECRET_TIMEOUT;
    } else if (is_secret_error(gerror, SECRET_ERROR_IS_LOCKED)) {
        status = CAZDO_SECRET_LOCKED;
    } else if (is_secret_error(gerror, SECRET_ERROR_NO_SUCH_OBJECT)) {
        status = CAZDO_SECRET_NO_COLLECTION;
    }
    g_free(remote);
    if (gerror->domain == G_DBUS_ERROR) {
        g_dbus_error_strip_remote_error(gerror);
    }
    fail(error, status, gerror->message);
    g_error_free(gerror);
    return status;
}

// Neither libsecret's sync calls nor connecting to the bus (whose handshake can hang on a
// stuck daemon) time out by themselves; a watchdog thread cancels their GCancellable when
// the deadline passes.
typedef struct {
    GMutex mutex;
    GCond cond;
    gboolean done;
    gint64 deadline;
    GCancellable *cancellable;
    GThread *thread;
} Watchdog;

static gpointer watchdog_run(gpointer data) {
    Watchdog *dog = data;
    g_mutex_lock(&dog->mutex);
    while (!dog->done) {
        if (!g_cond_wait_until(&dog->cond, &dog->mutex, dog->deadline)) {
            g_cancellable_cancel(dog->cancellable);
            break;
        }
    }
    g_mutex_unlock(&dog->mutex);
    return NULL;
}

static Watchdog *watchdog_start(int timeout_ms) {
    Watchdog *dog = calloc(1, sizeof(Watchdog));
    dog->deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    g_mutex_init(&dog->mutex);
    g_cond_init(&dog->cond);
    dog->cancellable = g_cancellable_new();
    dog->thread = g_thread_new("azdo-watchdog", watchdog_run, dog);
    return dog;
}

static void watchdog_stop(Watchdog *dog) {
    g_mutex_lock(&dog->mutex);
    dog->done = TRUE;
    g_cond_signal(&dog->cond);
    g_mutex_unlock(&dog->mutex);
    g_thread_join(dog->thread);
    g_object_unref(dog->cancellable);
    g_mutex_clear(&dog->mutex);
    g_cond_clear(&dog->cond);
    free(dog);
}

// The connection of an earlier call, reused by later ones: a refresh pass makes hundreds
// of calls, and connecting (with a watchdog thread for the handshake) each time was most of
// their cost. A connection the bus closed is replaced.
static GMutex shared_bus_lock;
static GDBusConnection *shared_bus = NULL;

// GLib would try to autolaunch a bus through X11 when no address is known; we report
// "no bus" instead, so the helper never spawns anything or waits for a display. Every
// entry point starts here, so this is also where gio and glib get loaded.
static GDBusConnection *connect_bus(int timeout_ms, CAzdoSecretError *error) {
    const char *missing = azdo_library_load();
    if (missing != NULL) {
        fail(error, CAZDO_SECRET_NO_LIBRARY, missing);
        return NULL;
    }
    g_mutex_lock(&shared_bus_lock);
    if (shared_bus != NULL && !g_dbus_connection_is_closed(shared_bus)) {
        GDBusConnection *bus = g_object_ref(shared_bus);
        g_mutex_unlock(&shared_bus_lock);
        return bus;
    }
    g_mutex_unlock(&shared_bus_lock);
    const char *address = getenv("DBUS_SESSION_BUS_ADDRESS");
    if (address == NULL || address[0] == '\0') {
        const char *runtime = getenv("XDG_RUNTIME_DIR");
        gboolean present = FALSE;
        if (runtime != NULL && runtime[0] != '\0') {
            gchar *path = g_build_filename(runtime, "bus", NULL);
            present = access(path, F_OK) == 0;
            g_free(path);
        }
        if (!present) {
            fail(error, CAZDO_SECRET_NO_BUS,
                 "DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus does not exist");
            return NULL;
        }
    }
    GError *gerror = NULL;
    Watchdog *dog = watchdog_start(timeout_ms);
    GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, dog->cancellable, &gerror);
    watchdog_stop(dog);
    if (bus == NULL) {
        if (fail_gerror(error, gerror) != CAZDO_SECRET_TIMEOUT) {
            error->status = CAZDO_SECRET_NO_BUS;
        }
        return NULL;
    }
    g_mutex_lock(&shared_bus_lock);
    if (shared_bus != bus) {
        if (shared_bus != NULL) {
            g_object_unref(shared_bus);
        }
        shared_bus = g_object_ref(bus);
    }
    g_mutex_unlock(&shared_bus_lock);
    return bus;
}

// One synchronous method call; every D-Bus call in this file goes through here.
static GVariant *call(GDBusConnection *bus, const char *path, const char *iface, const char *method,
                      GVariant *args, const char *reply_type, int timeout_ms, CAzdoSecretError *error) {
    GError *gerror = NULL;
    GVariant *reply = g_dbus_connection_call_sync(bus, SERVICE_NAME, path, iface, method, args,
                                                  G_VARIANT_TYPE(reply_type), G_DBUS_CALL_FLAGS_NONE,
                                                  timeout_ms, NULL, &gerror);
    if (reply == NULL) {
        fail_gerror(error, gerror);
    }
    return reply;
}

static void wipe(void *data, size_t length) {
    if (data != NULL && length > 0) {
        explicit_bzero(data, length);
    }
}

// One method call of a batch that call_all sends at once.
typedef struct {
    const char *path;
    const char *iface;
    const char *method;
    GVariant *args;
    const char *reply_type;
    GVariant *reply;
    GError *gerror;
    size_t *pending;
    /// Set when the call failed with UnknownMethod (see search_once).
    int unknown_method;
} Call;

static void call_done(GObject *source, GAsyncResult *result, gpointer data) {
    Call *one = data;
    one->reply = g_dbus_connection_call_finish((GDBusConnection *)source, result, &one->gerror);
    (*one->pending)--;
}

// A bus limits how many calls one connection may leave unanswered (dbus-daemon's
// max_replies_per_connection: 128 unless the bus's config raises it), so a batch keeps at
// most this many in flight.
#define CALLS_IN_FLIGHT 64

// Sends the calls without waiting for each answer before the next (up to CALLS_IN_FLIGHT
// at a time), so a batch costs about one round trip to the service instead of one per
// call; waits on a private main context until all have answered (each call carries its
// own timeout). Records the first failure in `error`.
static CAzdoSecretStatus call_all(GDBusConnection *bus, Call *calls, size_t count, int timeout_ms,
                                  CAzdoSecretError *error) {
    GMainContext *context = g_main_context_new();
    g_main_context_push_thread_default(context);
    size_t pending = 0;
    size_t next = 0;
    while (next < count || pending > 0) {
        while (next < count && pending < CALLS_IN_FLIGHT) {
            calls[next].pending = &pending;
            g_dbus_connection_call(bus, SERVICE_NAME, calls[next].path, calls[next].iface, calls[next].method,
                                   calls[next].args, G_VARIANT_TYPE(calls[next].reply_type), G_DBUS_CALL_FLAGS_NONE,
                                   timeout_ms, NULL, call_done, &calls[next]);
            next++;
            pending++;
        }
        g_main_context_iteration(context, TRUE);
    }
    g_main_context_pop_thread_default(context);
    g_main_context_unref(context);
    CAzdoSecretStatus status = CAZDO_SECRET_OK;
    for (size_t i = 0; i < count; i++) {
        if (calls[i].gerror == NULL) {
            continue;
        }
        calls[i].unknown_method = g_error_matches(calls[i].gerror, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD);
        if (status == CAZDO_SECRET_OK) {
            status = fail_gerror(error, calls[i].gerror);
        } else {
            g_error_free(calls[i].gerror);
        }
        calls[i].gerror = NULL;
    }
    return status;
}

static void unref_replies(Call *calls, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (calls[i].reply != NULL) {
            g_variant_unref(calls[i].reply);
        }
    }
}

// Copies an item's `Attributes` property (the reply of a Properties.Get) into malloc'd
// name/value pairs.
static void copy_attributes(GVariant *reply, CAzdoSecretItem *item) {
    GVariant *boxed = NULL;
    g_variant_get(reply, "(v)", &boxed);
    size_t count = g_variant_is_of_type(boxed, G_VARIANT_TYPE("a{ss}")) ? g_variant_n_children(boxed) : 0;
    item->attributes = calloc(count ? count : 1, sizeof(CAzdoSecretAttribute));
    for (size_t i = 0; i < count; i++) {
        const char *name = NULL, *value = NULL;
        g_variant_get_child(boxed, i, "{&s&s}", &name, &value);
        item->attributes[i].name = strdup(name);
        item->attributes[i].value = strdup(value);
    }
    item->attribute_count = count;
    g_variant_unref(boxed);
}

// Copies each secret of a GetSecrets reply to its item, wiping the reply's buffer after.
static void copy_secrets(GVariant *reply, CAzdoSecretItem *items, size_t count) {
    GVariant *secrets = g_variant_get_child_value(reply, 0);
    size_t n = g_variant_n_children(secrets);
    for (size_t i = 0; i < n; i++) {
        GVariant *entry = g_variant_get_child_value(secrets, i);
        const char *path = NULL;
        g_variant_get_child(entry, 0, "&o", &path);
        GVariant *secret = g_variant_get_child_value(entry, 1);
        GVariant *value = g_variant_get_child_value(secret, 2);
        gsize length = 0;
        const guchar *bytes = g_variant_get_fixed_array(value, &length, 1);
        for (size_t j = 0; j < count; j++) {
            if (strcmp(items[j].path, path) == 0 && items[j].secret == NULL) {
                items[j].secret = malloc(length ? length : 1);
                memcpy(items[j].secret, bytes, length);
                items[j].secret_length = length;
            }
        }
        wipe((void *)bytes, length);
        g_variant_unref(value);
        g_variant_unref(secret);
        g_variant_unref(entry);
    }
    g_variant_unref(secrets);
}

// One search: SearchItems alone, then every item's attributes together with OpenSession
// (`plain`, as the bus is the user's own local socket) when secrets are wanted, then
// GetSecrets: three round trips for any number of items.
//
// gnome-keyring registers a new client in an idle callback queued when its first message
// arrives, and a call handled before that callback ran is answered "Method SearchItems is
// not implemented" (its log says "assertion 'client' failed"). Under a stress test (store
// and erase in a loop against four get loops) that happened to 3 gets in 3 runs with
// calls strictly one after another; sending OpenSession together with the first call made
// the daemon itself crash (SIGTRAP) in 2 of 4 runs. So the first call goes alone, and a
// search answered UnknownMethod is retried like a race (`*raced`): 0 errors and no crash
// in 7 runs. `*raced` is also set when a call after SearchItems failed, which is what an
// item deleted in between (another process replacing a PAT) looks like.
static CAzdoSecretStatus search_once(GDBusConnection *bus, const char *schema, const CAzdoSecretAttribute *query,
                                     size_t query_count, int load, int timeout_ms, CAzdoSecretItem **items,
                                     size_t *item_count, size_t *locked_count, int *raced, CAzdoSecretError *error) {
    *raced = 0;
    GVariantBuilder builder;
    g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
    g_variant_builder_add(&builder, "{ss}", "xdg:schema", schema);
    for (size_t i = 0; i < query_count; i++) {
        g_variant_builder_add(&builder, "{ss}", query[i].name, query[i].value);
    }
    Call search = {SERVICE_PATH, SERVICE_IFACE, "SearchItems", g_variant_new("(a{ss})", &builder), "(aoao)"};
    CAzdoSecretStatus status = call_all(bus, &search, 1, timeout_ms, error);
    if (status != CAZDO_SECRET_OK) {
        *raced = search.unknown_method;
        return status;
    }
    GVariant *unlocked = g_variant_get_child_value(search.reply, 0);
    GVariant *locked = g_variant_get_child_value(search.reply, 1);
    *locked_count = g_variant_n_children(locked);
    size_t count = g_variant_n_children(unlocked);
    const char *session = NULL;
    Call *batch = NULL;
    size_t batch_count = count + (load ? 1 : 0);
    Call secrets = {SERVICE_PATH, SERVICE_IFACE, "GetSecrets"};
    if (count > 0) {
        CAzdoSecretItem *found = calloc(count, sizeof(CAzdoSecretItem));
        batch = calloc(batch_count, sizeof(Call));
        for (size_t i = 0; i < count; i++) {
            const char *path = NULL;
            g_variant_get_child(unlocked, i, "&o", &path);
            found[i].path = strdup(path);
            batch[i] = (Call){found[i].path, PROPERTIES_IFACE, "Get", g_variant_new("(ss)", ITEM_IFACE, "Attributes"),
                              "(v)"};
        }
        if (load) {
            batch[count] = (Call){SERVICE_PATH, SERVICE_IFACE, "OpenSession",
                                  g_variant_new("(sv)", "plain", g_variant_new_string("")), "(vo)"};
        }
        status = call_all(bus, batch, batch_count, timeout_ms, error);
        if (load && batch[count].reply != NULL) {
            g_variant_get_child(batch[count].reply, 1, "&o", &session);
        }
        if (status == CAZDO_SECRET_OK && load) {
            secrets.args = g_variant_new("(@aoo)", unlocked, session);
            secrets.reply_type = "(a{o(oayays)})";
            status = call_all(bus, &secrets, 1, timeout_ms, error);
        }
        if (status == CAZDO_SECRET_OK) {
            for (size_t i = 0; i < count; i++) {
                copy_attributes(batch[i].reply, &found[i]);
            }
            if (load) {
                copy_secrets(secrets.reply, found, count);
            }
            *items = found;
            *item_count = count;
        } else {
            CAzdoSecret_items_free(found, count);
            *raced = status != CAZDO_SECRET_TIMEOUT;
        }
    }
    if (session != NULL) {
        // Closing needs no answer; the service also drops the session when we disconnect.
        g_dbus_connection_call(bus, SERVICE_NAME, session, SESSION_IFACE, "Close", NULL, NULL,
                               G_DBUS_CALL_FLAGS_NONE, timeout_ms, NULL, NULL, NULL);
    }
    if (batch != NULL) {
        unref_replies(batch, batch_count);
        free(batch);
    }
    unref_replies(&secrets, 1);
    unref_replies(&search, 1);
    g_variant_unref(unlocked);
    g_variant_unref(locked);
    return status;
}

// This tool's own items: the search every lookup makes.
CAzdoSecretStatus CAzdoSecret_search(const CAzdoSecretAttribute *query, size_t query_count, int load, int timeout_ms,
                                     CAzdoSecretItem **items, size_t *item_count, size_t *locked_count,
                                     CAzdoSecretError *error) {
    return CAzdoSecret_search_schema(CAzdoSecret_schema_name, query, query_count, load, timeout_ms, items, item_count,
                                     locked_count, error);
}

CAzdoSecretStatus CAzdoSecret_search_schema(const char *schema, const CAzdoSecretAttribute *query, size_t query_count,
                                            int load, int timeout_ms, CAzdoSecretItem **items, size_t *item_count,
                                            size_t *locked_count, CAzdoSecretError *error) {
    *items = NULL;
    *item_count = 0;
    *locked_count = 0;
    // A search that raced with a deletion is simply run again: the item is then gone from
    // SearchItems' answer, and the caller sees a consistent set (the old PAT or the new one).
    CAzdoSecretStatus status = CAZDO_SECRET_FAILED;
    int raced = 1;
    // The wire client first (no gio); GDBus only for a bus address it does not speak.
    int unsupported = 0;
    WireConnection *wire = wire_open(timeout_ms, &unsupported, error);
    if (wire != NULL) {
        for (int attempt = 0; attempt < 3 && raced; attempt++) {
            CAzdoSecret_error_clear(error);
            status = wire_search(wire, schema, query, query_count, load, timeout_ms, items, item_count, locked_count,
                                 &raced, error);
        }
        wire_close(wire);
        return status;
    }
    if (!unsupported) {
        return error->status;
    }
    GDBusConnection *bus = connect_bus(timeout_ms, error);
    if (bus == NULL) {
        return error->status;
    }
    for (int attempt = 0; attempt < 3 && raced; attempt++) {
        CAzdoSecret_error_clear(error);
        status = search_once(bus, schema, query, query_count, load, timeout_ms, items, item_count, locked_count, &raced,
                             error);
    }
    g_object_unref(bus);
    return status;
}

void CAzdoSecret_items_free(CAzdoSecretItem *items, size_t count) {
    if (items == NULL) {
        return;
    }
    for (size_t i = 0; i < count; i++) {
        wipe(items[i].secret, items[i].secret_length);
        free(items[i].secret);
        for (size_t j = 0; j < items[i].attribute_count; j++) {
            free((void *)items[i].attributes[j].name);
            free((void *)items[i].attributes[j].value);
        }
        free(items[i].attributes);
        free(items[i].path);
    }
    free(items);
}

CAzdoSecretStatus CAzdoSecret_default_collection_locked(int timeout_ms, int *locked, CAzdoSecretError *error) {
    *locked = 0;
    GDBusConnection *bus = connect_bus(timeout_ms, error);
    if (bus == NULL) {
        return error->status;
    }
    CAzdoSecretStatus status = CAZDO_SECRET_OK;
    GVariant *alias = call(bus, SERVICE_PATH, SERVICE_IFACE, "ReadAlias", g_variant_new("(s)", "default"), "(o)",
                           timeout_ms, error);
    if (alias == NULL) {
        status = error->status;
    } else {
        const char *path = NULL;
        g_variant_get(alias, "(&o)", &path);
        if (strcmp(path, "/") == 0) {
            status = fail(error, CAZDO_SECRET_NO_COLLECTION, "the Secret Service has no default collection");
        } else {
            GVariant *reply = call(bus, path, PROPERTIES_IFACE, "Get",
                                   g_variant_new("(ss)", COLLECTION_IFACE, "Locked"), "(v)", timeout_ms, error);
            if (reply == NULL) {
                status = error->status;
            } else {
                GVariant *boxed = NULL;
                g_variant_get(reply, "(v)", &boxed);
                *locked = g_variant_is_of_type(boxed, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean(boxed);
                g_variant_unref(boxed);
                g_variant_unref(reply);
            }
        }
        g_variant_unref(alias);
    }
    g_object_unref(bus);
    return status;
}

CAzdoSecretStatus CAzdoSecret_delete(const char *path, int timeout_ms, CAzdoSecretError *error) {
    int unsupported = 0;
    WireConnection *wire = wire_open(timeout_ms, &unsupported, error);
    if (wire != NULL) {
        CAzdoSecretStatus status = CAZDO_SECRET_FAILED;
        int raced = 1;
        for (int attempt = 0; attempt < 3 && raced; attempt++) {
            CAzdoSecret_error_clear(error);
            status = wire_delete(wire, path, timeout_ms, &raced, error);
        }
        wire_close(wire);
        return status;
    }
    if (!unsupported) {
        return error->status;
    }
    GDBusConnection *bus = connect_bus(timeout_ms, error);
    if (bus == NULL) {
        return error->status;
    }
    CAzdoSecretStatus status = CAZDO_SECRET_OK;
    GVariant *reply = call(bus, path, ITEM_IFACE, "Delete", NULL, "(o)", timeout_ms, error);
    if (reply == NULL) {
        status = error->status;
    } else {
        const char *prompt = NULL;
        g_variant_get(reply, "(&o)", &prompt);
        if (strcmp(prompt, "/") != 0) {
            status = fail(error, CAZDO_SECRET_PROMPT_REQUIRED, "the Secret Service wants a prompt to delete the item");
        }
        g_variant_unref(reply);
    }
    g_object_unref(bus);
    return status;
}

CAzdoSecretStatus CAzdoSecret_store(const CAzdoSecretAttribute *attributes, size_t count, const char *label,
                                    const char *secret, int timeout_ms, CAzdoSecretError *error) {
    const char *missing = azdo_library_load_secret();
    if (missing != NULL) {
        return fail(error, CAZDO_SECRET_NO_LIBRARY, missing);
    }
    // A store into a locked or missing collection would make libsecret ask for a prompt.
    int locked = 0;
    if (CAzdoSecret_default_collection_locked(timeout_ms, &locked, error) != CAZDO_SECRET_OK) {
        return error->status;
    }
    if (locked) {
        return fail(error, CAZDO_SECRET_LOCKED, "the default collection is locked");
    }
    GHashTable *table = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < count; i++) {
        g_hash_table_insert(table, (gpointer)attributes[i].name, (gpointer)attributes[i].value);
    }
    Watchdog *dog = watchdog_start(timeout_ms);
    GError *gerror = NULL;
    gboolean stored = secret_password_storev_sync(&azdo_schema, table, SECRET_COLLECTION_DEFAULT, label, secret,
                                                  dog->cancellable, &gerror);
    watchdog_stop(dog);
    g_hash_table_unref(table);

    if (!stored) {
        if (gerror != NULL) {
            return fail_gerror(error, gerror);
        }
        return fail(error, CAZDO_SECRET_FAILED, "libsecret did not store the item");
    }
    return CAZDO_SECRET_OK;
}

CAzdoSecretStatus CAzdoSecret_notify(const char *app_name, const char *summary, const char *body, int urgency,
                                     int timeout_ms, unsigned int *id, CAzdoSecretError *error) {
    *id = 0;
    GDBusConnection *bus = connect_bus(timeout_ms, error);
    if (bus == NULL) {
        return error->status;
    }
    GVariantBuilder actions;
    g_variant_builder_init(&actions, G_VARIANT_TYPE("as"));
    GVariantBuilder hints;
    g_variant_builder_init(&hints, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&hints, "{sv}", "urgency", g_variant_new_byte((guchar)CLAMP(urgency, 0, 2)));
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)
    GVariant *args = g_variant_new("(susssasa{sv}i)", app_name, 0u, "dialog-warning", summary, body, &actions,
                                   &hints, -1);
    GError *gerror = NULL;
    GVariant *reply = g_dbus_connection_call_sync(bus, "org.freedesktop.Notifications",
                                                  "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                                                  "Notify", args, G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                                  timeout_ms, NULL, &gerror);
    CAzdoSecretStatus status = CAZDO_SECRET_OK;
    if (reply == NULL) {
        status = fail_gerror(error, gerror);
    } else {
        g_variant_get(reply, "(u)", id);
        g_variant_unref(reply);
    }
    g_object_unref(bus);
    return status;
}

void CAzdoSecret_error_clear(CAzdoSecretError *error) {
    free(error->message);
    error->message = NULL;
    error->status = CAZDO_SECRET_OK;
}
