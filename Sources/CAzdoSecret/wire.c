// See wire.h. The connection and the calls; the bytes themselves are wire-codec.c's.
#include "wire.h"

#include "failure.h"
#include "wire-codec.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUS_NAME "org.freedesktop.DBus"
#define BUS_PATH "/org/freedesktop/DBus"
#define SECRETS_NAME "org.freedesktop.secrets"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define SECRETS_SERVICE "org.freedesktop.Secret.Service"
#define SECRETS_ITEM "org.freedesktop.Secret.Item"
#define SECRETS_COLLECTION "org.freedesktop.Secret.Collection"
#define PROPERTIES "org.freedesktop.DBus.Properties"

// Calls a batch leaves unanswered at once (dbus-daemon refuses more than 128 by default).
#define IN_FLIGHT 64

struct WireConnection {
    int fd;
    uint32_t serial;
    WireInput input;
};

static int64_t now_ms(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (int64_t)time.tv_sec * 1000 + time.tv_nsec / 1000000;
}

// ---------------------------------------------------------------------------------------
// Bytes in and out

// Waits until `fd` is ready for `events` or the deadline passes: 1 ready, 0 timed out.
static int wait_ready(int fd, short events, int64_t deadline) {
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            return 0;
        }
        struct pollfd poller = {fd, events, 0};
        int ready = poll(&poller, 1, left > INT32_MAX ? INT32_MAX : (int)left);
        if (ready > 0) {
            return 1;
        }
        if (ready == 0 || errno != EINTR) {
            return 0;
        }
    }
}

static int write_all(int fd, const uint8_t *bytes, size_t length, int64_t deadline) {
    while (length > 0) {
        ssize_t written = send(fd, bytes, length, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (written > 0) {
            bytes += written;
            length -= (size_t)written;
        } else if (written < 0 && errno == EINTR) {
            continue;
        } else if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!wait_ready(fd, POLLOUT, deadline)) {
                return -1;
            }
        } else {
            return -1;
        }
    }
    return 0;
}

// Reads until one whole message is buffered and parses it; it stays valid until the next
// read or consume.
static CAzdoSecretStatus read_message(WireConnection *connection, WireMessage *message, int64_t deadline,
                                      CAzdoSecretError *error) {
    for (;;) {
        size_t wanted = 0;
        int next = wire_input_next(&connection->input, message, &wanted);
        if (next == 1) {
            return CAZDO_SECRET_OK;
        }
        if (next < 0) {
            return azdo_fail(error, CAZDO_SECRET_FAILED, "the session bus sent a message this client cannot read");
        }
        if (wire_input_reserve(&connection->input, wanted) != 0) {
            return azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
        }
        if (!wait_ready(connection->fd, POLLIN, deadline)) {
            return azdo_fail(error, CAZDO_SECRET_TIMEOUT, "the Secret Service did not answer in time");
        }
        WireInput *input = &connection->input;
        ssize_t got = recv(connection->fd, input->data + input->length, input->capacity - input->length, MSG_DONTWAIT);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (got <= 0) {
            return azdo_fail(error, CAZDO_SECRET_NO_BUS, "the session bus closed the connection");
        }
        input->length += (size_t)got;
    }
}

// ---------------------------------------------------------------------------------------
// Calls

// One call of a batch: what to send, and the copy of its answer.
typedef struct {
    const char *destination;
    const char *path;
    const char *interface;
    const char *member;
    const char *signature;
    WireBuffer body;
    uint32_t serial;
    int answered;
    uint8_t *reply;       // the whole reply message, malloc'd, wiped when freed
    WireMessage message;  // parsed, pointing into `reply`
} Call;

static void free_calls(Call *calls, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (calls[i].reply != NULL) {
            explicit_bzero(calls[i].reply, calls[i].message.total_length);
            free(calls[i].reply);
        }
        wire_buffer_free(&calls[i].body);
    }
}

static CAzdoSecretStatus send_call(WireConnection *connection, Call *call, int64_t deadline,
                                   CAzdoSecretError *error) {
    WireBuffer message = {0};
    call->serial = ++connection->serial;
    int built = wire_build_call(&message, call->serial, call->destination, call->path, call->interface, call->member,
                                call->signature, &call->body);
    int written = built == 0 ? write_all(connection->fd, message.data, message.length, deadline) : -1;
    wire_buffer_free(&message);
    if (built != 0) {
        return azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
    }
    return written == 0 ? CAZDO_SECRET_OK : azdo_fail(error, CAZDO_SECRET_NO_BUS, "cannot write to the session bus");
}

// Sends the calls (at most IN_FLIGHT unanswered at once) and collects every answer;
// messages for other serials (signals such as NameAcquired) are skipped. Error replies
// are left in the calls for the caller to read (see first_error).
static CAzdoSecretStatus call_all(WireConnection *connection, Call *calls, size_t count, int timeout_ms,
                                  CAzdoSecretError *error) {
    int64_t deadline = now_ms() + timeout_ms;
    size_t sent = 0, answered = 0;
    while (answered < count) {
        while (sent < count && sent - answered < IN_FLIGHT) {
            if (send_call(connection, &calls[sent], deadline, error) != CAZDO_SECRET_OK) {
                return error->status;
            }
            sent++;
        }
        WireMessage message;
        if (read_message(connection, &message, deadline, error) != CAZDO_SECRET_OK) {
            return error->status;
        }
        for (size_t i = 0; i < sent && (message.type == WIRE_METHOD_RETURN || message.type == WIRE_ERROR); i++) {
            Call *call = &calls[i];
            if (call->answered || call->serial != message.reply_serial) {
                continue;
            }
            if ((call->reply = malloc(message.total_length)) == NULL) {
                return azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
            }
            memcpy(call->reply, connection->input.data, message.total_length);
            wire_parse_message(call->reply, message.total_length, &call->message);
            call->answered = 1;
            answered++;
            break;
        }
        wire_input_consume(&connection->input, message.total_length);
    }
    return CAZDO_SECRET_OK;
}

// Whether an error reply says the item a call named is gone. kwalletd5 says so with
// InvalidArgs and "Can't find item at path …", where the others answer NoSuchObject or
// UnknownObject (see `wire_error_status`).
static int names_vanished_item(const char *name, const char *text) {
    return strcmp(name, "org.freedesktop.DBus.Error.InvalidArgs") == 0 && text != NULL &&
           strncmp(text, "Can't find item", strlen("Can't find item")) == 0;
}

// The first error reply among the calls, as a status with its message, and what to do
// about it: a call that hit an item removed or locked meanwhile, or gnome-keyring's
// new-client race (a first call answered UnknownMethod: its new client is registered in
// an idle callback, and a call handled before it ran gets that answer), is retried; a
// failure the service does not explain falls back to libsecret.
static CAzdoSecretStatus first_error(const Call *calls, size_t count, WireNext *next, CAzdoSecretError *error) {
    for (size_t i = 0; i < count; i++) {
        const WireMessage *reply = &calls[i].message;
        if (reply->type != WIRE_ERROR) {
            continue;
        }
        const char *name = reply->error_name ? reply->error_name : "org.freedesktop.DBus.Error.Failed";
        const char *text = wire_error_text(reply);
        CAzdoSecretStatus status =
            names_vanished_item(name, text) ? CAZDO_SECRET_NO_SUCH_OBJECT : wire_error_status(name);
        if (strcmp(name, "org.freedesktop.DBus.Error.UnknownMethod") == 0 || status == CAZDO_SECRET_NO_SUCH_OBJECT ||
            status == CAZDO_SECRET_LOCKED) {
            *next = WIRE_RETRY;
        } else if (status == CAZDO_SECRET_FAILED) {
            *next = WIRE_FALL_BACK;
        }
        return azdo_fail(error, status, text ? text : name);
    }
    return CAZDO_SECRET_OK;
}

// Whether any of the calls was answered with an error.
static int any_error_reply(const Call *calls, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (calls[i].answered && calls[i].message.type == WIRE_ERROR) {
            return 1;
        }
    }
    return 0;
}

// Runs the calls, then reads the first error reply among them.
static CAzdoSecretStatus run_calls(WireConnection *connection, Call *calls, size_t count, int timeout_ms,
                                   WireNext *next, CAzdoSecretError *error) {
    if (call_all(connection, calls, count, timeout_ms, error) != CAZDO_SECRET_OK) {
        return error->status;
    }
    return first_error(calls, count, next, error);
}

// A reply that does not have the shape the specification gives: libsecret is asked instead.
static CAzdoSecretStatus unexpected(WireRead read, WireNext *next, const char *what, CAzdoSecretError *error) {
    if (read == WIRE_READ_NO_MEMORY) {
        return azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
    }
    *next = WIRE_FALL_BACK;
    char message[160];
    snprintf(message, sizeof message, "the Secret Service answered %s with something else", what);
    return azdo_fail(error, CAZDO_SECRET_FAILED, message);
}

// ---------------------------------------------------------------------------------------
// Connecting

// Reads one line of the authentication exchange (up to "\r\n") into `line`: 0, -2 when
// the deadline passed, -1 when the bus closed the connection or sent too much.
static int read_line(int fd, char *line, size_t size, int64_t deadline) {
    size_t length = 0;
    while (length + 1 < size) {
        if (!wait_ready(fd, POLLIN, deadline)) {
            return -2;
        }
        ssize_t got = recv(fd, line + length, 1, 0);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return -1;
        }
        length++;
        if (length >= 2 && line[length - 2] == '\r' && line[length - 1] == '\n') {
            line[length - 2] = '\0';
            return 0;
        }
    }
    return -1;
}

// The socket address of the session bus; 0, or -1 with `*unsupported` or `error` set.
static int bus_address(struct sockaddr_un *address, socklen_t *length, int *unsupported, CAzdoSecretError *error) {
    const char *list = getenv("DBUS_SESSION_BUS_ADDRESS");
    if (list != NULL && list[0] != '\0') {
        if (wire_unix_address(list, address, length) != 0) {
            *unsupported = 1;
            return -1;
        }
        return 0;
    }
    // As GDBus does without an address: the user's bus socket, never an autolaunch.
    const char *runtime = getenv("XDG_RUNTIME_DIR");
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    if (runtime == NULL || runtime[0] == '\0' ||
        snprintf(address->sun_path, sizeof address->sun_path, "%s/bus", runtime) >= (int)sizeof address->sun_path ||
        access(address->sun_path, F_OK) != 0) {
        azdo_fail(error, CAZDO_SECRET_NO_BUS, "DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus does not exist");
        return -1;
    }
    *length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(address->sun_path) + 1);
    return 0;
}

// SASL EXTERNAL (the bus checks our uid from the socket's credentials): 0, or -1 with
// `*unsupported` (another mechanism is needed: GDBus knows them) or `error` set.
static int authenticate(int fd, int64_t deadline, int *unsupported, CAzdoSecretError *error) {
    char uid[32], hex[64 + 1] = {0}, line[512], request[128];
    snprintf(uid, sizeof uid, "%u", (unsigned int)getuid());
    for (size_t i = 0; uid[i] != '\0'; i++) {
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)uid[i]);
    }
    int request_length = snprintf(request, sizeof request, "%cAUTH EXTERNAL %s\r\n", '\0', hex);
    int answer = write_all(fd, (const uint8_t *)request, (size_t)request_length, deadline) != 0
                     ? -1
                     : read_line(fd, line, sizeof line, deadline);
    if (answer != 0) {
        // A bus that never answers is reported like a Secret Service that never does.
        azdo_fail(error, answer == -2 ? CAZDO_SECRET_TIMEOUT : CAZDO_SECRET_NO_BUS,
                  "the session bus did not complete authentication");
        return -1;
    }
    if (!wire_auth_accepted(line)) {
        *unsupported = 1;
        return -1;
    }
    if (write_all(fd, (const uint8_t *)"BEGIN\r\n", 7, deadline) != 0) {
        azdo_fail(error, CAZDO_SECRET_NO_BUS, "cannot write to the session bus");
        return -1;
    }
    return 0;
}

WireConnection *wire_open(int timeout_ms, int *unsupported, CAzdoSecretError *error) {
    *unsupported = 0;
    int64_t deadline = now_ms() + timeout_ms;
    struct sockaddr_un address;
    socklen_t address_length = 0;
    if (bus_address(&address, &address_length, unsupported, error) != 0) {
        return NULL;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, address_length) != 0) {
        char message[256];
        snprintf(message, sizeof message, "cannot connect to the session bus: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        azdo_fail(error, CAZDO_SECRET_NO_BUS, message);
        return NULL;
    }
    if (authenticate(fd, deadline, unsupported, error) != 0) {
        close(fd);
        return NULL;
    }
    WireConnection *connection = calloc(1, sizeof *connection);
    if (connection == NULL) {
        close(fd);
        azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
        return NULL;
    }
    connection->fd = fd;
    Call hello = {BUS_NAME, BUS_PATH, "org.freedesktop.DBus", "Hello", ""};
    WireNext next = WIRE_REPORT;
    CAzdoSecretStatus status = run_calls(connection, &hello, 1, timeout_ms, &next, error);
    free_calls(&hello, 1);
    if (status != CAZDO_SECRET_OK) {
        if (error->status == CAZDO_SECRET_FAILED) {
            error->status = CAZDO_SECRET_NO_BUS;
        }
        wire_close(connection);
        return NULL;
    }
    return connection;
}

void wire_close(WireConnection *connection) {
    if (connection == NULL) {
        return;
    }
    close(connection->fd);
    wire_input_free(&connection->input);
    free(connection);
}

// ---------------------------------------------------------------------------------------
// The search

// SearchItems alone: gnome-keyring crashed (SIGTRAP, 2 runs in 4) when a new client's
// first call came together with another one.
static CAzdoSecretStatus search_items(WireConnection *connection, const char *schema,
                                      const CAzdoSecretAttribute *query, size_t query_count, int timeout_ms,
                                      char ***unlocked, size_t *unlocked_count, SearchResult *result, WireNext *next,
                                      CAzdoSecretError *error) {
    Call search = {SECRETS_NAME, SECRETS_PATH, SECRETS_SERVICE, "SearchItems", "a{ss}"};
    size_t dictionary = wire_begin_array(&search.body, 8);
    wire_pad(&search.body, 8);
    wire_put_string(&search.body, "xdg:schema");
    wire_put_string(&search.body, schema);
    for (size_t i = 0; i < query_count; i++) {
        wire_pad(&search.body, 8);
        wire_put_string(&search.body, query[i].name);
        wire_put_string(&search.body, query[i].value);
    }
    wire_end_array(&search.body, dictionary, 8);
    CAzdoSecretStatus status = run_calls(connection, &search, 1, timeout_ms, next, error);
    if (status == CAZDO_SECRET_OK) {
        WireRead read = wire_read_search(&search.message, unlocked, unlocked_count, &result->locked,
                                         &result->locked_count);
        if (read != WIRE_READ_OK) {
            status = unexpected(read, next, "SearchItems", error);
        }
    }
    free_calls(&search, 1);
    return status;
}

// The unlocked items' attributes, with OpenSession (`plain`: the bus is the user's own
// local socket) when secrets are wanted, in one round trip; then GetSecrets.
static CAzdoSecretStatus read_items(WireConnection *connection, CAzdoSecretItem *found, size_t count, int load,
                                    int timeout_ms, WireNext *next, CAzdoSecretError *error) {
    size_t batch_count = count + (load ? 1 : 0);
    Call *batch = calloc(batch_count, sizeof *batch);
    if (batch == NULL) {
        return azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        batch[i] = (Call){SECRETS_NAME, found[i].path, PROPERTIES, "Get", "ss"};
        wire_put_string(&batch[i].body, SECRETS_ITEM);
        wire_put_string(&batch[i].body, "Attributes");
    }
    if (load) {
        batch[count] = (Call){SECRETS_NAME, SECRETS_PATH, SECRETS_SERVICE, "OpenSession", "sv"};
        wire_put_string(&batch[count].body, "plain");
        wire_put_signature(&batch[count].body, "s");
        wire_put_string(&batch[count].body, "");
    }
    // An item deleted since SearchItems (another process replacing a PAT) fails these calls,
    // each service with its own error; the search is then run again.
    CAzdoSecretStatus status = run_calls(connection, batch, batch_count, timeout_ms, next, error);
    if (status != CAZDO_SECRET_OK && any_error_reply(batch, batch_count)) {
        *next = WIRE_RETRY;
    }
    for (size_t i = 0; i < count && status == CAZDO_SECRET_OK; i++) {
        WireRead read = wire_read_attributes(&batch[i].message, &found[i]);
        if (read != WIRE_READ_OK) {
            status = unexpected(read, next, "Properties.Get(Attributes)", error);
        }
    }
    const char *session = NULL;
    if (load && status == CAZDO_SECRET_OK && wire_read_session(&batch[count].message, &session) != WIRE_READ_OK) {
        status = unexpected(WIRE_READ_UNEXPECTED, next, "OpenSession", error);
    }
    if (load && status == CAZDO_SECRET_OK) {
        Call secrets = {SECRETS_NAME, SECRETS_PATH, SECRETS_SERVICE, "GetSecrets", "aoo"};
        size_t paths = wire_begin_array(&secrets.body, 4);
        for (size_t i = 0; i < count; i++) {
            wire_put_string(&secrets.body, found[i].path);
        }
        wire_end_array(&secrets.body, paths, 4);
        wire_put_string(&secrets.body, session);
        status = run_calls(connection, &secrets, 1, timeout_ms, next, error);
        if (status != CAZDO_SECRET_OK && any_error_reply(&secrets, 1)) {
            *next = WIRE_RETRY;
        }
        WireRead read = status == CAZDO_SECRET_OK ? wire_read_secrets(&secrets.message, found, count) : WIRE_READ_OK;
        if (read != WIRE_READ_OK) {
            status = unexpected(read, next, "GetSecrets", error);
        }
        // gnome-keyring answers GetSecrets without the items deleted since SearchItems (another
        // process replacing a PAT: the new item was not there yet when the search ran), so an
        // item with no secret means the search raced: it is run again.
        for (size_t i = 0; i < count && status == CAZDO_SECRET_OK; i++) {
            if (found[i].secret == NULL) {
                status = azdo_fail(error, CAZDO_SECRET_NO_SUCH_OBJECT, "an item was deleted during the search");
                *next = WIRE_RETRY_VANISHED;
            }
        }
        free_calls(&secrets, 1);
    }
    // The session ends when we disconnect, right after this search.
    free_calls(batch, batch_count);
    free(batch);
    return status;
}

// Nothing unlocked matched: is that because the default collection is locked? A locked
// gnome-keyring collection answers a search with no items at all, locked or not.
CAzdoSecretStatus wire_check_collection(WireConnection *connection, int timeout_ms, SearchResult *result,
                                        WireNext *next, CAzdoSecretError *error) {
    Call alias = {SECRETS_NAME, SECRETS_PATH, SECRETS_SERVICE, "ReadAlias", "s"};
    wire_put_string(&alias.body, "default");
    CAzdoSecretStatus status = run_calls(connection, &alias, 1, timeout_ms, next, error);
    const char *path = NULL;
    if (status == CAZDO_SECRET_OK && wire_read_object(&alias.message, &path) != WIRE_READ_OK) {
        status = unexpected(WIRE_READ_UNEXPECTED, next, "ReadAlias", error);
    }
    if (status == CAZDO_SECRET_OK && strcmp(path, "/") != 0) {
        if ((result->collection = strdup(path)) == NULL) {
            status = azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
        }
        Call locked = {SECRETS_NAME, path, PROPERTIES, "Get", "ss"};
        wire_put_string(&locked.body, SECRETS_COLLECTION);
        wire_put_string(&locked.body, "Locked");
        if (status == CAZDO_SECRET_OK) {
            status = run_calls(connection, &locked, 1, timeout_ms, next, error);
        }
        if (status == CAZDO_SECRET_OK && wire_read_boolean(&locked.message, &result->collection_locked) != WIRE_READ_OK) {
            status = unexpected(WIRE_READ_UNEXPECTED, next, "Properties.Get(Locked)", error);
        }
        free_calls(&locked, 1);
    }
    free_calls(&alias, 1);
    return status;
}

CAzdoSecretStatus wire_search(WireConnection *connection, const char *schema, const CAzdoSecretAttribute *query,
                              size_t query_count, int load, int timeout_ms, SearchResult *result, WireNext *next,
                              CAzdoSecretError *error) {
    *next = WIRE_REPORT;
    char **unlocked = NULL;
    size_t count = 0;
    CAzdoSecretStatus status = search_items(connection, schema, query, query_count, timeout_ms, &unlocked, &count,
                                            result, next, error);
    if (status != CAZDO_SECRET_OK) {
        return status;
    }
    if (count == 0) {
        free(unlocked);
        return wire_check_collection(connection, timeout_ms, result, next, error);
    }
    CAzdoSecretItem *found = calloc(count, sizeof *found);
    if (found == NULL) {
        wire_free_paths(unlocked, count);
        return azdo_fail(error, CAZDO_SECRET_FAILED, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        found[i].path = unlocked[i];
    }
    free(unlocked);
    result->items = found;
    result->item_count = count;
    return read_items(connection, found, count, load, timeout_ms, next, error);
}

// ---------------------------------------------------------------------------------------
// Which program is the Secret Service

CAzdoSecretProvider wire_provider(WireConnection *connection, int timeout_ms) {
    static const struct {
        const char *name;
        CAzdoSecretProvider provider;
    } names[] = {
        {SECRETS_NAME, CAZDO_SECRET_PROVIDER_UNKNOWN},
        {"org.gnome.keyring", CAZDO_SECRET_PROVIDER_GNOME_KEYRING},
        {"org.keepassxc.KeePassXC.MainWindow", CAZDO_SECRET_PROVIDER_KEEPASSXC},
        {"org.kde.kwalletd5", CAZDO_SECRET_PROVIDER_KWALLET},
        {"org.kde.kwalletd6", CAZDO_SECRET_PROVIDER_KWALLET},
    };
    enum { COUNT = sizeof names / sizeof names[0] };
    Call calls[COUNT];
    for (size_t i = 0; i < COUNT; i++) {
        calls[i] = (Call){BUS_NAME, BUS_PATH, "org.freedesktop.DBus", "GetNameOwner", "s"};
        wire_put_string(&calls[i].body, names[i].name);
    }
    CAzdoSecretError ignored = {CAZDO_SECRET_OK, NULL};
    CAzdoSecretProvider provider = CAZDO_SECRET_PROVIDER_UNKNOWN;
    const char *owner = NULL;
    if (call_all(connection, calls, COUNT, timeout_ms, &ignored) == CAZDO_SECRET_OK &&
        wire_read_string(&calls[0].message, &owner) == WIRE_READ_OK) {
        for (size_t i = 1; i < COUNT; i++) {
            const char *other = NULL;
            if (wire_read_string(&calls[i].message, &other) == WIRE_READ_OK && strcmp(owner, other) == 0) {
                provider = names[i].provider;
            }
        }
    }
    free(ignored.message);
    free_calls(calls, COUNT);
    return provider;
}
