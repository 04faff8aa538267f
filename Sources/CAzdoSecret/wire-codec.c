// See wire-codec.h. The D-Bus specification's wire format: calls are written little-endian
// ('l'); messages in either byte order are read.
#include "wire-codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    FIELD_PATH = 1, FIELD_INTERFACE = 2, FIELD_MEMBER = 3, FIELD_ERROR_NAME = 4, FIELD_REPLY_SERIAL = 5,
    FIELD_DESTINATION = 6, FIELD_SENDER = 7, FIELD_SIGNATURE = 8, FIELD_UNIX_FDS = 9,
};

// The specification's limits on nesting: 32 arrays, 32 structures, 64 in all (variants
// included).
#define MAX_ARRAY_DEPTH 32
#define MAX_STRUCT_DEPTH 32
#define MAX_DEPTH 64

static void wipe(void *data, size_t length) {
    if (data != NULL && length > 0) {
        explicit_bzero(data, length);
    }
}

// Grows `*data` (holding `length` bytes) to a capacity of at least `wanted`, doubling from
// 256; the old bytes are wiped, since they may hold a secret. 0, or -1 when it failed.
static int grow(uint8_t **data, size_t length, size_t *capacity, size_t wanted) {
    if (wanted <= *capacity) {
        return 0;
    }
    if (wanted > SIZE_MAX / 2) {
        return -1;
    }
    size_t grown_capacity = *capacity ? *capacity : 256;
    while (grown_capacity < wanted) {
        grown_capacity *= 2;
    }
    uint8_t *grown = malloc(grown_capacity);
    if (grown == NULL) {
        return -1;
    }
    if (*data != NULL) {
        memcpy(grown, *data, length);
        wipe(*data, *capacity);
        free(*data);
    }
    *data = grown;
    *capacity = grown_capacity;
    return 0;
}

// ---------------------------------------------------------------------------------------
// Writing

void wire_buffer_free(WireBuffer *buffer) {
    wipe(buffer->data, buffer->capacity);
    free(buffer->data);
    *buffer = (WireBuffer){0};
}

static void put(WireBuffer *buffer, const void *bytes, size_t count) {
    if (buffer->failed) {
        return;
    }
    if (count > SIZE_MAX / 2 - buffer->length ||
        grow(&buffer->data, buffer->length, &buffer->capacity, buffer->length + count) != 0) {
        buffer->failed = 1;
        return;
    }
    if (count > 0) {
        memcpy(buffer->data + buffer->length, bytes, count);
    }
    buffer->length += count;
}

void wire_pad(WireBuffer *buffer, size_t alignment) {
    static const uint8_t zeros[8] = {0};
    put(buffer, zeros, (alignment - buffer->length % alignment) % alignment);
}

void wire_put_u8(WireBuffer *buffer, uint8_t value) { put(buffer, &value, 1); }

static void encode_u32(uint8_t bytes[4], uint32_t value) {
    bytes[0] = (uint8_t)value;
    bytes[1] = (uint8_t)(value >> 8);
    bytes[2] = (uint8_t)(value >> 16);
    bytes[3] = (uint8_t)(value >> 24);
}

void wire_put_u32(WireBuffer *buffer, uint32_t value) {
    uint8_t bytes[4];
    encode_u32(bytes, value);
    wire_pad(buffer, 4);
    put(buffer, bytes, 4);
}

void wire_put_string(WireBuffer *buffer, const char *text) {
    size_t length = strlen(text);
    wire_put_u32(buffer, (uint32_t)length);
    put(buffer, text, length + 1);
}

void wire_put_signature(WireBuffer *buffer, const char *signature) {
    size_t length = strlen(signature);
    wire_put_u8(buffer, (uint8_t)length);
    put(buffer, signature, length + 1);
}

size_t wire_begin_array(WireBuffer *buffer, size_t alignment) {
    wire_put_u32(buffer, 0);
    size_t length_at = buffer->length - 4;
    wire_pad(buffer, alignment);
    return length_at;
}

void wire_end_array(WireBuffer *buffer, size_t length_at, size_t alignment) {
    if (buffer->failed) {
        return;
    }
    size_t start = length_at + 4;
    start += (alignment - start % alignment) % alignment;
    encode_u32(buffer->data + length_at, (uint32_t)(buffer->length - start));
}

static void put_field(WireBuffer *header, uint8_t code, const char *type, const char *value) {
    wire_pad(header, 8);
    wire_put_u8(header, code);
    wire_put_signature(header, type);
    if (type[0] == 'g') {
        wire_put_signature(header, value);
    } else {
        wire_put_string(header, value);
    }
}

int wire_build_call(WireBuffer *message, uint32_t serial, const char *destination, const char *path,
                    const char *interface, const char *member, const char *signature, const WireBuffer *body) {
    size_t body_length = body != NULL ? body->length : 0;
    wire_put_u8(message, 'l');
    wire_put_u8(message, WIRE_METHOD_CALL);
    wire_put_u8(message, 0);
    wire_put_u8(message, 1);
    wire_put_u32(message, (uint32_t)body_length);
    wire_put_u32(message, serial);
    size_t fields = wire_begin_array(message, 8);
    put_field(message, FIELD_PATH, "o", path);
    put_field(message, FIELD_INTERFACE, "s", interface);
    put_field(message, FIELD_MEMBER, "s", member);
    put_field(message, FIELD_DESTINATION, "s", destination);
    if (signature != NULL && signature[0] != '\0') {
        put_field(message, FIELD_SIGNATURE, "g", signature);
    }
    wire_end_array(message, fields, 8);
    wire_pad(message, 8);
    if (body_length > 0) {
        put(message, body->data, body_length);
    }
    return message->failed || (body != NULL && body->failed) ? -1 : 0;
}

// ---------------------------------------------------------------------------------------
// Reading

static void skip_to(WireCursor *cursor, size_t alignment) {
    size_t aligned = cursor->offset + (alignment - cursor->offset % alignment) % alignment;
    if (cursor->failed || aligned > cursor->length) {
        cursor->failed = 1;
        return;
    }
    cursor->offset = aligned;
}

static void skip_bytes(WireCursor *cursor, size_t count) {
    if (cursor->failed || count > cursor->length - cursor->offset) {
        cursor->failed = 1;
        return;
    }
    cursor->offset += count;
}

uint8_t wire_get_u8(WireCursor *cursor) {
    if (cursor->failed || cursor->offset >= cursor->length) {
        cursor->failed = 1;
        return 0;
    }
    return cursor->data[cursor->offset++];
}

uint32_t wire_get_u32(WireCursor *cursor) {
    skip_to(cursor, 4);
    if (cursor->failed || cursor->length - cursor->offset < 4) {
        cursor->failed = 1;
        return 0;
    }
    const uint8_t *b = cursor->data + cursor->offset;
    cursor->offset += 4;
    return cursor->little ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
                          : (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
}

// `length` bytes followed by a NUL, with no NUL inside; returns them in place or NULL.
static const char *get_text(WireCursor *cursor, size_t length) {
    if (cursor->failed || length >= cursor->length - cursor->offset) {
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

const char *wire_get_string(WireCursor *cursor) {
    uint32_t length = wire_get_u32(cursor);
    return cursor->failed ? NULL : get_text(cursor, length);
}

const char *wire_get_signature(WireCursor *cursor) {
    uint8_t length = wire_get_u8(cursor);
    return cursor->failed ? NULL : get_text(cursor, length);
}

size_t wire_get_array_end(WireCursor *cursor, size_t alignment) {
    uint32_t length = wire_get_u32(cursor);
    skip_to(cursor, alignment);
    if (cursor->failed || length > WIRE_MAX_MESSAGE || length > cursor->length - cursor->offset) {
        cursor->failed = 1;
        return cursor->offset;
    }
    return cursor->offset + length;
}

static int is_basic(char code) { return code != '\0' && strchr("ybnqiuxtdhsog", code) != NULL; }

static size_t alignment_of(char code) {
    switch (code) {
    case 'y': case 'g': case 'v': return 1;
    case 'n': case 'q': return 2;
    case 'x': case 't': case 'd': case '(': case '{': return 8;
    default: return 4;
    }
}

// The size of a fixed-size basic type, or 0.
static size_t fixed_size(char code) {
    switch (code) {
    case 'y': return 1;
    case 'n': case 'q': return 2;
    case 'b': case 'i': case 'u': case 'h': return 4;
    case 'x': case 't': case 'd': return 8;
    default: return 0;
    }
}

// The end of the single complete type at the start of `signature`, or NULL when there is
// none there (this is where a signature is validated).
static const char *type_end(const char *signature, int arrays, int structs) {
    char code = signature[0];
    if (is_basic(code) || code == 'v') {
        return signature + 1;
    }
    if (code == 'a') {
        if (arrays >= MAX_ARRAY_DEPTH) {
            return NULL;
        }
        if (signature[1] == '{') {
            if (structs >= MAX_STRUCT_DEPTH || !is_basic(signature[2])) {
                return NULL;
            }
            const char *value = type_end(signature + 3, arrays + 1, structs + 1);
            return value != NULL && *value == '}' ? value + 1 : NULL;
        }
        return type_end(signature + 1, arrays + 1, structs);
    }
    if (code == '(') {
        if (structs >= MAX_STRUCT_DEPTH || signature[1] == ')') {
            return NULL;
        }
        const char *field = signature + 1;
        while (field != NULL && *field != ')') {
            field = type_end(field, arrays, structs + 1);
        }
        return field != NULL ? field + 1 : NULL;
    }
    return NULL;
}

// Whether `signature` is exactly one complete type.
static int single_type(const char *signature) {
    const char *end = signature != NULL ? type_end(signature, 0, 0) : NULL;
    return end != NULL && *end == '\0';
}

// Whether `signature` is a valid signature: any number of complete types.
static int valid_signature(const char *signature) {
    while (signature != NULL && *signature != '\0') {
        signature = type_end(signature, 0, 0);
    }
    return signature != NULL;
}

static int skip_value(WireCursor *cursor, const char **signature, int depth);

// A structure's or a dictionary entry's fields, from `field` up to `close`.
static void skip_fields(WireCursor *cursor, const char *field, char close, int depth) {
    skip_to(cursor, 8);
    while (!cursor->failed && *field != close) {
        skip_value(cursor, &field, depth);
    }
}

// Skips one value of the single complete type at `*signature` (validated by type_end first;
// a dictionary entry's signature is only valid inside its array, which skips it itself).
static int skip_value(WireCursor *cursor, const char **signature, int depth) {
    const char *type = *signature;
    const char *end = type_end(type, 0, 0);
    if (end == NULL || depth > MAX_DEPTH) {
        cursor->failed = 1;
        return -1;
    }
    size_t size = fixed_size(type[0]);
    if (size > 0) {
        skip_to(cursor, size);
        skip_bytes(cursor, size);
    } else if (type[0] == 's' || type[0] == 'o') {
        wire_get_string(cursor);
    } else if (type[0] == 'g') {
        if (!valid_signature(wire_get_signature(cursor))) {
            cursor->failed = 1;
        }
    } else if (type[0] == 'v') {
        const char *inner = wire_get_signature(cursor);
        if (!single_type(inner)) {
            cursor->failed = 1;
            return -1;
        }
        skip_value(cursor, &inner, depth + 1);
    } else if (type[0] == 'a') {
        const char *element = type + 1;
        size_t array_end = wire_get_array_end(cursor, alignment_of(element[0]));
        if (fixed_size(element[0]) > 0) {
            skip_bytes(cursor, array_end - cursor->offset);
        }
        while (!cursor->failed && cursor->offset < array_end) {
            if (element[0] == '{') {
                skip_fields(cursor, element + 1, '}', depth + 1);
            } else {
                const char *next = element;
                skip_value(cursor, &next, depth + 1);
            }
        }
        if (cursor->offset != array_end) {
            cursor->failed = 1;
        }
    } else {  // '('
        skip_fields(cursor, type + 1, ')', depth + 1);
    }
    *signature = end;
    return cursor->failed ? -1 : 0;
}

int wire_skip_value(WireCursor *cursor, const char **signature) { return skip_value(cursor, signature, 0); }

size_t wire_message_length(const uint8_t *bytes, size_t available) {
    if (available < 16) {
        return 0;
    }
    if ((bytes[0] != 'l' && bytes[0] != 'B') || bytes[3] != 1) {
        return SIZE_MAX;
    }
    WireCursor cursor = {bytes, 16, 4, bytes[0] == 'l', 0};
    uint32_t body = wire_get_u32(&cursor);
    wire_get_u32(&cursor);
    uint32_t fields = wire_get_u32(&cursor);
    if (body > WIRE_MAX_MESSAGE || fields > WIRE_MAX_MESSAGE) {
        return SIZE_MAX;
    }
    size_t header = 16 + (size_t)fields;
    header += (8 - header % 8) % 8;
    return header + body > WIRE_MAX_MESSAGE ? SIZE_MAX : header + body;
}

int wire_parse_message(const uint8_t *bytes, size_t length, WireMessage *message) {
    memset(message, 0, sizeof *message);
    if (length < 16 || wire_message_length(bytes, length) != length) {
        return -1;
    }
    message->little = bytes[0] == 'l';
    message->type = bytes[1];
    message->total_length = length;
    WireCursor cursor = {bytes, length, 4, message->little, 0};
    uint32_t body_length = wire_get_u32(&cursor);
    message->serial = wire_get_u32(&cursor);
    size_t fields_end = wire_get_array_end(&cursor, 8);
    while (!cursor.failed && cursor.offset < fields_end) {
        skip_to(&cursor, 8);
        uint8_t code = wire_get_u8(&cursor);
        const char *type = wire_get_signature(&cursor);
        if (!single_type(type)) {
            return -1;
        }
        // A known field of another type than the specification's is skipped like an unknown one.
        if (strcmp(type, "u") == 0 && code == FIELD_REPLY_SERIAL) {
            message->reply_serial = wire_get_u32(&cursor);
        } else if (strcmp(type, "s") == 0 && code == FIELD_ERROR_NAME) {
            message->error_name = wire_get_string(&cursor);
        } else if (strcmp(type, "g") == 0 && code == FIELD_SIGNATURE) {
            message->signature = wire_get_signature(&cursor);
            if (!valid_signature(message->signature)) {
                return -1;
            }
        } else {
            wire_skip_value(&cursor, &type);
        }
    }
    if (cursor.failed || cursor.offset != fields_end) {
        return -1;
    }
    skip_to(&cursor, 8);
    if (cursor.failed || cursor.length - cursor.offset != body_length) {
        return -1;
    }
    message->body = bytes + cursor.offset;
    message->body_length = body_length;
    if (message->signature == NULL) {
        message->signature = "";
    }
    return 0;
}

WireCursor wire_body(const WireMessage *message) {
    return (WireCursor){message->body, message->body_length, 0, message->little, 0};
}

// ---------------------------------------------------------------------------------------
// Framing

int wire_input_reserve(WireInput *input, size_t wanted) {
    if (wanted > WIRE_MAX_MESSAGE + 4096) {
        return -1;
    }
    return grow(&input->data, input->length, &input->capacity, wanted);
}

int wire_input_next(WireInput *input, WireMessage *message, size_t *wanted) {
    size_t length = wire_message_length(input->data, input->length);
    if (length == SIZE_MAX) {
        return -1;
    }
    if (length == 0 || length > input->length) {
        *wanted = length ? length : 16;
        return 0;
    }
    return wire_parse_message(input->data, length, message) == 0 ? 1 : -1;
}

void wire_input_consume(WireInput *input, size_t length) {
    if (length > input->length) {
        length = input->length;
    }
    memmove(input->data, input->data + length, input->length - length);
    input->length -= length;
    wipe(input->data + input->length, length);
}

void wire_input_free(WireInput *input) {
    wipe(input->data, input->capacity);
    free(input->data);
    *input = (WireInput){0};
}

// ---------------------------------------------------------------------------------------
// Replies

void wire_free_paths(char **paths, size_t count) {
    for (size_t i = 0; paths != NULL && i < count; i++) {
        free(paths[i]);
    }
    free(paths);
}

// The object paths of an `ao`, strdup'd.
static WireRead get_paths(WireCursor *cursor, char ***paths, size_t *count) {
    *paths = NULL;
    *count = 0;
    size_t end = wire_get_array_end(cursor, 4);
    size_t capacity = 0;
    while (!cursor->failed && cursor->offset < end) {
        const char *path = wire_get_string(cursor);
        if (path == NULL) {
            break;
        }
        if (*count == capacity) {
            capacity = capacity ? capacity * 2 : 8;
            char **grown = realloc(*paths, capacity * sizeof **paths);
            if (grown == NULL) {
                return WIRE_READ_NO_MEMORY;
            }
            *paths = grown;
        }
        if (((*paths)[*count] = strdup(path)) == NULL) {
            return WIRE_READ_NO_MEMORY;
        }
        (*count)++;
    }
    return cursor->failed || cursor->offset != end ? WIRE_READ_UNEXPECTED : WIRE_READ_OK;
}

WireRead wire_read_search(const WireMessage *reply, char ***unlocked, size_t *unlocked_count, char ***locked,
                          size_t *locked_count) {
    *unlocked = *locked = NULL;
    *unlocked_count = *locked_count = 0;
    if (strcmp(reply->signature, "aoao") != 0) {
        return WIRE_READ_UNEXPECTED;
    }
    WireCursor cursor = wire_body(reply);
    WireRead read = get_paths(&cursor, unlocked, unlocked_count);
    if (read == WIRE_READ_OK) {
        read = get_paths(&cursor, locked, locked_count);
    }
    if (read != WIRE_READ_OK) {
        wire_free_paths(*unlocked, *unlocked_count);
        wire_free_paths(*locked, *locked_count);
        *unlocked = *locked = NULL;
        *unlocked_count = *locked_count = 0;
    }
    return read;
}

// The type inside a `v` reply (Properties.Get), with the cursor at its value; NULL when the
// reply is not one valid variant.
static const char *variant_type(const WireMessage *reply, WireCursor *cursor) {
    *cursor = wire_body(reply);
    if (strcmp(reply->signature, "v") != 0) {
        return NULL;
    }
    const char *type = wire_get_signature(cursor);
    return single_type(type) ? type : NULL;
}

WireRead wire_read_attributes(const WireMessage *reply, CAzdoSecretItem *item) {
    WireCursor cursor;
    const char *type = variant_type(reply, &cursor);
    if (type == NULL || strcmp(type, "a{ss}") != 0) {
        return WIRE_READ_UNEXPECTED;
    }
    size_t end = wire_get_array_end(&cursor, 8);
    size_t capacity = item->attribute_count;
    while (!cursor.failed && cursor.offset < end) {
        skip_to(&cursor, 8);
        const char *name = wire_get_string(&cursor);
        const char *value = wire_get_string(&cursor);
        if (name == NULL || value == NULL) {
            break;
        }
        if (item->attribute_count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            CAzdoSecretAttribute *grown = realloc(item->attributes, capacity * sizeof *grown);
            if (grown == NULL) {
                return WIRE_READ_NO_MEMORY;
            }
            item->attributes = grown;
        }
        char *name_copy = strdup(name);
        char *value_copy = strdup(value);
        if (name_copy == NULL || value_copy == NULL) {
            free(name_copy);
            free(value_copy);
            return WIRE_READ_NO_MEMORY;
        }
        item->attributes[item->attribute_count++] = (CAzdoSecretAttribute){name_copy, value_copy};
    }
    return cursor.failed || cursor.offset != end ? WIRE_READ_UNEXPECTED : WIRE_READ_OK;
}

WireRead wire_read_session(const WireMessage *reply, const char **session) {
    *session = NULL;
    WireCursor cursor = wire_body(reply);
    if (strcmp(reply->signature, "vo") != 0) {
        return WIRE_READ_UNEXPECTED;
    }
    const char *variant = "v";
    wire_skip_value(&cursor, &variant);
    const char *path = wire_get_string(&cursor);
    if (cursor.failed || cursor.offset != cursor.length) {
        return WIRE_READ_UNEXPECTED;
    }
    *session = path;
    return WIRE_READ_OK;
}

WireRead wire_read_secrets(const WireMessage *reply, CAzdoSecretItem *items, size_t count) {
    if (strcmp(reply->signature, "a{o(oayays)}") != 0) {
        return WIRE_READ_UNEXPECTED;
    }
    WireCursor cursor = wire_body(reply);
    size_t end = wire_get_array_end(&cursor, 8);
    while (!cursor.failed && cursor.offset < end) {
        skip_to(&cursor, 8);
        const char *path = wire_get_string(&cursor);
        skip_to(&cursor, 8);
        wire_get_string(&cursor);                   // the session
        uint32_t parameters = wire_get_u32(&cursor);  // empty for `plain`
        skip_bytes(&cursor, parameters);
        uint32_t length = wire_get_u32(&cursor);
        const uint8_t *value = cursor.data + cursor.offset;
        skip_bytes(&cursor, length);
        if (wire_get_string(&cursor) == NULL || path == NULL) {  // the content type
            break;
        }
        for (size_t j = 0; j < count; j++) {
            if (strcmp(items[j].path, path) == 0 && items[j].secret == NULL) {
                if ((items[j].secret = malloc(length ? length : 1)) == NULL) {
                    return WIRE_READ_NO_MEMORY;
                }
                memcpy(items[j].secret, value, length);
                items[j].secret_length = length;
            }
        }
    }
    return cursor.failed || cursor.offset != end ? WIRE_READ_UNEXPECTED : WIRE_READ_OK;
}

// A reply whose body is exactly one value of the basic type `type`.
static int single_value(const WireMessage *reply, const char *type, WireCursor *cursor) {
    *cursor = wire_body(reply);
    return strcmp(reply->signature, type) == 0;
}

WireRead wire_read_object(const WireMessage *reply, const char **path) {
    WireCursor cursor;
    *path = single_value(reply, "o", &cursor) ? wire_get_string(&cursor) : NULL;
    return *path != NULL && cursor.offset == cursor.length ? WIRE_READ_OK : WIRE_READ_UNEXPECTED;
}

WireRead wire_read_string(const WireMessage *reply, const char **text) {
    WireCursor cursor;
    *text = single_value(reply, "s", &cursor) ? wire_get_string(&cursor) : NULL;
    return *text != NULL && cursor.offset == cursor.length ? WIRE_READ_OK : WIRE_READ_UNEXPECTED;
}

WireRead wire_read_u32(const WireMessage *reply, uint32_t *value) {
    WireCursor cursor;
    if (!single_value(reply, "u", &cursor)) {
        return WIRE_READ_UNEXPECTED;
    }
    *value = wire_get_u32(&cursor);
    return cursor.failed || cursor.offset != cursor.length ? WIRE_READ_UNEXPECTED : WIRE_READ_OK;
}

WireRead wire_read_boolean(const WireMessage *reply, int *value) {
    WireCursor cursor;
    const char *type = variant_type(reply, &cursor);
    if (type == NULL || strcmp(type, "b") != 0) {
        return WIRE_READ_UNEXPECTED;
    }
    *value = wire_get_u32(&cursor) != 0;
    return cursor.failed || cursor.offset != cursor.length ? WIRE_READ_UNEXPECTED : WIRE_READ_OK;
}

const char *wire_error_text(const WireMessage *reply) {
    if (reply->signature[0] != 's') {
        return NULL;
    }
    WireCursor cursor = wire_body(reply);
    return wire_get_string(&cursor);
}

CAzdoSecretStatus wire_error_status(const char *name) {
    static const struct {
        const char *name;
        CAzdoSecretStatus status;
    } table[] = {
        {"org.freedesktop.DBus.Error.ServiceUnknown", CAZDO_SECRET_NO_SERVICE},
        {"org.freedesktop.DBus.Error.NameHasNoOwner", CAZDO_SECRET_NO_SERVICE},
        {"org.freedesktop.DBus.Error.NoReply", CAZDO_SECRET_SERVICE_STOPPED},
        {"org.freedesktop.DBus.Error.Timeout", CAZDO_SECRET_TIMEOUT},
        {"org.freedesktop.DBus.Error.TimedOut", CAZDO_SECRET_TIMEOUT},
        {"org.freedesktop.Secret.Error.IsLocked", CAZDO_SECRET_LOCKED},
        {"org.freedesktop.Secret.Error.NoSuchObject", CAZDO_SECRET_NO_SUCH_OBJECT},
        {"org.freedesktop.DBus.Error.UnknownObject", CAZDO_SECRET_NO_SUCH_OBJECT},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(name, table[i].name) == 0) {
            return table[i].status;
        }
    }
    return CAZDO_SECRET_FAILED;
}

// ---------------------------------------------------------------------------------------
// Addresses and authentication

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes the %XX escapes of an address value into `out` (of `size`, NUL-terminated);
// returns the decoded length, or -1 when it is malformed or does not fit.
static int unescape(const char *value, size_t length, char *out, size_t size) {
    size_t written = 0;
    for (size_t i = 0; i < length; i++) {
        char c = value[i];
        if (c == '%') {
            if (length - i < 3 || hex_digit(value[i + 1]) < 0 || hex_digit(value[i + 2]) < 0) {
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

int wire_unix_address(const char *list, struct sockaddr_un *address, socklen_t *length) {
    size_t entry = strcspn(list, ";");
    if (entry < 5 || strncmp(list, "unix:", 5) != 0) {
        return -1;
    }
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    const char *cursor = list + 5;
    const char *end = list + entry;
    int found = -1;
    while (cursor < end) {
        size_t pair = strcspn(cursor, ",;");
        if (pair > (size_t)(end - cursor)) {
            pair = (size_t)(end - cursor);
        }
        const char *equals = memchr(cursor, '=', pair);
        if (equals == NULL) {
            return -1;
        }
        size_t key = (size_t)(equals - cursor);
        char decoded[sizeof address->sun_path];
        int decoded_length = unescape(equals + 1, pair - key - 1, decoded, sizeof decoded - 1);
        if (key == 4 && strncmp(cursor, "path", 4) == 0 && decoded_length > 0) {
            memcpy(address->sun_path, decoded, (size_t)decoded_length + 1);
            *length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)decoded_length + 1);
            found = 0;
        } else if (key == 8 && strncmp(cursor, "abstract", 8) == 0 && decoded_length > 0) {
            memcpy(address->sun_path + 1, decoded, (size_t)decoded_length);
            *length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)decoded_length);
            found = 0;
        } else if (!(key == 4 && strncmp(cursor, "guid", 4) == 0)) {
            return -1;  // tmpdir=, dir=, runtime=: addresses a server listens on, not ours
        }
        cursor += pair + 1;
    }
    return found;
}

int wire_auth_accepted(const char *line) { return strncmp(line, "OK ", 3) == 0 && line[3] != '\0'; }
