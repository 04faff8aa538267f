// See wire.h for why this exists. The D-Bus specification's wire format: every message is
// sent little-endian ('l'); replies in either byte order are read. Every read is bounds
// checked: the bus is the user's own, but a parser of outside bytes must never overrun.
#include "wire.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SECRETS_NAME "org.freedesktop.secrets"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define SECRETS_SERVICE "org.freedesktop.Secret.Service"
#define SECRETS_ITEM "org.freedesktop.Secret.Item"
#define PROPERTIES "org.freedesktop.DBus.Properties"

// The specification allows 128 MiB; a Secret Service answer is far smaller.
#define MAX_MESSAGE (64u << 20)
// Calls a batch leaves unanswered at once (dbus-daemon refuses more than 128 by default).
#define IN_FLIGHT 64

enum { CALL = 1, RETURN = 2, ERROR = 3 };
enum { FIELD_PATH = 1, FIELD_INTERFACE = 2, FIELD_MEMBER = 3, FIELD_ERROR_NAME = 4, FIELD_REPLY_SERIAL = 5,
       FIELD_DESTINATION = 6, FIELD_SIGNATURE = 8 };

struct WireConnection {
    int fd;
    uint32_t serial;
    uint8_t *input;
    size_t input_length;
    size_t input_capacity;
};

// ---------------------------------------------------------------------------------------
// Time and failures

static int64_t now_ms(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (int64_t)time.tv_sec * 1000 + time.tv_nsec / 1000000;
}

static CAzdoSecretStatus set_error(CAzdoSecretError *error, CAzdoSecretStatus status, const char *message) {
    error->status = status;
    if (error->message == NULL && message != NULL) {
        error->message = strdup(message);
    }
    return status;
}

// ---------------------------------------------------------------------------------------
// Writing messages

typedef struct {
    uint8_t *data;
    size_t length;
    size_t capacity;
    int failed;
} Buffer;

static void put(Buffer *buffer, const void *bytes, size_t count) {
    if (buffer->failed) {
        return;
    }
    if (buffer->length + count > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 256;
        while (capacity < buffer->length + count) {
            capacity *= 2;
        }
        uint8_t *grown = realloc(buffer->data, capacity);
        if (grown == NULL) {
            buffer->failed = 1;
            return;
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, bytes, count);
    buffer->length += count;
}

static void pad(Buffer *buffer, size_t alignment) {
    static const uint8_t zeros[8] = {0};
    size_t extra = (alignment - buffer->length % alignment) % alignment;
    put(buffer, zeros, extra);
}

static void put_u8(Buffer *buffer, uint8_t value) { put(buffer, &value, 1); }

static void put_u32(Buffer *buffer, uint32_t value) {
    uint8_t bytes[4] = {(uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24)};
    pad(buffer, 4);
    put(buffer, bytes, 4);
}

static void set_u32(Buffer *buffer, size_t offset, uint32_t value) {
    if (!buffer->failed) {
        uint8_t bytes[4] = {(uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24)};
        memcpy(buffer->data + offset, bytes, 4);
    }
}

// A string or object path: length, bytes, NUL.
static void put_string(Buffer *buffer, const char *text) {
    size_t length = strlen(text);
    put_u32(buffer, (uint32_t)length);
    put(buffer, text, length + 1);
}

static void put_signature(Buffer *buffer, const char *signature) {
    put_u8(buffer, (uint8_t)strlen(signature));
    put(buffer, signature, strlen(signature) + 1);
}

// Starts an array: its length is patched by end_array. Elements of `alignment`.
static size_t begin_array(Buffer *buffer, size_t alignment) {
    put_u32(buffer, 0);
    size_t length_at = buffer->length - 4;
    pad(buffer, alignment);
    return length_at;
}

static void end_array(Buffer *buffer, size_t length_at, size_t alignment) {
    size_t start = length_at + 4;
    start += (alignment - start % alignment) % alignment;
    set_u32(buffer, length_at, (uint32_t)(buffer->length - start));
}

static void put_field(Buffer *header, uint8_t code, char type, const char *value) {
    pad(header, 8);
    put_u8(header, code);
    char signature[2] = {type, 0};
    put_signature(header, signature);
    if (type == 'g') {
        put_signature(header, value);
    } else {
        put_string(header, value);
    }
}

static int write_all(int fd, const uint8_t *bytes, size_t length, int64_t deadline) {
    while (length > 0) {
        ssize_t written = send(fd, bytes, length, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (written > 0) {
            bytes += written;
            length -= (size_t)written;
            continue;
        }
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int64_t left = deadline - now_ms();
            struct pollfd poller = {fd, POLLOUT, 0};
            if (left <= 0 || poll(&poller, 1, (int)left) <= 0) {
                return -1;
            }
            continue;
        }
        return -1;
    }
    return 0;
}

static int body_failed(const Buffer *body) { return body != NULL && body->failed; }

// Sends one method call; `*serial` receives its serial. Returns 0 on success.
static int send_call(WireConnection *connection, const char *destination, const char *path, const char *interface,
                     const char *member, const char *signature, const Buffer *body, uint32_t *serial,
                     int64_t deadline) {
    Buffer message = {0};
    *serial = ++connection->serial;
    put_u8(&message, 'l');
    put_u8(&message, CALL);
    put_u8(&message, 0);
    put_u8(&message, 1);
    put_u32(&message, body ? (uint32_t)body->length : 0);
    put_u32(&message, *serial);
    size_t fields = begin_array(&message, 8);
    put_field(&message, FIELD_PATH, 'o', path);
    put_field(&message, FIELD_INTERFACE, 's', interface);
    put_field(&message, FIELD_MEMBER, 's', member);
    put_field(&message, FIELD_DESTINATION, 's', destination);
    if (signature != NULL && signature[0] != '\0') {
        put_field(&message, FIELD_SIGNATURE, 'g', signature);
    }
    end_array(&message, fields, 8);
    pad(&message, 8);
    if (body != NULL && body->length > 0) {
        put(&message, body->data, body->length);
    }
    int result = message.failed || body_failed(body) ? -1 : write_all(connection->fd, message.data, message.length, deadline);
    free(message.data);
    return result;
}

// ---------------------------------------------------------------------------------------
// Reading messages

// A bounds-checked reader over one message's bytes; any overrun sets `failed`.
typedef struct {
    const uint8_t *data;
    size_t length;
    size_t offset;
    int little;
    int failed;
} Cursor;

static void skip_to(Cursor *cursor, size_t alignment) {
    size_t aligned = cursor->offset + (alignment - cursor->offset % alignment) % alignment;
    if (aligned > cursor->length) {
        cursor->failed = 1;
        return;
    }
    cursor->offset = aligned;
}

static uint8_t get_u8(Cursor *cursor) {
    if (cursor->failed || cursor->offset + 1 > cursor->length) {
        cursor->failed = 1;
        return 0;
    }
    return cursor->data[cursor->offset++];
}

static uint32_t get_u32(Cursor *cursor) {
    skip_to(cursor, 4);
    if (cursor->failed || cursor->offset + 4 > cursor->length) {
        cursor->failed = 1;
        return 0;
    }
    const uint8_t *b = cursor->data + cursor->offset;
    cursor->offset += 4;
    return cursor->little ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
                          : (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
}

// `length` bytes followed by a NUL, with no NUL inside; returns them in place or NULL.
static const char *get_text(Cursor *cursor, size_t length) {
    if (cursor->failed || length >= cursor->length || cursor->offset > cursor->length - length - 1) {
        cursor->failed = 1;
        return NULL;
    }
    const char *text = (const char *)cursor->data + cursor->offset;
    if (text[length] != '\0' || memchr(text, '\0', length) != NULL) {
        cursor->failed = 1;
        return NULL;
    }
    cursor->offset += length + 1;
    return text;
}

static const char *get_string(Cursor *cursor) {
    uint32_t length = get_u32(cursor);
    return cursor->failed ? NULL : get_text(cursor, length);
}

static const char *get_signature(Cursor *cursor) {
    uint8_t length = get_u8(cursor);
    return cursor->failed ? NULL : get_text(cursor, length);
}

// An array's end offset, after its length and the padding before its first element.
static size_t get_array_end(Cursor *cursor, size_t alignment) {
    uint32_t length = get_u32(cursor);
    skip_to(cursor, alignment);
    if (cursor->failed || length > cursor->length - cursor->offset) {
        cursor->failed = 1;
        return 0;
    }
    return cursor->offset + length;
}

// One incoming message, pointing into the connection's input buffer.
typedef struct {
    uint8_t type;
    int little;
    uint32_t reply_serial;
    const char *error_name;
    const char *signature;
    const uint8_t *body;
    size_t body_length;
    size_t total_length;
} Message;

// The total length of the message at the start of `bytes`, once 16 bytes are there; 0 when
// more are needed, SIZE_MAX when the header is invalid.
static size_t message_length(const uint8_t *bytes, size_t available) {
    if (available < 16) {
        return 0;
    }
    if ((bytes[0] != 'l' && bytes[0] != 'B') || bytes[3] != 1) {
        return SIZE_MAX;
    }
    Cursor cursor = {bytes, 16, 4, bytes[0] == 'l', 0};
    uint32_t body = get_u32(&cursor);
    get_u32(&cursor);
    uint32_t fields = get_u32(&cursor);
    if (body > MAX_MESSAGE || fields > MAX_MESSAGE) {
        return SIZE_MAX;
    }
    size_t header = 16 + (size_t)fields;
    header += (8 - header % 8) % 8;
    return header + body > MAX_MESSAGE ? SIZE_MAX : header + body;
}

// Parses a complete message of `length` bytes. Returns 0 on success.
static int parse_message(const uint8_t *bytes, size_t length, Message *message) {
    memset(message, 0, sizeof *message);
    if (length < 16 || message_length(bytes, length) != length) {
        return -1;
    }
    message->little = bytes[0] == 'l';
    message->type = bytes[1];
    message->total_length = length;
    Cursor cursor = {bytes, length, 4, message->little, 0};
    uint32_t body_length = get_u32(&cursor);
    get_u32(&cursor);
    size_t fields_end = get_array_end(&cursor, 8);
    while (!cursor.failed && cursor.offset < fields_end) {
        skip_to(&cursor, 8);
        uint8_t code = get_u8(&cursor);
        const char *type = get_signature(&cursor);
        if (cursor.failed || type == NULL || strlen(type) != 1) {
            return -1;
        }
        switch (type[0]) {
        case 'u': {
            uint32_t value = get_u32(&cursor);
            if (code == FIELD_REPLY_SERIAL) {
                message->reply_serial = value;
            }
            break;
        }
        case 's':
        case 'o': {
            const char *value = get_string(&cursor);
            if (code == FIELD_ERROR_NAME) {
                message->error_name = value;
            }
            break;
        }
        case 'g': {
            const char *value = get_signature(&cursor);
            if (code == FIELD_SIGNATURE) {
                message->signature = value;
            }
            break;
        }
        default:
            return -1;
        }
    }
    if (cursor.failed || cursor.offset != fields_end) {
        return -1;
    }
    skip_to(&cursor, 8);
    if (cursor.failed || cursor.offset + body_length != length) {
        return -1;
    }
    message->body = bytes + cursor.offset;
    message->body_length = body_length;
    if (message->signature == NULL) {
        message->signature = "";
    }
    return 0;
}

static Cursor body_cursor(const Message *message) {
    return (Cursor){message->body, message->body_length, 0, message->little, 0};
}

// Reads until one whole message is buffered, then parses it. The message stays valid until
// the next read. Returns 0, or a status for a timeout or a broken connection.
static CAzdoSecretStatus read_message(WireConnection *connection, Message *message, int64_t deadline,
                                      CAzdoSecretError *error) {
    for (;;) {
        size_t length = message_length(connection->input, connection->input_length);
        if (length == SIZE_MAX) {
            return set_error(error, CAZDO_SECRET_FAILED, "the session bus sent a message this client cannot read");
        }
        if (length != 0 && length <= connection->input_length) {
            if (parse_message(connection->input, length, message) != 0) {
                return set_error(error, CAZDO_SECRET_FAILED, "the session bus sent a malformed message");
            }
            return CAZDO_SECRET_OK;
        }
        size_t wanted = length ? length : 16;
        if (wanted > connection->input_capacity) {
            size_t capacity = connection->input_capacity ? connection->input_capacity : 4096;
            while (capacity < wanted) {
                capacity *= 2;
            }
            uint8_t *grown = malloc(capacity);
            if (grown == NULL) {
                return set_error(error, CAZDO_SECRET_FAILED, "out of memory");
            }
            memcpy(grown, connection->input, connection->input_length);
            explicit_bzero(connection->input, connection->input_capacity);
            free(connection->input);
            connection->input = grown;
            connection->input_capacity = capacity;
        }
        int64_t left = deadline - now_ms();
        struct pollfd poller = {connection->fd, POLLIN, 0};
        int ready = left > 0 ? poll(&poller, 1, (int)left) : 0;
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            return set_error(error, CAZDO_SECRET_TIMEOUT, "the Secret Service did not answer in time");
        }
        ssize_t got = recv(connection->fd, connection->input + connection->input_length,
                           connection->input_capacity - connection->input_length, MSG_DONTWAIT);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (got <= 0) {
            return set_error(error, CAZDO_SECRET_NO_BUS, "the session bus closed the connection");
        }
        connection->input_length += (size_t)got;
    }
}

// Drops the message at the start of the input buffer (wiping it: it may hold secrets).
static void consume(WireConnection *connection, size_t length) {
    memmove(connection->input, connection->input + length, connection->input_length - length);
    connection->input_length -= length;
    explicit_bzero(connection->input + connection->input_length, length);
}

// ---------------------------------------------------------------------------------------
// Calls and their answers

CAzdoSecretStatus wire_error_status(const char *name) {
    if (strcmp(name, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
        strcmp(name, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0) {
        return CAZDO_SECRET_NO_SERVICE;
    }
    if (strcmp(name, "org.freedesktop.DBus.Error.NoReply") == 0) {
        return CAZDO_SECRET_SERVICE_STOPPED;
    }
    if (strcmp(name, "org.freedesktop.DBus.Error.Timeout") == 0 ||
        strcmp(name, "org.freedesktop.DBus.Error.TimedOut") == 0) {
        return CAZDO_SECRET_TIMEOUT;
    }
    if (strcmp(name, "org.freedesktop.Secret.Error.IsLocked") == 0) {
        return CAZDO_SECRET_LOCKED;
    }
    if (strcmp(name, "org.freedesktop.Secret.Error.NoSuchObject") == 0) {
        return CAZDO_SECRET_NO_COLLECTION;
    }
    return CAZDO_SECRET_FAILED;
}

// One call of a batch: what to send, and the copy of its answer.
typedef struct {
    const char *path;
    const char *interface;
    const char *member;
    const char *signature;
    Buffer body;
    uint32_t serial;
    int answered;
    int unknown_method;
    uint8_t *reply;      // the whole reply message, malloc'd, wiped when freed
    Message message;     // parsed, pointing into `reply`
} Call;

static void free_calls(Call *calls, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (calls[i].reply != NULL) {
            explicit_bzero(calls[i].reply, calls[i].message.total_length);
            free(calls[i].reply);
        }
        free(calls[i].body.data);
    }
}

// Sends the calls (up to IN_FLIGHT unanswered at once) and collects every answer; messages
// for other serials (signals such as NameAcquired) are skipped. Records the first failure.
static CAzdoSecretStatus call_all(WireConnection *connection, const char *destination, Call *calls, size_t count,
                                  int timeout_ms, CAzdoSecretError *error) {
    int64_t deadline = now_ms() + timeout_ms;
    size_t sent = 0, answered = 0;
    while (answered < count) {
        while (sent < count && sent - answered < IN_FLIGHT) {
            Call *call = &calls[sent];
            if (send_call(connection, destination, call->path, call->interface, call->member, call->signature,
                          &call->body, &call->serial, deadline) != 0) {
                return set_error(error, CAZDO_SECRET_NO_BUS, "cannot write to the session bus");
            }
            sent++;
        }
        Message message;
        CAzdoSecretStatus status = read_message(connection, &message, deadline, error);
        if (status != CAZDO_SECRET_OK) {
            return status;
        }
        Call *call = NULL;
        if (message.type == RETURN || message.type == ERROR) {
            for (size_t i = 0; i < sent; i++) {
                if (!calls[i].answered && calls[i].serial == message.reply_serial) {
                    call = &calls[i];
                }
            }
        }
        if (call != NULL) {
            call->reply = malloc(message.total_length);
            if (call->reply == NULL) {
                return set_error(error, CAZDO_SECRET_FAILED, "out of memory");
            }
            memcpy(call->reply, connection->input, message.total_length);
            parse_message(call->reply, message.total_length, &call->message);
            call->answered = 1;
            answered++;
        }
        consume(connection, message.total_length);
    }
    CAzdoSecretStatus status = CAZDO_SECRET_OK;
    for (size_t i = 0; i < count; i++) {
        const Message *reply = &calls[i].message;
        if (reply->type != ERROR) {
            continue;
        }
        const char *name = reply->error_name ? reply->error_name : "org.freedesktop.DBus.Error.Failed";
        calls[i].unknown_method = strcmp(name, "org.freedesktop.DBus.Error.UnknownMethod") == 0;
        if (status == CAZDO_SECRET_OK) {
            Cursor cursor = body_cursor(reply);
            const char *text = reply->signature[0] == 's' ? get_string(&cursor) : NULL;
            status = set_error(error, wire_error_status(name), text ? text : name);
        }
    }
    return status;
}

// ---------------------------------------------------------------------------------------
// Connecting

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes the %XX escapes of a D-Bus address value into `out` (of `size`); -1 if it is
// malformed or does not fit.
static int unescape(const char *value, size_t length, char *out, size_t size) {
    size_t written = 0;
    for (size_t i = 0; i < length; i++) {
        char c = value[i];
        if (c == '%') {
            if (i + 2 >= length || hex_digit(value[i + 1]) < 0 || hex_digit(value[i + 2]) < 0) {
                return -1;
            }
            c = (char)(hex_digit(value[i + 1]) * 16 + hex_digit(value[i + 2]));
            i += 2;
        }
        if (written + 1 >= size) {
            return -1;
        }
        out[written++] = c;
    }
    out[written] = '\0';
    return (int)written;
}

// Fills `address` from the first entry of a D-Bus address list when it is unix:path= or
// unix:abstract=; returns 0, or -1 when the entry is of another kind.
static int unix_address(const char *list, struct sockaddr_un *address, socklen_t *length) {
    size_t entry = strcspn(list, ";");
    if (strncmp(list, "unix:", 5) != 0) {
        return -1;
    }
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    const char *cursor = list + 5;
    const char *end = list + entry;
    int found = -1;
    while (cursor < end) {
        size_t pair = strcspn(cursor, ",;");
        if (cursor + pair > end) {
            pair = (size_t)(end - cursor);
        }
        const char *equals = memchr(cursor, '=', pair);
        if (equals != NULL) {
            size_t key = (size_t)(equals - cursor);
            const char *value = equals + 1;
            size_t value_length = pair - key - 1;
            char decoded[sizeof address->sun_path];
            int decoded_length = unescape(value, value_length, decoded, sizeof decoded - 1);
            if (key == 4 && strncmp(cursor, "path", 4) == 0 && decoded_length > 0) {
                memcpy(address->sun_path, decoded, (size_t)decoded_length);
                *length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)decoded_length + 1);
                found = 0;
            } else if (key == 8 && strncmp(cursor, "abstract", 8) == 0 && decoded_length > 0) {
                memcpy(address->sun_path + 1, decoded, (size_t)decoded_length);
                *length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)decoded_length);
                found = 0;
            } else if (!(key == 4 && strncmp(cursor, "guid", 4) == 0)) {
                return -1;  // tmpdir=, dir=, runtime=: addresses a server listens on, not ours
            }
        }
        cursor += pair + 1;
    }
    return found;
}

// Reads one line of the authentication exchange (up to "\r\n") into `line`: 0, -2 when
// the deadline passed, -1 when the bus closed the connection or sent too much.
static int read_line(int fd, char *line, size_t size, int64_t deadline) {
    size_t length = 0;
    while (length + 1 < size) {
        int64_t left = deadline - now_ms();
        struct pollfd poller = {fd, POLLIN, 0};
        if (left <= 0 || poll(&poller, 1, (int)left) <= 0) {
            return -2;
        }
        ssize_t got = recv(fd, line + length, 1, 0);
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

WireConnection *wire_open(int timeout_ms, int *unsupported, CAzdoSecretError *error) {
    *unsupported = 0;
    int64_t deadline = now_ms() + timeout_ms;
    struct sockaddr_un address;
    socklen_t address_length = 0;
    const char *list = getenv("DBUS_SESSION_BUS_ADDRESS");
    if (list != NULL && list[0] != '\0') {
        if (unix_address(list, &address, &address_length) != 0) {
            *unsupported = 1;
            return NULL;
        }
    } else {
        // As GDBus does without an address: the user's bus socket, never an autolaunch.
        const char *runtime = getenv("XDG_RUNTIME_DIR");
        memset(&address, 0, sizeof address);
        address.sun_family = AF_UNIX;
        if (runtime == NULL || runtime[0] == '\0' ||
            snprintf(address.sun_path, sizeof address.sun_path, "%s/bus", runtime) >= (int)sizeof address.sun_path ||
            access(address.sun_path, F_OK) != 0) {
            set_error(error, CAZDO_SECRET_NO_BUS,
                      "DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus does not exist");
            return NULL;
        }
        address_length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(address.sun_path) + 1);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, address_length) != 0) {
        char message[256];
        snprintf(message, sizeof message, "cannot connect to the session bus: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        set_error(error, CAZDO_SECRET_NO_BUS, message);
        return NULL;
    }
    // SASL EXTERNAL: the bus checks our uid from the socket's credentials.
    char uid[32], hex[64 + 1] = {0}, line[512];
    snprintf(uid, sizeof uid, "%u", (unsigned int)getuid());
    for (size_t i = 0; uid[i] != '\0'; i++) {
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)uid[i]);
    }
    char request[128];
    int request_length = snprintf(request, sizeof request, "%cAUTH EXTERNAL %s\r\n", '\0', hex);
    int answer = write_all(fd, (const uint8_t *)request, (size_t)request_length, deadline) != 0
                     ? -1
                     : read_line(fd, line, sizeof line, deadline);
    if (answer != 0) {
        close(fd);
        // A bus that never answers is reported like a Secret Service that never does.
        set_error(error, answer == -2 ? CAZDO_SECRET_TIMEOUT : CAZDO_SECRET_NO_BUS,
                  "the session bus did not complete authentication");
        return NULL;
    }
    if (strncmp(line, "OK ", 3) != 0) {
        close(fd);
        *unsupported = 1;  // another mechanism is needed: GDBus knows them
        return NULL;
    }
    if (write_all(fd, (const uint8_t *)"BEGIN\r\n", 7, deadline) != 0) {
        close(fd);
        set_error(error, CAZDO_SECRET_NO_BUS, "cannot write to the session bus");
        return NULL;
    }
    WireConnection *connection = calloc(1, sizeof *connection);
    if (connection == NULL) {
        close(fd);
        set_error(error, CAZDO_SECRET_FAILED, "out of memory");
        return NULL;
    }
    connection->fd = fd;
    Call hello = {"/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello", ""};
    CAzdoSecretStatus status = call_all(connection, "org.freedesktop.DBus", &hello, 1, timeout_ms, error);
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
    if (connection->input != NULL) {
        explicit_bzero(connection->input, connection->input_capacity);
        free(connection->input);
    }
    free(connection);
}

// ---------------------------------------------------------------------------------------
// The search

// Object paths of an `ao`, strdup'd into `paths` (count in `*count`); 0 on success.
static int get_paths(Cursor *cursor, char ***paths, size_t *count) {
    *paths = NULL;
    *count = 0;
    size_t end = get_array_end(cursor, 4);
    size_t capacity = 0;
    while (!cursor->failed && cursor->offset < end) {
        const char *path = get_string(cursor);
        if (path == NULL) {
            break;
        }
        if (*count == capacity) {
            capacity = capacity ? capacity * 2 : 8;
            char **grown = realloc(*paths, capacity * sizeof **paths);
            if (grown == NULL) {
                cursor->failed = 1;
                break;
            }
            *paths = grown;
        }
        (*paths)[(*count)++] = strdup(path);
    }
    if (cursor->failed || cursor->offset != end) {
        cursor->failed = 1;
        return -1;
    }
    return 0;
}

static void free_paths(char **paths, size_t count) {
    for (size_t i = 0; i < count; i++) {
        free(paths[i]);
    }
    free(paths);
}

// The `a{ss}` inside a Properties.Get reply (`v`), copied into the item; 0 on success.
static int get_attributes(const Message *reply, CAzdoSecretItem *item) {
    Cursor cursor = body_cursor(reply);
    if (strcmp(reply->signature, "v") != 0) {
        return -1;
    }
    const char *type = get_signature(&cursor);
    item->attributes = calloc(1, sizeof(CAzdoSecretAttribute));
    if (type == NULL || strcmp(type, "a{ss}") != 0) {
        return cursor.failed ? -1 : 0;  // not a dictionary: no attributes, as over GDBus
    }
    size_t end = get_array_end(&cursor, 8);
    size_t capacity = 1;
    while (!cursor.failed && cursor.offset < end) {
        skip_to(&cursor, 8);
        const char *name = get_string(&cursor);
        const char *value = get_string(&cursor);
        if (name == NULL || value == NULL) {
            break;
        }
        if (item->attribute_count == capacity) {
            capacity *= 2;
            CAzdoSecretAttribute *grown = realloc(item->attributes, capacity * sizeof *grown);
            if (grown == NULL) {
                return -1;
            }
            item->attributes = grown;
        }
        item->attributes[item->attribute_count].name = strdup(name);
        item->attributes[item->attribute_count].value = strdup(value);
        item->attribute_count++;
    }
    return cursor.failed || cursor.offset != end ? -1 : 0;
}

// The session path of an OpenSession reply (`vo`, the `v` an empty string for `plain`).
static const char *get_session(const Message *reply) {
    Cursor cursor = body_cursor(reply);
    if (strcmp(reply->signature, "vo") != 0) {
        return NULL;
    }
    const char *type = get_signature(&cursor);
    if (type == NULL || strcmp(type, "s") != 0 || get_string(&cursor) == NULL) {
        return NULL;
    }
    const char *session = get_string(&cursor);
    return cursor.failed ? NULL : session;
}

// Copies each secret of a GetSecrets reply (`a{o(oayays)}`) to its item; 0 on success.
static int get_secrets(const Message *reply, CAzdoSecretItem *items, size_t count) {
    Cursor cursor = body_cursor(reply);
    if (strcmp(reply->signature, "a{o(oayays)}") != 0) {
        return -1;
    }
    size_t end = get_array_end(&cursor, 8);
    while (!cursor.failed && cursor.offset < end) {
        skip_to(&cursor, 8);
        const char *path = get_string(&cursor);
        skip_to(&cursor, 8);
        get_string(&cursor);                       // the session
        uint32_t parameters = get_u32(&cursor);    // empty for `plain`
        if (cursor.failed || parameters > cursor.length - cursor.offset) {
            return -1;
        }
        cursor.offset += parameters;
        uint32_t length = get_u32(&cursor);
        if (cursor.failed || length > cursor.length - cursor.offset) {
            return -1;
        }
        const uint8_t *value = cursor.data + cursor.offset;
        cursor.offset += length;
        if (get_string(&cursor) == NULL || path == NULL) {  // the content type
            return -1;
        }
        for (size_t j = 0; j < count; j++) {
            if (strcmp(items[j].path, path) == 0 && items[j].secret == NULL) {
                items[j].secret = malloc(length ? length : 1);
                if (items[j].secret == NULL) {
                    return -1;
                }
                memcpy(items[j].secret, value, length);
                items[j].secret_length = length;
            }
        }
    }
    return cursor.failed || cursor.offset != end ? -1 : 0;
}

CAzdoSecretStatus wire_search(WireConnection *connection, const char *schema, const CAzdoSecretAttribute *query,
                              size_t query_count, int load, int timeout_ms, CAzdoSecretItem **items,
                              size_t *item_count, size_t *locked_count, int *raced, CAzdoSecretError *error) {
    *raced = 0;
    Call search = {SECRETS_PATH, SECRETS_SERVICE, "SearchItems", "a{ss}"};
    size_t dictionary = begin_array(&search.body, 8);
    pad(&search.body, 8);
    put_string(&search.body, "xdg:schema");
    put_string(&search.body, schema);
    for (size_t i = 0; i < query_count; i++) {
        pad(&search.body, 8);
        put_string(&search.body, query[i].name);
        put_string(&search.body, query[i].value);
    }
    end_array(&search.body, dictionary, 8);
    CAzdoSecretStatus status = call_all(connection, SECRETS_NAME, &search, 1, timeout_ms, error);
    if (status != CAZDO_SECRET_OK) {
        *raced = search.unknown_method;
        free_calls(&search, 1);
        return status;
    }
    char **unlocked = NULL, **locked = NULL;
    size_t count = 0, locked_items = 0;
    Cursor cursor = body_cursor(&search.message);
    if (strcmp(search.message.signature, "aoao") != 0 || get_paths(&cursor, &unlocked, &count) != 0 ||
        get_paths(&cursor, &locked, &locked_items) != 0) {
        free_paths(unlocked, count);
        free_paths(locked, locked_items);
        free_calls(&search, 1);
        return set_error(error, CAZDO_SECRET_FAILED, "the Secret Service answered SearchItems with something else");
    }
    free_paths(locked, locked_items);
    free_calls(&search, 1);
    *locked_count = locked_items;
    if (count == 0) {
        free(unlocked);
        return CAZDO_SECRET_OK;
    }

    // The attributes of every item, and the session GetSecrets needs, in one round trip.
    CAzdoSecretItem *found = calloc(count, sizeof *found);
    size_t batch_count = count + (load ? 1 : 0);
    Call *batch = calloc(batch_count, sizeof *batch);
    for (size_t i = 0; i < count; i++) {
        found[i].path = unlocked[i];
        batch[i] = (Call){found[i].path, PROPERTIES, "Get", "ss"};
        put_string(&batch[i].body, SECRETS_ITEM);
        put_string(&batch[i].body, "Attributes");
    }
    free(unlocked);
    if (load) {
        batch[count] = (Call){SECRETS_PATH, SECRETS_SERVICE, "OpenSession", "sv"};
        put_string(&batch[count].body, "plain");
        put_signature(&batch[count].body, "s");
        put_string(&batch[count].body, "");
    }
    status = call_all(connection, SECRETS_NAME, batch, batch_count, timeout_ms, error);
    for (size_t i = 0; i < count && status == CAZDO_SECRET_OK; i++) {
        if (get_attributes(&batch[i].message, &found[i]) != 0) {
            status = set_error(error, CAZDO_SECRET_FAILED, "the Secret Service sent attributes this client cannot read");
        }
    }
    const char *session = load && status == CAZDO_SECRET_OK ? get_session(&batch[count].message) : NULL;
    if (load && status == CAZDO_SECRET_OK) {
        Call secrets = {SECRETS_PATH, SECRETS_SERVICE, "GetSecrets", "aoo"};
        if (session == NULL) {
            status = set_error(error, CAZDO_SECRET_FAILED, "the Secret Service answered OpenSession with something else");
        } else {
            size_t paths = begin_array(&secrets.body, 4);
            for (size_t i = 0; i < count; i++) {
                put_string(&secrets.body, found[i].path);
            }
            end_array(&secrets.body, paths, 4);
            put_string(&secrets.body, session);
            status = call_all(connection, SECRETS_NAME, &secrets, 1, timeout_ms, error);
            if (status == CAZDO_SECRET_OK && get_secrets(&secrets.message, found, count) != 0) {
                status = set_error(error, CAZDO_SECRET_FAILED, "the Secret Service sent secrets this client cannot read");
            }
        }
        free_calls(&secrets, 1);
    }
    // The session ends when we disconnect, right after this search.
    free_calls(batch, batch_count);
    free(batch);
    if (status == CAZDO_SECRET_OK) {
        *items = found;
        *item_count = count;
    } else {
        CAzdoSecret_items_free(found, count);
        *raced = status != CAZDO_SECRET_TIMEOUT;
    }
    return status;
}

CAzdoSecretStatus wire_delete(WireConnection *connection, const char *path, int timeout_ms, int *raced,
                              CAzdoSecretError *error) {
    Call call = {path, SECRETS_ITEM, "Delete", ""};
    CAzdoSecretStatus status = call_all(connection, SECRETS_NAME, &call, 1, timeout_ms, error);
    *raced = status != CAZDO_SECRET_OK && call.unknown_method;
    if (status == CAZDO_SECRET_OK) {
        Cursor cursor = body_cursor(&call.message);
        const char *prompt = strcmp(call.message.signature, "o") == 0 ? get_string(&cursor) : NULL;
        if (prompt == NULL) {
            status = set_error(error, CAZDO_SECRET_FAILED, "the Secret Service answered Delete with something else");
        } else if (strcmp(prompt, "/") != 0) {
            status = set_error(error, CAZDO_SECRET_PROMPT_REQUIRED, "the Secret Service wants a prompt to delete the item");
        }
    }
    free_calls(&call, 1);
    return status;
}

int CAzdoSecret_fuzz_wire_message(const unsigned char *bytes, size_t length) {
    Message message;
    size_t total = message_length(bytes, length);
    if (total == 0 || total == SIZE_MAX || total > length || parse_message(bytes, total, &message) != 0) {
        return 0;
    }
    char path[] = "/org/freedesktop/secrets/collection/login/1";
    CAzdoSecretItem item = {.path = path};
    int parsed = get_attributes(&message, &item) == 0;
    for (size_t i = 0; i < item.attribute_count; i++) {
        free((void *)item.attributes[i].name);
        free((void *)item.attributes[i].value);
    }
    free(item.attributes);
    parsed += get_session(&message) != NULL;
    CAzdoSecretItem target = {.path = path};
    parsed += get_secrets(&message, &target, 1) == 0;
    free(target.secret);
    char **paths = NULL;
    size_t count = 0;
    Cursor cursor = body_cursor(&message);
    parsed += get_paths(&cursor, &paths, &count) == 0;
    free_paths(paths, count);
    return parsed;
}
