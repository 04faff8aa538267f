// The glib, gio and libsecret functions secret.c calls, reached through a table that
// azdo_library_load() fills with dlopen/dlsym the first time the keyring is used (gio,
// gobject and glib), and azdo_library_load_secret() the first time an item is stored
// (libsecret, which brings libgcrypt: 0.5 ms more, measured, that a lookup never needs).
//
// Why: linking libsecret makes the dynamic loader map it and its eleven dependencies
// (gio, gobject, glib, gcrypt, mount, selinux...) at every start, 1.4 ms measured, before
// main runs. git starts the helper for every fetch and push, and most starts need no
// keyring: a host that is not Azure DevOps, `--version`, or a command the lifecycle
// executable owns. Loading on first use keeps those starts cheap.
//
// secret.c includes this after the glib headers; the macros below turn each call into a
// call through the table, so the code reads as ordinary glib code.
#ifndef CAZDOSECRET_LIBRARY_H
#define CAZDOSECRET_LIBRARY_H

#include <gio/gio.h>
#include <libsecret/secret.h>

/// One pointer per function, typed from the library's own declaration.
typedef struct {
#define AZDO_SYMBOL(name) __typeof__(name) *name;
#define AZDO_SECRET_SYMBOL(name) __typeof__(name) *name;
#include "glib-symbols.h"
#undef AZDO_SYMBOL
#undef AZDO_SECRET_SYMBOL
} AzdoLibrary;

/// The table: its gio part is valid once azdo_library_load() returned NULL, its
/// libsecret part once azdo_library_load_secret() did (NULL pointers until then).
extern AzdoLibrary azdo_library;

/// Loads gio (and with it gobject and glib) once per process and fills the table's gio
/// part. Returns NULL on success, or a message naming what is missing.
const char *azdo_library_load(void);

/// Loads libsecret once per process, after gio, and fills the table's libsecret part.
/// Returns NULL on success, or a message naming what is missing.
const char *azdo_library_load_secret(void);

/// Whether the table's libsecret part is filled.
int azdo_library_secret_loaded(void);

// library.c defines AZDO_LIBRARY_LOADER: it needs the real names for dlsym.
#ifndef AZDO_LIBRARY_LOADER

// glib defines these as macros over the function of the same name.
#undef g_object_ref
#undef g_str_equal
#undef G_VARIANT_TYPE
#define G_VARIANT_TYPE(type_string) (g_variant_type_checked_((type_string)))

#define g_build_filename (azdo_library.g_build_filename)
#define g_bus_get_sync (azdo_library.g_bus_get_sync)
#define g_cancellable_cancel (azdo_library.g_cancellable_cancel)
#define g_cancellable_new (azdo_library.g_cancellable_new)
#define g_cond_clear (azdo_library.g_cond_clear)
#define g_cond_init (azdo_library.g_cond_init)
#define g_cond_signal (azdo_library.g_cond_signal)
#define g_cond_wait_until (azdo_library.g_cond_wait_until)
#define g_dbus_connection_call (azdo_library.g_dbus_connection_call)
#define g_dbus_connection_call_finish (azdo_library.g_dbus_connection_call_finish)
#define g_dbus_connection_call_sync (azdo_library.g_dbus_connection_call_sync)
#define g_dbus_connection_is_closed (azdo_library.g_dbus_connection_is_closed)
#define g_dbus_error_get_remote_error (azdo_library.g_dbus_error_get_remote_error)
#define g_dbus_error_quark (azdo_library.g_dbus_error_quark)
#define g_dbus_error_strip_remote_error (azdo_library.g_dbus_error_strip_remote_error)
#define g_error_free (azdo_library.g_error_free)
#define g_error_matches (azdo_library.g_error_matches)
#define g_free (azdo_library.g_free)
#define g_get_monotonic_time (azdo_library.g_get_monotonic_time)
#define g_hash_table_insert (azdo_library.g_hash_table_insert)
#define g_hash_table_new (azdo_library.g_hash_table_new)
#define g_hash_table_unref (azdo_library.g_hash_table_unref)
#define g_io_error_quark (azdo_library.g_io_error_quark)
#define g_main_context_iteration (azdo_library.g_main_context_iteration)
#define g_main_context_new (azdo_library.g_main_context_new)
#define g_main_context_pop_thread_default (azdo_library.g_main_context_pop_thread_default)
#define g_main_context_push_thread_default (azdo_library.g_main_context_push_thread_default)
#define g_main_context_unref (azdo_library.g_main_context_unref)
#define g_mutex_clear (azdo_library.g_mutex_clear)
#define g_mutex_init (azdo_library.g_mutex_init)
#define g_mutex_lock (azdo_library.g_mutex_lock)
#define g_mutex_unlock (azdo_library.g_mutex_unlock)
#define g_object_ref (azdo_library.g_object_ref)
#define g_object_unref (azdo_library.g_object_unref)
#define g_str_equal (azdo_library.g_str_equal)
#define g_str_hash (azdo_library.g_str_hash)
#define g_thread_join (azdo_library.g_thread_join)
#define g_thread_new (azdo_library.g_thread_new)
#define g_variant_builder_add (azdo_library.g_variant_builder_add)
#define g_variant_builder_init (azdo_library.g_variant_builder_init)
#define g_variant_get (azdo_library.g_variant_get)
#define g_variant_get_boolean (azdo_library.g_variant_get_boolean)
#define g_variant_get_child (azdo_library.g_variant_get_child)
#define g_variant_get_child_value (azdo_library.g_variant_get_child_value)
#define g_variant_get_fixed_array (azdo_library.g_variant_get_fixed_array)
#define g_variant_is_of_type (azdo_library.g_variant_is_of_type)
#define g_variant_n_children (azdo_library.g_variant_n_children)
#define g_variant_new (azdo_library.g_variant_new)
#define g_variant_new_byte (azdo_library.g_variant_new_byte)
#define g_variant_new_string (azdo_library.g_variant_new_string)
#define g_variant_type_checked_ (azdo_library.g_variant_type_checked_)
#define g_variant_unref (azdo_library.g_variant_unref)
#define secret_error_get_quark (azdo_library.secret_error_get_quark)
#define secret_password_storev_sync (azdo_library.secret_password_storev_sync)

#endif
#endif
