// What the GDBus and libsecret code shares: the session bus connection, a watchdog that
// bounds calls which have no timeout of their own, and turning a GError into a status.
// Include after library.h.
#ifndef CAZDOSECRET_GIO_SUPPORT_H
#define CAZDOSECRET_GIO_SUPPORT_H

#include "CAzdoSecret.h"
#include "failure.h"
#include "library.h"

/// Maps a GError from GDBus, libsecret or the prompt (prompt.h) to a status, records it
/// and frees the GError.
CAzdoSecretStatus azdo_fail_gerror(CAzdoSecretError *error, GError *gerror);

/// The session bus (one connection per process, replaced when the bus closed it), or NULL
/// with `error` filled. Loads gio on first use. GLib would try to autolaunch a bus through
/// X11 when no address is known; this reports "no bus" instead, so nothing is spawned and
/// nothing waits for a display.
GDBusConnection *azdo_session_bus(int timeout_ms, CAzdoSecretError *error);

/// Cancels `cancellable` when its deadline passes, from a thread of its own: libsecret's
/// sync calls, and connecting to the bus, have no timeout of their own.
typedef struct Watchdog Watchdog;

Watchdog *azdo_watchdog_start(int timeout_ms);
/// The cancellable it cancels.
GCancellable *azdo_watchdog_cancellable(Watchdog *dog);
/// Moves the deadline `ms` later (a prompt waiting for a person has a bound of its own).
void azdo_watchdog_extend(Watchdog *dog, int ms);
void azdo_watchdog_stop(Watchdog *dog);

#endif
