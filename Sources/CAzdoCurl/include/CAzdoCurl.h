#ifndef CAZDOCURL_H
#define CAZDOCURL_H

#include <stddef.h>
#include <stdint.h>

// Why this shim exists
// --------------------
// The lifecycle executable talks HTTPS to Azure DevOps and Entra through libcurl, the
// library git's own HTTPS transport uses (Debian's git links the same libcurl3-gnutls), so
// the package builds no TLS or HTTP stack of its own. Swift cannot call curl_easy_setopt
// (C-variadic) or hand libcurl callbacks without unsafe pointer juggling, and a transfer
// blocks its thread. This header is the whole surface Swift sees: a transfer is created
// from plain strings and bytes, runs on a thread of its own, and reports through one
// callback; Swift then reads the outcome and frees it. libcurl itself is loaded with
// dlopen by the first transfer (CAzdoCurl.c says why); if it cannot be, that transfer fails
// with the loader's message.
//
// What the shim decides, so no caller can get it wrong:
// - only http and https; redirects are never followed (a token must not travel to the
//   host a Location names), so a 3xx reaches the caller as it came;
// - every transfer has a connection of its own, so libcurl never sends a request twice (it
//   re-sends one when a connection it reused closes before answering, and a create the
//   server carried out must not be repeated);
// - the proxy is exactly the one passed in: libcurl never reads http_proxy & co. itself;
// - certificates are verified against the system's CA store;
// - every buffer that may hold a token (the request body, its headers, the response) is
//   wiped before it is freed.

#ifdef __cplusplus
extern "C" {
#endif

/// How a transfer ended. `CAZDO_CURL_OK` means a response arrived (any status).
typedef enum {
    CAZDO_CURL_OK = 0,
    /// No complete response within the timeout.
    CAZDO_CURL_TIMEOUT = 1,
    /// The connection could not be made or broke off; `CAzdoCurl_message` says why.
    CAZDO_CURL_FAILED = 2,
    /// The response body was larger than the transfer's limit.
    CAZDO_CURL_TOO_LARGE = 3,
    /// `CAzdoCurl_cancel` stopped it.
    CAZDO_CURL_CANCELLED = 4,
} CAzdoCurlResult;

/// One HTTP exchange, owned by the caller from `CAzdoCurl_create` to `CAzdoCurl_free`.
typedef struct CAzdoCurlTransfer CAzdoCurlTransfer;

/// Called once on the transfer's own thread when it has ended; the outcome is readable
/// from then on. The thread does not touch the transfer afterwards.
typedef void (*CAzdoCurlCompletion)(void *context);

/// A transfer of `method` to `url` with a copy of `body_length` bytes at `body` when
/// `has_body` (`body` may be NULL when the length is 0), through `proxy`
/// (`http://host:port`, or NULL for a direct connection). `timeout_ms` bounds the whole
/// exchange, `connect_timeout_ms` the connection; a body above `max_body` bytes fails it.
/// NULL when memory is short.
CAzdoCurlTransfer *CAzdoCurl_create(const char *method, const char *url, int has_body,
                                    const uint8_t *body, size_t body_length, const char *proxy,
                                    long connect_timeout_ms,
                                    long timeout_ms, size_t max_body);

/// Adds a request header line (`Name: value`, copied). Returns 0 when memory is short.
int CAzdoCurl_add_header(CAzdoCurlTransfer *transfer, const char *line);

/// Starts the transfer on a new thread; `completion(context)` follows. Returns 0, and never
/// calls `completion`, when no thread could be started.
int CAzdoCurl_start(CAzdoCurlTransfer *transfer, CAzdoCurlCompletion completion, void *context);

/// Asks a running transfer to stop; it ends with `CAZDO_CURL_CANCELLED` within about a
/// second. Safe from any thread until `CAzdoCurl_free`.
void CAzdoCurl_cancel(CAzdoCurlTransfer *transfer);

/// The outcome, after completion.
CAzdoCurlResult CAzdoCurl_result(const CAzdoCurlTransfer *transfer);
/// The HTTP status, after a `CAZDO_CURL_OK` completion.
long CAzdoCurl_status(const CAzdoCurlTransfer *transfer);
/// The response body (not NUL-terminated) and its length.
const uint8_t *CAzdoCurl_body(const CAzdoCurlTransfer *transfer, size_t *length);
/// The final response's header lines, each `Name: value` ended by `\n` (CR removed), and
/// their length. Headers of interim responses (100 Continue, a proxy's CONNECT) are dropped.
const char *CAzdoCurl_headers(const CAzdoCurlTransfer *transfer, size_t *length);
/// Why a transfer failed: libcurl's one-line message, never a header or body.
const char *CAzdoCurl_message(const CAzdoCurlTransfer *transfer);

/// Wipes and frees the transfer. Only after completion, or when it was never started.
void CAzdoCurl_free(CAzdoCurlTransfer *transfer);

#ifdef __cplusplus
}
#endif

#endif
