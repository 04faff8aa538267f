// The glib, gio and libsecret functions the shim calls, reached through a table that
// azdo_library_load() fills with dlopen/dlsym the first time GDBus is needed (gio,
// gobject and glib), and azdo_library_load_secret() the first time the libsecret path is
// (libsecret, which brings libgcrypt: 0.5 ms more, measured, that the fast lookup never
// needs).
//
// Why: linking libsecret makes the dynamic loader map it and its eleven dependencies
// (gio, gobject, glib, gcrypt, mount, selinux...) at every start, 1.4 ms measured, before
// main runs. git starts the helper for every fetch and push, and most starts need no
// keyring: a host that is not Azure DevOps, `--version`, or a command the lifecycle
// executable owns. Loading on first use keeps those starts cheap.
//
// The shim's glib code includes this after the glib headers; the macros below turn each
// call into a call through the table, so the code reads as ordinary glib code.
#ifndef CAZDOSECRET_LIBRARY_H
#define CAZDOSECRET_LIBRARY_H

#include <gio/gio.h>
// The object-path calls (secret-paths.h: create, delete, unlock and read an alias by
// D-Bus path) are exported by every libsecret-1.so.0 since 0.7, behind this guard.
#define SECRET_API_SUBJECT_TO_CHANGE 1
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
#define g_bus_unwatch_name (azdo_library.g_bus_unwatch_name)
#define g_bus_watch_name_on_connection (azdo_library.g_bus_watch_name_on_connection)
#define g_cancellable_cancel (azdo_library.g_cancellable_cancel)
#define g_cancellable_new (azdo_library.g_cancellable_new)
#define g_cancellable_source_new (azdo_library.g_cancellable_source_new)
#define g_cond_clear (azdo_library.g_cond_clear)
#define g_cond_init (azdo_library.g_cond_init)
#define g_cond_signal (azdo_library.g_cond_signal)
#define g_cond_wait_until (azdo_library.g_cond_wait_until)
#define g_dbus_connection_call (azdo_library.g_dbus_connection_call)
#define g_dbus_connection_call_finish (azdo_library.g_dbus_connection_call_finish)
#define g_dbus_connection_call_sync (azdo_library.g_dbus_connection_call_sync)
#define g_dbus_connection_flush_sync (azdo_library.g_dbus_connection_flush_sync)
#define g_dbus_connection_is_closed (azdo_library.g_dbus_connection_is_closed)
#define g_dbus_connection_signal_subscribe (azdo_library.g_dbus_connection_signal_subscribe)
#define g_dbus_connection_signal_unsubscribe (azdo_library.g_dbus_connection_signal_unsubscribe)
#define g_dbus_error_get_remote_error (azdo_library.g_dbus_error_get_remote_error)
#define g_dbus_error_quark (azdo_library.g_dbus_error_quark)
#define g_dbus_error_strip_remote_error (azdo_library.g_dbus_error_strip_remote_error)
#define g_dbus_proxy_get_connection (azdo_library.g_dbus_proxy_get_connection)
#define g_dbus_proxy_get_name_owner (azdo_library.g_dbus_proxy_get_name_owner)
#define g_dbus_proxy_get_object_path (azdo_library.g_dbus_proxy_get_object_path)
#define g_error_free (azdo_library.g_error_free)
#define g_error_matches (azdo_library.g_error_matches)
#define g_error_new_literal (azdo_library.g_error_new_literal)
#define g_free (azdo_library.g_free)
#define g_get_monotonic_time (azdo_library.g_get_monotonic_time)
#define g_hash_table_insert (azdo_library.g_hash_table_insert)
#define g_hash_table_iter_init (azdo_library.g_hash_table_iter_init)
#define g_hash_table_iter_next (azdo_library.g_hash_table_iter_next)
#define g_hash_table_new (azdo_library.g_hash_table_new)
#define g_hash_table_new_full (azdo_library.g_hash_table_new_full)
#define g_hash_table_size (azdo_library.g_hash_table_size)
#define g_hash_table_unref (azdo_library.g_hash_table_unref)
#define g_io_error_quark (azdo_library.g_io_error_quark)
#define g_list_free_full (azdo_library.g_list_free_full)
#define g_list_length (azdo_library.g_list_length)
#define g_main_context_iteration (azdo_library.g_main_context_iteration)
#define g_main_context_new (azdo_library.g_main_context_new)
#define g_main_context_pop_thread_default (azdo_library.g_main_context_pop_thread_default)
#define g_main_context_push_thread_default (azdo_library.g_main_context_push_thread_default)
#define g_main_context_ref_thread_default (azdo_library.g_main_context_ref_thread_default)
#define g_main_context_unref (azdo_library.g_main_context_unref)
#define g_mutex_clear (azdo_library.g_mutex_clear)
#define g_mutex_init (azdo_library.g_mutex_init)
#define g_mutex_lock (azdo_library.g_mutex_lock)
#define g_mutex_unlock (azdo_library.g_mutex_unlock)
#define g_object_ref (azdo_library.g_object_ref)
#define g_object_unref (azdo_library.g_object_unref)
#define g_quark_from_static_string (azdo_library.g_quark_from_static_string)
#define g_source_attach (azdo_library.g_source_attach)
#define g_source_destroy (azdo_library.g_source_destroy)
#define g_source_set_callback (azdo_library.g_source_set_callback)
#define g_source_unref (azdo_library.g_source_unref)
#define g_str_equal (azdo_library.g_str_equal)
#define g_str_hash (azdo_library.g_str_hash)
#define g_strdup (azdo_library.g_strdup)
#define g_strfreev (azdo_library.g_strfreev)
#define g_task_new (azdo_library.g_task_new)
#define g_task_propagate_pointer (azdo_library.g_task_propagate_pointer)
#define g_task_return_error (azdo_library.g_task_return_error)
#define g_task_return_pointer (azdo_library.g_task_return_pointer)
#define g_thread_join (azdo_library.g_thread_join)
#define g_thread_new (azdo_library.g_thread_new)
#define g_timeout_source_new (azdo_library.g_timeout_source_new)
#define g_type_register_static_simple (azdo_library.g_type_register_static_simple)
#define g_variant_builder_add (azdo_library.g_variant_builder_add)
#define g_variant_builder_end (azdo_library.g_variant_builder_end)
#define g_variant_builder_init (azdo_library.g_variant_builder_init)
#define g_variant_get (azdo_library.g_variant_get)
#define g_variant_is_of_type (azdo_library.g_variant_is_of_type)
#define g_variant_new (azdo_library.g_variant_new)
#define g_variant_new_byte (azdo_library.g_variant_new_byte)
#define g_variant_new_string (azdo_library.g_variant_new_string)
#define g_variant_ref_sink (azdo_library.g_variant_ref_sink)
#define g_variant_type_checked_ (azdo_library.g_variant_type_checked_)
#define g_variant_type_copy (azdo_library.g_variant_type_copy)
#define g_variant_type_free (azdo_library.g_variant_type_free)
#define g_variant_unref (azdo_library.g_variant_unref)
#define secret_collection_get_locked (azdo_library.secret_collection_get_locked)
#define secret_collection_new_for_dbus_path_sync (azdo_library.secret_collection_new_for_dbus_path_sync)
#define secret_error_get_quark (azdo_library.secret_error_get_quark)
#define secret_item_get_attributes (azdo_library.secret_item_get_attributes)
#define secret_item_get_locked (azdo_library.secret_item_get_locked)
#define secret_item_get_secret (azdo_library.secret_item_get_secret)
#define secret_service_create_item_dbus_path_sync (azdo_library.secret_service_create_item_dbus_path_sync)
#define secret_service_delete_item_dbus_path_sync (azdo_library.secret_service_delete_item_dbus_path_sync)
#define secret_service_get_type (azdo_library.secret_service_get_type)
#define secret_service_open_sync (azdo_library.secret_service_open_sync)
#define secret_service_read_alias_dbus_path_sync (azdo_library.secret_service_read_alias_dbus_path_sync)
#define secret_service_search_sync (azdo_library.secret_service_search_sync)
#define secret_service_unlock_dbus_paths_sync (azdo_library.secret_service_unlock_dbus_paths_sync)
#define secret_value_get (azdo_library.secret_value_get)
#define secret_value_new (azdo_library.secret_value_new)
#define secret_value_unref (azdo_library.secret_value_unref)
#endif
#endif
