// See gio-support.h.
#include "gio-support.h"

#include "prompt.h"
#include "wire-codec.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// libsecret's error domain exists only once libsecret is loaded.
static gboolean is_secret_error(const GError *gerror, gint code) {
    return azdo_library_secret_loaded() && g_error_matches(gerror, SECRET_ERROR, code);
}

static CAzdoSecretStatus prompt_status(gint code) {
    switch (code) {
    case AZDO_PROMPT_DISMISSED: return CAZDO_SECRET_PROMPT_DISMISSED;
    case AZDO_PROMPT_UNANSWERED: return CAZDO_SECRET_PROMPT_UNANSWERED;
    case AZDO_PROMPT_VANISHED: return CAZDO_SECRET_SERVICE_STOPPED;
    default: return CAZDO_SECRET_FAILED;
    }
}

// An error the bus or the service sent is mapped by its D-Bus name, as the wire client maps
// it (GDBus's G_DBUS_ERROR codes are those names); the rest are local: GDBus's own
// timeout, the watchdog's cancellation, the prompt's outcome and libsecret's domain.
CAzdoSecretStatus azdo_fail_gerror(CAzdoSecretError *error, GError *gerror) {
    gchar *remote = g_dbus_error_get_remote_error(gerror);
    CAzdoSecretStatus status = remote != NULL ? wire_error_status(remote) : CAZDO_SECRET_FAILED;
    if (g_error_matches(gerror, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
        g_error_matches(gerror, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        status = CAZDO_SECRET_TIMEOUT;
    } else if (gerror->domain == azdo_prompt_error_quark()) {
        status = prompt_status(gerror->code);
    } else if (is_secret_error(gerror, SECRET_ERROR_IS_LOCKED)) {
        status = CAZDO_SECRET_LOCKED;
    } else if (is_secret_error(gerror, SECRET_ERROR_NO_SUCH_OBJECT)) {
        status = CAZDO_SECRET_NO_SUCH_OBJECT;
    } else if (remote == NULL && g_error_matches(gerror, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN)) {
        status = CAZDO_SECRET_NO_SERVICE;
    }
    g_free(remote);
    if (gerror->domain == G_DBUS_ERROR) {
        g_dbus_error_strip_remote_error(gerror);
    }
    azdo_fail(error, status, gerror->message);
    g_error_free(gerror);
    return status;
}

// ---------------------------------------------------------------------------------------
// The watchdog

struct Watchdog {
    GMutex mutex;
    GCond cond;
    gboolean done;
    gint64 deadline;
    GCancellable *cancellable;
    GThread *thread;
};

static gpointer watchdog_run(gpointer data) {
    Watchdog *dog = data;
    g_mutex_lock(&dog->mutex);
    while (!dog->done) {
        if (!g_cond_wait_until(&dog->cond, &dog->mutex, dog->deadline) && g_get_monotonic_time() >= dog->deadline) {
            g_cancellable_cancel(dog->cancellable);
            break;
        }
    }
    g_mutex_unlock(&dog->mutex);
    return NULL;
}

Watchdog *azdo_watchdog_start(int timeout_ms) {
    Watchdog *dog = calloc(1, sizeof(Watchdog));
    if (dog == NULL) {
        return NULL;
    }
    dog->deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    g_mutex_init(&dog->mutex);
    g_cond_init(&dog->cond);
    dog->cancellable = g_cancellable_new();
    dog->thread = g_thread_new("azdo-watchdog", watchdog_run, dog);
    return dog;
}

GCancellable *azdo_watchdog_cancellable(Watchdog *dog) { return dog->cancellable; }

void azdo_watchdog_extend(Watchdog *dog, int ms) {
    g_mutex_lock(&dog->mutex);
    dog->deadline += (gint64)ms * 1000;
    g_cond_signal(&dog->cond);
    g_mutex_unlock(&dog->mutex);
}

void azdo_watchdog_stop(Watchdog *dog) {
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

// ---------------------------------------------------------------------------------------
// The bus

// A refresh pass makes hundreds of calls; connecting (with a watchdog thread for the
// handshake) each time was most of their cost.
static GMutex shared_bus_lock;
static GDBusConnection *shared_bus = NULL;

GDBusConnection *azdo_session_bus(int timeout_ms, CAzdoSecretError *error) {
    const char *missing = azdo_library_load();
    if (missing != NULL) {
        azdo_fail(error, CAZDO_SECRET_NO_LIBRARY, missing);
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
            azdo_fail(error, CAZDO_SECRET_NO_BUS,
                      "DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus does not exist");
            return NULL;
        }
    }
    Watchdog *dog = azdo_watchdog_start(timeout_ms);
    if (dog == NULL) {
        azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
        return NULL;
    }
    GError *gerror = NULL;
    GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, azdo_watchdog_cancellable(dog), &gerror);
    azdo_watchdog_stop(dog);
    if (bus == NULL) {
        if (azdo_fail_gerror(error, gerror) != CAZDO_SECRET_TIMEOUT) {
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
