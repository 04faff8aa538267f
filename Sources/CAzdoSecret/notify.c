// CAzdoSecret_notify: a desktop notification over GDBus. It lives in this shim because the
// shim owns the tool's session-bus connection code.
#include "CAzdoSecret.h"

#include "gio-support.h"

CAzdoSecretStatus CAzdoSecret_notify(const char *app_name, const char *summary, const char *body, int urgency,
                                     int timeout_ms, unsigned int *id, CAzdoSecretError *error) {
    *id = 0;
    GDBusConnection *bus = azdo_session_bus(timeout_ms, error);
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
        status = azdo_fail_gerror(error, gerror);
    } else {
        g_variant_get(reply, "(u)", id);
        g_variant_unref(reply);
    }
    g_object_unref(bus);
    return status;
}
