#define _GNU_SOURCE
#include "CAzdoCurl.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// A growable byte buffer whose old contents are wiped whenever it moves or is freed.
typedef struct {
    uint8_t *data;
    size_t length;
    size_t capacity;
} Buffer;

struct CAzdoCurlTransfer {
    char *method;
    char *url;
    char *proxy;
    uint8_t *body;
    size_t body_length;
    long connect_timeout_ms;
    long timeout_ms;
    size_t max_body;
    // The request's header lines, copied; libcurl's list is built from them on the
    // transfer's thread, once libcurl is loaded.
    char **headers;
    size_t header_count;
    atomic_int cancelled;
    CAzdoCurlCompletion completion;
    void *context;
    // The outcome.
    CAzdoCurlResult result;
    long status;
    int too_large;
    Buffer response;
    Buffer response_headers;
    char message[CURL_ERROR_SIZE];
};

static void wipe_free(void *data, size_t length) {
    if (data != NULL) {
        explicit_bzero(data, length);
        free(data);
    }
}

static void buffer_free(Buffer *buffer) {
    wipe_free(buffer->data, buffer->capacity);
    *buffer = (Buffer){0};
}

static int buffer_append(Buffer *buffer, const void *bytes, size_t count) {
    if (count > SIZE_MAX / 2 - buffer->length) {
        return 0;
    }
    if (buffer->length + count + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity < 4096 ? 4096 : buffer->capacity;
        while (capacity < buffer->length + count + 1) {
            capacity *= 2;
        }
        // Not realloc: it would free the old block without wiping it.
        uint8_t *grown = malloc(capacity);
        if (grown == NULL) {
            return 0;
        }
        if (buffer->length > 0) {
            memcpy(grown, buffer->data, buffer->length);
        }
        wipe_free(buffer->data, buffer->capacity);
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, bytes, count);
    buffer->length += count;
    buffer->data[buffer->length] = 0;
    return 1;
}

static char *copy_string(const char *text) {
    return text == NULL ? NULL : strdup(text);
}

// libcurl is loaded with dlopen on the first transfer, not linked: it brings some thirty
// libraries (GnuTLS, nettle, Kerberos, LDAP, ...), whose loading cost every start of the
// lifecycle executable 3 ms, when most of its commands never touch the network.
static struct {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_setopt) *easy_setopt;
    __typeof__(curl_easy_perform) *easy_perform;
    __typeof__(curl_easy_getinfo) *easy_getinfo;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_slist_append) *slist_append;
    __typeof__(curl_slist_free_all) *slist_free_all;
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const char *load_error = "libcurl was not loaded";
static char load_message[512];

// The GnuTLS flavour first: Debian's git uses it, so it is there wherever git can do HTTPS;
// then the plain soname other distributions ship. The handle is never closed.
static void load(void) {
    const char *sonames[] = {"libcurl-gnutls.so.4", "libcurl.so.4"};
    void *library = NULL;
    for (size_t i = 0; library == NULL && i < sizeof sonames / sizeof *sonames; i++) {
        library = dlopen(sonames[i], RTLD_LAZY | RTLD_LOCAL);
    }
    if (library == NULL) {
        snprintf(load_message, sizeof load_message, "libcurl is not installed (%s)", dlerror());
        load_error = load_message;
        return;
    }
#define RESOLVE(field, name)                                                                 \
    curl.field = (__typeof__(name) *)dlsym(library, #name);                                  \
    if (curl.field == NULL) {                                                                \
        snprintf(load_message, sizeof load_message, "the installed libcurl lacks %s", #name); \
        load_error = load_message;                                                           \
        return;                                                                              \
    }
    RESOLVE(global_init, curl_global_init)
    RESOLVE(easy_init, curl_easy_init)
    RESOLVE(easy_setopt, curl_easy_setopt)
    RESOLVE(easy_perform, curl_easy_perform)
    RESOLVE(easy_getinfo, curl_easy_getinfo)
    RESOLVE(easy_cleanup, curl_easy_cleanup)
    RESOLVE(easy_strerror, curl_easy_strerror)
    RESOLVE(slist_append, curl_slist_append)
    RESOLVE(slist_free_all, curl_slist_free_all)
#undef RESOLVE
    // Not thread-safe before libcurl 7.84, so once, here, before any transfer.
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(load_message, sizeof load_message, "libcurl did not start: %s", curl.easy_strerror(code));
        load_error = load_message;
        return;
    }
    load_error = NULL;
}

CAzdoCurlTransfer *CAzdoCurl_create(const char *method, const char *url, int has_body,
                                    const uint8_t *body, size_t body_length, const char *proxy,
                                    long connect_timeout_ms,
                                    long timeout_ms, size_t max_body) {
    CAzdoCurlTransfer *transfer = calloc(1, sizeof *transfer);
    if (transfer == NULL) {
        return NULL;
    }
    transfer->method = copy_string(method);
    transfer->url = copy_string(url);
    transfer->proxy = copy_string(proxy);
    if (has_body) {
        // One byte at least: a NULL body means "none" to libcurl.
        transfer->body = malloc(body_length > 0 ? body_length : 1);
        if (transfer->body != NULL && body_length > 0) {
            memcpy(transfer->body, body, body_length);
        }
        transfer->body_length = body_length;
    }
    transfer->connect_timeout_ms = connect_timeout_ms;
    transfer->timeout_ms = timeout_ms;
    transfer->max_body = max_body;
    transfer->result = CAZDO_CURL_FAILED;
    if (transfer->method == NULL || transfer->url == NULL || (proxy != NULL && transfer->proxy == NULL) ||
        (has_body && transfer->body == NULL)) {
        CAzdoCurl_free(transfer);
        return NULL;
    }
    return transfer;
}

int CAzdoCurl_add_header(CAzdoCurlTransfer *transfer, const char *line) {
    char **grown = malloc((transfer->header_count + 1) * sizeof *grown);
    char *copy = strdup(line);
    if (grown == NULL || copy == NULL) {
        free(grown);
        free(copy);
        return 0;
    }
    if (transfer->header_count > 0) {
        memcpy(grown, transfer->headers, transfer->header_count * sizeof *grown);
    }
    free(transfer->headers);
    grown[transfer->header_count++] = copy;
    transfer->headers = grown;
    return 1;
}

// curl_slist_free_all frees each line without wiping it; an Authorization header holds a
// token.
static void free_list(struct curl_slist *list) {
    for (struct curl_slist *line = list; line != NULL; line = line->next) {
        explicit_bzero(line->data, strlen(line->data));
    }
    curl.slist_free_all(list);
}

static size_t on_body(char *bytes, size_t size, size_t count, void *context) {
    CAzdoCurlTransfer *transfer = context;
    size_t length = size * count;
    if (transfer->response.length + length > transfer->max_body) {
        transfer->too_large = 1;
        return 0;
    }
    return buffer_append(&transfer->response, bytes, length) ? length : 0;
}

// libcurl hands every header line of every response, interim ones included; a status line
// starts a new response, so only the last one's headers are kept.
static size_t on_header(char *bytes, size_t size, size_t count, void *context) {
    CAzdoCurlTransfer *transfer = context;
    size_t length = size * count;
    if (length >= 5 && memcmp(bytes, "HTTP/", 5) == 0) {
        transfer->response_headers.length = 0;
        return length;
    }
    size_t content = length;
    while (content > 0 && (bytes[content - 1] == '\r' || bytes[content - 1] == '\n')) {
        content--;
    }
    if (content == 0) {
        return length;
    }
    if (!buffer_append(&transfer->response_headers, bytes, content) ||
        !buffer_append(&transfer->response_headers, "\n", 1)) {
        return 0;
    }
    return length;
}

static int on_progress(void *context, curl_off_t download_total, curl_off_t downloaded,
                       curl_off_t upload_total, curl_off_t uploaded) {
    (void)download_total, (void)downloaded, (void)upload_total, (void)uploaded;
    CAzdoCurlTransfer *transfer = context;
    return atomic_load(&transfer->cancelled);
}

// The request's header lines as libcurl's list, with `Expect:` added: libcurl would
// otherwise ask for 100 Continue before a large body, one more round trip. NULL when
// memory is short.
static struct curl_slist *header_list(const CAzdoCurlTransfer *transfer) {
    struct curl_slist *list = curl.slist_append(NULL, "Expect:");
    for (size_t i = 0; list != NULL && i < transfer->header_count; i++) {
        struct curl_slist *appended = curl.slist_append(list, transfer->headers[i]);
        if (appended == NULL) {
            free_list(list);
            return NULL;
        }
        list = appended;
    }
    return list;
}

static CURLcode configure(CURL *handle, CAzdoCurlTransfer *transfer, struct curl_slist *headers) {
    CURLcode code = CURLE_OK;
#define SET(option, value)                                                                   \
    if (code == CURLE_OK) {                                                                  \
        code = curl.easy_setopt(handle, option, value);                                      \
    }
    SET(CURLOPT_URL, transfer->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    // An empty proxy disables the environment's http_proxy/https_proxy/all_proxy too.
    SET(CURLOPT_PROXY, transfer->proxy != NULL ? transfer->proxy : "");
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, transfer->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, transfer->timeout_ms);
    SET(CURLOPT_ERRORBUFFER, transfer->message);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, transfer);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, transfer);
    SET(CURLOPT_XFERINFOFUNCTION, on_progress);
    SET(CURLOPT_XFERINFODATA, transfer);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_HTTPHEADER, headers);
    if (strcmp(transfer->method, "HEAD") == 0) {
        SET(CURLOPT_NOBODY, 1L);
    } else if (transfer->body != NULL || strcmp(transfer->method, "POST") == 0) {
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)transfer->body_length);
        SET(CURLOPT_POSTFIELDS, transfer->body != NULL ? (const char *)transfer->body : "");
        if (strcmp(transfer->method, "POST") != 0) {
            SET(CURLOPT_CUSTOMREQUEST, transfer->method);
        }
    } else if (strcmp(transfer->method, "GET") != 0) {
        SET(CURLOPT_CUSTOMREQUEST, transfer->method);
    }
#undef SET
    return code;
}

static void run(CAzdoCurlTransfer *transfer) {
    pthread_once(&load_once, load);
    if (load_error != NULL) {
        snprintf(transfer->message, sizeof transfer->message, "%s", load_error);
        return;
    }
    // A handle of its own, closed with its connection at the end: libcurl re-sends a request
    // on a new connection when a connection it reused closes before answering, and a create
    // the server carried out before the close must never be sent twice. (Reusing handles
    // saved a TLS handshake per request, but the retries it brought broke exactly that.)
    CURL *handle = curl.easy_init();
    struct curl_slist *headers = header_list(transfer);
    if (handle == NULL || headers == NULL) {
        snprintf(transfer->message, sizeof transfer->message, "libcurl could not start a transfer");
        free_list(headers);
        if (handle != NULL) {
            curl.easy_cleanup(handle);
        }
        return;
    }
    CURLcode code = configure(handle, transfer, headers);
    if (code == CURLE_OK) {
        code = curl.easy_perform(handle);
    }
    switch (code) {
    case CURLE_OK:
        curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &transfer->status);
        transfer->result = CAZDO_CURL_OK;
        break;
    case CURLE_OPERATION_TIMEDOUT:
        transfer->result = CAZDO_CURL_TIMEOUT;
        break;
    case CURLE_ABORTED_BY_CALLBACK:
        transfer->result = CAZDO_CURL_CANCELLED;
        break;
    case CURLE_WRITE_ERROR:
        transfer->result = transfer->too_large ? CAZDO_CURL_TOO_LARGE : CAZDO_CURL_FAILED;
        break;
    default:
        transfer->result = CAZDO_CURL_FAILED;
        break;
    }
    if (transfer->message[0] == 0) {
        snprintf(transfer->message, sizeof transfer->message, "%s", curl.easy_strerror(code));
    }
    curl.easy_cleanup(handle);
    free_list(headers);
}

static void *thread_main(void *argument) {
    CAzdoCurlTransfer *transfer = argument;
    run(transfer);
    transfer->completion(transfer->context);
    return NULL;
}

int CAzdoCurl_start(CAzdoCurlTransfer *transfer, CAzdoCurlCompletion completion, void *context) {
    transfer->completion = completion;
    transfer->context = context;
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) {
        return 0;
    }
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int started = pthread_create(&thread, &attributes, thread_main, transfer) == 0;
    pthread_attr_destroy(&attributes);
    return started;
}

void CAzdoCurl_cancel(CAzdoCurlTransfer *transfer) { atomic_store(&transfer->cancelled, 1); }

CAzdoCurlResult CAzdoCurl_result(const CAzdoCurlTransfer *transfer) { return transfer->result; }

long CAzdoCurl_status(const CAzdoCurlTransfer *transfer) { return transfer->status; }

const uint8_t *CAzdoCurl_body(const CAzdoCurlTransfer *transfer, size_t *length) {
    *length = transfer->response.length;
    return transfer->response.data;
}

const char *CAzdoCurl_headers(const CAzdoCurlTransfer *transfer, size_t *length) {
    *length = transfer->response_headers.length;
    return (const char *)transfer->response_headers.data;
}

const char *CAzdoCurl_message(const CAzdoCurlTransfer *transfer) { return transfer->message; }

void CAzdoCurl_free(CAzdoCurlTransfer *transfer) {
    if (transfer == NULL) {
        return;
    }
    for (size_t i = 0; i < transfer->header_count; i++) {
        wipe_free(transfer->headers[i], strlen(transfer->headers[i]));
    }
    free(transfer->headers);
    wipe_free(transfer->body, transfer->body_length);
    buffer_free(&transfer->response);
    buffer_free(&transfer->response_headers);
    free(transfer->method);
    free(transfer->url);
    // A proxy URL may carry the proxy's password.
    if (transfer->proxy != NULL) {
        wipe_free(transfer->proxy, strlen(transfer->proxy));
    }
    free(transfer);
}
