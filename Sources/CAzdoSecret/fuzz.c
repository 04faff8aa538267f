// CAzdoSecret_fuzz_wire: the fuzzer's way into wire-codec.c, which does no I/O.
#include "CAzdoSecret.h"

#include "wire-codec.h"

#include <stdlib.h>
#include <string.h>

// The client's readers of a reply, by name (as CAzdoSecret_wire_reads takes them).
static const char *const readers[] = {"search", "attributes", "secrets", "session", "object", "string", "u32", "boolean"};

// One reader on `message`: 1 accepted, 0 not, -1 no such reader. What it copies out is freed.
static int read_one(const char *reader, const WireMessage *message) {
    char path[] = "/org/freedesktop/secrets/collection/login/1";
    CAzdoSecretItem item = {.path = path};
    const char *text = NULL;
    uint32_t number = 0;
    int flag = 0;
    WireRead read = WIRE_READ_UNEXPECTED;
    if (strcmp(reader, "search") == 0) {
        char **unlocked = NULL, **locked = NULL;
        size_t unlocked_count = 0, locked_count = 0;
        read = wire_read_search(message, &unlocked, &unlocked_count, &locked, &locked_count);
        wire_free_paths(unlocked, unlocked_count);
        wire_free_paths(locked, locked_count);
    } else if (strcmp(reader, "attributes") == 0) {
        read = wire_read_attributes(message, &item);
    } else if (strcmp(reader, "secrets") == 0) {
        read = wire_read_secrets(message, &item, 1);
    } else if (strcmp(reader, "session") == 0) {
        read = wire_read_session(message, &text);
    } else if (strcmp(reader, "object") == 0) {
        read = wire_read_object(message, &text);
    } else if (strcmp(reader, "string") == 0) {
        read = wire_read_string(message, &text);
    } else if (strcmp(reader, "u32") == 0) {
        read = wire_read_u32(message, &number);
    } else if (strcmp(reader, "boolean") == 0) {
        read = wire_read_boolean(message, &flag);
    } else {
        return -1;
    }
    for (size_t i = 0; i < item.attribute_count; i++) {
        free((void *)item.attributes[i].name);
        free((void *)item.attributes[i].value);
    }
    free(item.attributes);
    if (item.secret != NULL) {
        explicit_bzero(item.secret, item.secret_length);
        free(item.secret);
    }
    return read == WIRE_READ_OK;
}

// Every reader of the client's replies, on one message, then its body skipped value by
// value as its own signature says; the number of reads that accepted it.
static int read_all(const WireMessage *message) {
    int parsed = 0;
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        parsed += read_one(readers[i], message);
    }
    parsed += wire_error_text(message) != NULL;
    WireCursor cursor = wire_body(message);
    const char *signature = message->signature;
    while (*signature != '\0' && wire_skip_value(&cursor, &signature) == 0) {
    }
    parsed += *signature == '\0' && cursor.offset == cursor.length;
    return parsed;
}

int CAzdoSecret_fuzz_wire(const unsigned char *bytes, size_t length) {
    int parsed = 0;
    // The bytes as a stream from the bus, arriving in pieces whose sizes the bytes choose.
    WireInput input = {0};
    size_t offset = 0;
    while (offset < length) {
        size_t piece = 1 + bytes[offset] % 61;
        piece = piece < length - offset ? piece : length - offset;
        if (wire_input_reserve(&input, input.length + piece) != 0) {
            break;
        }
        memcpy(input.data + input.length, bytes + offset, piece);
        input.length += piece;
        offset += piece;
        WireMessage message;
        size_t wanted = 0;
        int next;
        while ((next = wire_input_next(&input, &message, &wanted)) == 1) {
            parsed += read_all(&message);
            wire_input_consume(&input, message.total_length);
        }
        if (next < 0) {
            break;
        }
    }
    wire_input_free(&input);
    // The bytes as one message, whole.
    WireMessage message;
    size_t total = wire_message_length(bytes, length);
    if (total != 0 && total != SIZE_MAX && total <= length && wire_parse_message(bytes, total, &message) == 0) {
        parsed += read_all(&message);
    }
    // The bytes up to a NUL as a bus address and as an authentication answer.
    char text[512];
    size_t text_length = strnlen((const char *)bytes, length < sizeof text - 1 ? length : sizeof text - 1);
    memcpy(text, bytes, text_length);
    text[text_length] = '\0';
    struct sockaddr_un address;
    socklen_t address_length = 0;
    parsed += wire_unix_address(text, &address, &address_length) == 0;
    parsed += wire_auth_accepted(text);
    return parsed;
}

int CAzdoSecret_wire_reads(const char *reader, const unsigned char *bytes, size_t length) {
    WireMessage message;
    if (wire_message_length(bytes, length) != length || wire_parse_message(bytes, length, &message) != 0) {
        return 0;
    }
    return message.type == WIRE_METHOD_RETURN ? read_one(reader, &message) : 0;
}
