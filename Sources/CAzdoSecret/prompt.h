// Secret Service prompts with bounds. A Secret Service answers some calls (Unlock, and on
// KeePassXC every CreateItem and Delete) with a prompt object instead of a result; the
// client calls its Prompt method and waits for its Completed signal. Some prompts finish
// by themselves in milliseconds (KeePassXC with its confirmations off, kwalletd5
// reopening a wallet that is already open); others wait for a person (an unlock
// password, KeePassXC's "allow access?"), who may never come: headless, KeePassXC's
// dialog is invisible and never completes.
//
// libsecret runs prompts through the `prompt_async` and `prompt_finish` virtual methods of
// its SecretService class, and its own version waits for Completed without end, even after
// it dismissed the prompt. `AzdoService` is a SecretService subclass whose prompts wait at
// most the bound the caller set (`azdo_prompt_set_bounds`), then dismiss the prompt and
// fail with AZDO_PROMPT_UNANSWERED. Include after library.h.
#ifndef CAZDOSECRET_PROMPT_H
#define CAZDOSECRET_PROMPT_H

#include "gio-support.h"

/// The GError domain of prompt outcomes (azdo_fail_gerror maps them to statuses).
GQuark azdo_prompt_error_quark(void);

enum {
    /// The service, or a person, dismissed the prompt (gnome-keyring without a display does
    /// at once).
    AZDO_PROMPT_DISMISSED = 1,
    /// Nobody completed it within its bound; it was dismissed.
    AZDO_PROMPT_UNANSWERED = 2,
    /// The service left the bus while its prompt was open.
    AZDO_PROMPT_VANISHED = 3,
    /// It completed with a result of another type than the call needs.
    AZDO_PROMPT_BAD_RESULT = 4,
};

/// How long the prompts of this thread's next libsecret calls may take.
typedef struct {
    /// For the Prompt and Dismiss method calls themselves.
    int call_timeout_ms;
    /// For Completed after Prompt was called: the time a person gets.
    int wait_ms;
    /// Moved later by `wait_ms` while a prompt waits, so it does not cancel the call first.
    Watchdog *watchdog;
} AzdoPromptBounds;

/// Sets (or with NULL clears) the bounds for the calling thread; the struct must outlive
/// the calls. A prompt that comes without bounds set is dismissed at once.
void azdo_prompt_set_bounds(const AzdoPromptBounds *bounds);

/// The SecretService subclass whose prompts keep to those bounds.
GType azdo_service_get_type(void);

#endif
