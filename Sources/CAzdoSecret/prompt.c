// See prompt.h.
#include "prompt.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define PROMPT_INTERFACE "org.freedesktop.Secret.Prompt"

static __thread const AzdoPromptBounds *thread_bounds;

void azdo_prompt_set_bounds(const AzdoPromptBounds *bounds) { thread_bounds = bounds; }

GQuark azdo_prompt_error_quark(void) { return g_quark_from_static_string("azdo-prompt-error"); }

// One prompt being run. Every callback that may still come holds a reference; once
// `task` is NULL the prompt is over and callbacks do nothing.
typedef struct {
    gint refs;
    GTask *task;
    GDBusConnection *bus;
    gchar *owner;
    gchar *path;
    GVariantType *return_type;
    GMainContext *context;
    guint completed;
    guint watch;
    GSource *timer;
    GSource *cancelled;
    int wait_ms;
    int call_timeout_ms;
    Watchdog *watchdog;
} Run;

static Run *run_ref(Run *run) {
    run->refs++;
    return run;
}

static void run_unref(gpointer data) {
    Run *run = data;
    if (--run->refs > 0) {
        return;
    }
    g_object_unref(run->bus);
    g_free(run->owner);
    g_free(run->path);
    if (run->return_type != NULL) {
        g_variant_type_free(run->return_type);
    }
    g_main_context_unref(run->context);
    free(run);
}

static void drop_source(GSource **source) {
    if (*source != NULL) {
        g_source_destroy(*source);
        g_source_unref(*source);
        *source = NULL;
    }
}

// Ends the prompt with `result` (owned) or `gerror` (owned).
static void finish(Run *run, GVariant *result, GError *gerror) {
    if (run->task == NULL) {
        if (result != NULL) {
            g_variant_unref(result);
        }
        if (gerror != NULL) {
            g_error_free(gerror);
        }
        return;
    }
    GTask *task = run->task;
    run->task = NULL;
    if (run->completed != 0) {
        g_dbus_connection_signal_unsubscribe(run->bus, run->completed);
        run->completed = 0;
    }
    if (run->watch != 0) {
        g_bus_unwatch_name(run->watch);
        run->watch = 0;
    }
    drop_source(&run->timer);
    drop_source(&run->cancelled);
    if (gerror != NULL) {
        g_task_return_error(task, gerror);
    } else {
        g_task_return_pointer(task, result, (GDestroyNotify)g_variant_unref);
    }
    g_object_unref(task);
}

static void fail_with(Run *run, gint code, const char *message) {
    finish(run, NULL, g_error_new_literal(azdo_prompt_error_quark(), code, message));
}

// Dismissal needs no answer: the prompt is over for us either way, and the call is
// written before the process exits (the caller flushes the connection).
static void dismiss(Run *run) {
    g_dbus_connection_call(run->bus, run->owner, run->path, PROMPT_INTERFACE, "Dismiss", NULL, NULL,
                           G_DBUS_CALL_FLAGS_NO_AUTO_START, run->call_timeout_ms, NULL, NULL, NULL);
}

static void on_completed(GDBusConnection *bus, const gchar *sender, const gchar *path, const gchar *interface,
                         const gchar *signal, GVariant *parameters, gpointer data) {
    Run *run = data;
    if (run->task == NULL) {
        return;
    }
    if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(bv)"))) {
        fail_with(run, AZDO_PROMPT_BAD_RESULT, "the Secret Service completed its prompt with something else");
        return;
    }
    gboolean dismissed = FALSE;
    GVariant *result = NULL;
    g_variant_get(parameters, "(bv)", &dismissed, &result);
    if (dismissed) {
        g_variant_unref(result);
        fail_with(run, AZDO_PROMPT_DISMISSED, "the Secret Service's prompt was dismissed");
    } else if (run->return_type != NULL && !g_variant_is_of_type(result, run->return_type)) {
        g_variant_unref(result);
        fail_with(run, AZDO_PROMPT_BAD_RESULT, "the Secret Service completed its prompt with a result of another type");
    } else {
        finish(run, result, NULL);
    }
}

static void on_vanished(GDBusConnection *bus, const gchar *name, gpointer data) {
    fail_with(data, AZDO_PROMPT_VANISHED, "the Secret Service left the bus while its prompt was open");
}

static gboolean on_timer(gpointer data) {
    Run *run = data;
    if (run->task != NULL) {
        dismiss(run);
        char message[128];
        snprintf(message, sizeof message, "nobody answered the Secret Service's prompt within %d s",
                 (run->wait_ms + 999) / 1000);
        fail_with(run, AZDO_PROMPT_UNANSWERED, message);
    }
    return G_SOURCE_REMOVE;
}

// The call as a whole ran out of time (the watchdog): the prompt ends with it.
static gboolean on_cancelled(GCancellable *cancellable, gpointer data) {
    Run *run = data;
    if (run->task != NULL) {
        dismiss(run);
        finish(run, NULL, g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, "the Secret Service did not answer in time"));
    }
    return G_SOURCE_REMOVE;
}

static void attach(Run *run, GSource *source, GSourceFunc callback) {
    g_source_set_callback(source, callback, run_ref(run), run_unref);
    g_source_attach(source, run->context);
}

// Prompt was called: now a person may take up to `wait_ms`.
static void on_prompted(GObject *source, GAsyncResult *result, gpointer data) {
    Run *run = data;
    GError *gerror = NULL;
    GVariant *reply = g_dbus_connection_call_finish(run->bus, result, &gerror);
    if (reply != NULL) {
        g_variant_unref(reply);
    }
    if (run->task != NULL && gerror != NULL) {
        finish(run, NULL, gerror);
    } else if (gerror != NULL) {
        g_error_free(gerror);
    } else if (run->task != NULL) {
        if (run->watchdog != NULL) {
            azdo_watchdog_extend(run->watchdog, run->wait_ms);
        }
        run->timer = g_timeout_source_new((guint)run->wait_ms);
        attach(run, run->timer, on_timer);
    }
    run_unref(run);
}

static void prompt_async(SecretService *service, SecretPrompt *prompt, const GVariantType *return_type,
                         GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data) {
    GTask *task = g_task_new(service, NULL, callback, user_data);
    const AzdoPromptBounds *bounds = thread_bounds;
    GDBusProxy *proxy = (GDBusProxy *)prompt;
    gchar *owner = g_dbus_proxy_get_name_owner(proxy);
    Run *run = calloc(1, sizeof *run);
    if (run == NULL || owner == NULL || bounds == NULL || bounds->wait_ms <= 0) {
        // No time for a person (prompting is off): dismissed without being shown.
        if (owner != NULL && bounds != NULL) {
            g_dbus_connection_call(g_dbus_proxy_get_connection(proxy), owner, g_dbus_proxy_get_object_path(proxy),
                                   PROMPT_INTERFACE, "Dismiss", NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                   bounds->call_timeout_ms, NULL, NULL, NULL);
        }
        g_task_return_error(task, g_error_new_literal(
            azdo_prompt_error_quark(), owner == NULL ? AZDO_PROMPT_VANISHED : AZDO_PROMPT_UNANSWERED,
            run == NULL ? "out of memory" : "the Secret Service wants a prompt, and prompts are off"));
        g_object_unref(task);
        g_free(owner);
        free(run);
        return;
    }
    run->refs = 1;
    run->task = task;
    run->bus = g_object_ref(g_dbus_proxy_get_connection(proxy));
    run->owner = owner;
    run->path = g_strdup(g_dbus_proxy_get_object_path(proxy));
    run->return_type = return_type != NULL ? g_variant_type_copy(return_type) : NULL;
    run->context = g_main_context_ref_thread_default();
    run->wait_ms = bounds->wait_ms;
    run->call_timeout_ms = bounds->call_timeout_ms;
    run->watchdog = bounds->watchdog;
    // Subscribed before Prompt is sent: GDBus sends the match rule first.
    run->completed = g_dbus_connection_signal_subscribe(run->bus, run->owner, PROMPT_INTERFACE, "Completed", run->path,
                                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_completed, run_ref(run),
                                                        run_unref);
    run->watch = g_bus_watch_name_on_connection(run->bus, "org.freedesktop.secrets", G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                NULL, on_vanished, run_ref(run), run_unref);
    if (cancellable != NULL) {
        run->cancelled = g_cancellable_source_new(cancellable);
        attach(run, run->cancelled, (GSourceFunc)on_cancelled);
    }
    // A window id of "" lets the service place its dialog where it likes.
    g_dbus_connection_call(run->bus, run->owner, run->path, PROMPT_INTERFACE, "Prompt", g_variant_new("(s)", ""),
                           NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, run->call_timeout_ms, NULL, on_prompted,
                           run_ref(run));
    run_unref(run);
}

static GVariant *prompt_finish(SecretService *service, GAsyncResult *result, GError **error) {
    return g_task_propagate_pointer((GTask *)result, error);
}

static void on_sync_done(GObject *source, GAsyncResult *result, gpointer data) {
    *(GAsyncResult **)data = g_object_ref(result);
}

// libsecret's sync calls run the async prompt on a private main context; this one is here
// for any caller of secret_service_prompt_sync, so no path waits without a bound.
static GVariant *prompt_sync(SecretService *service, SecretPrompt *prompt, GCancellable *cancellable,
                             const GVariantType *return_type, GError **error) {
    GMainContext *context = g_main_context_new();
    g_main_context_push_thread_default(context);
    GAsyncResult *result = NULL;
    prompt_async(service, prompt, return_type, cancellable, on_sync_done, &result);
    while (result == NULL) {
        g_main_context_iteration(context, TRUE);
    }
    GVariant *value = prompt_finish(service, result, error);
    g_object_unref(result);
    g_main_context_pop_thread_default(context);
    g_main_context_unref(context);
    return value;
}

static void class_init(gpointer klass, gpointer data) {
    SecretServiceClass *service = klass;
    service->prompt_sync = prompt_sync;
    service->prompt_async = prompt_async;
    service->prompt_finish = prompt_finish;
}

static GType registered_type;

static void register_type(void) {
    registered_type = g_type_register_static_simple(secret_service_get_type(), "AzdoSecretService",
                                                    sizeof(SecretServiceClass), class_init, sizeof(SecretService),
                                                    NULL, 0);
}

GType azdo_service_get_type(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_type);
    return registered_type;
}
