// The D-Bus wire format for the shim's own client (wire.h): building method calls, framing
// and parsing the messages that arrive, reading the replies a lookup needs, and reading a
// bus address. Nothing here does I/O, so the fuzzer reaches every parser through
// `CAzdoSecret_fuzz_wire_*` (see include/CAzdoSecret.h).
//
// Every read is bounds checked, every allocation is checked, and any value the
// specification allows is accepted where a reply is read: both byte orders, header fields
// of any code and type, and variants of any type (a variant of a type a reader does not
// use is reported as unexpected, so the caller can fall back to libsecret).
#ifndef CAZDOSECRET_WIRE_CODEC_H
#define CAZDOSECRET_WIRE_CODEC_H

#include "CAzdoSecret.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

/// What a reader of a reply found.
typedef enum {
    WIRE_READ_OK = 0,
    /// The reply is valid D-Bus but not the shape this reader uses.
    WIRE_READ_UNEXPECTED = 1,
    /// An allocation failed.
    WIRE_READ_NO_MEMORY = 2,
} WireRead;

enum { WIRE_METHOD_CALL = 1, WIRE_METHOD_RETURN = 2, WIRE_ERROR = 3, WIRE_SIGNAL = 4 };

/// The specification's largest message: 128 MiB.
#define WIRE_MAX_MESSAGE (128u << 20)

// ---------------------------------------------------------------------------------------
// Writing

/// A growing byte buffer; `failed` is set once an allocation failed, and later writes do
/// nothing. Its bytes are wiped when freed (a body may hold a secret).
typedef struct {
    uint8_t *data;
    size_t length;
    size_t capacity;
    int failed;
} WireBuffer;

void wire_buffer_free(WireBuffer *buffer);
void wire_put_u8(WireBuffer *buffer, uint8_t value);
void wire_put_u32(WireBuffer *buffer, uint32_t value);
/// A string or object path: its length, its bytes and a NUL.
void wire_put_string(WireBuffer *buffer, const char *text);
void wire_put_signature(WireBuffer *buffer, const char *signature);
/// Pads with zeros to a multiple of `alignment`.
void wire_pad(WireBuffer *buffer, size_t alignment);
/// Starts an array of elements aligned to `alignment`; returns where its length goes.
size_t wire_begin_array(WireBuffer *buffer, size_t alignment);
/// Writes the length of the array begun at `length_at`.
void wire_end_array(WireBuffer *buffer, size_t length_at, size_t alignment);

/// A whole method call (little-endian) with `body` (may be NULL) of `signature` into
/// `message`. Returns 0, or -1 when an allocation failed.
int wire_build_call(WireBuffer *message, uint32_t serial, const char *destination, const char *path,
                    const char *interface, const char *member, const char *signature, const WireBuffer *body);

// ---------------------------------------------------------------------------------------
// Reading

/// A bounds-checked reader over bytes; any overrun sets `failed`, and later reads return
/// zero or NULL.
typedef struct {
    const uint8_t *data;
    size_t length;
    size_t offset;
    int little;
    int failed;
} WireCursor;

uint8_t wire_get_u8(WireCursor *cursor);
uint32_t wire_get_u32(WireCursor *cursor);
/// A string or object path in place (NUL-terminated, no NUL inside), or NULL.
const char *wire_get_string(WireCursor *cursor);
const char *wire_get_signature(WireCursor *cursor);
/// Reads an array's length and the padding before its first element; returns its end.
size_t wire_get_array_end(WireCursor *cursor, size_t alignment);
/// Skips one value of the single complete type at the start of `*signature`, advancing
/// both; returns 0, or -1 when the signature or the value is invalid.
int wire_skip_value(WireCursor *cursor, const char **signature);

/// One message, pointing into the bytes it was parsed from.
typedef struct {
    uint8_t type;
    int little;
    uint32_t serial;
    uint32_t reply_serial;
    const char *error_name;
    const char *signature;
    const uint8_t *body;
    size_t body_length;
    size_t total_length;
} WireMessage;

/// The total length of the message at the start of `bytes` once its fixed header is
/// there: 0 while more bytes are needed, SIZE_MAX when the header is invalid.
size_t wire_message_length(const uint8_t *bytes, size_t available);
/// Parses one complete message of exactly `length` bytes. Returns 0, or -1 if invalid.
int wire_parse_message(const uint8_t *bytes, size_t length, WireMessage *message);
/// A cursor over the message's body.
WireCursor wire_body(const WireMessage *message);

// ---------------------------------------------------------------------------------------
// Framing a byte stream into messages

/// Bytes received and not yet consumed. Consumed bytes are wiped: they may hold secrets.
typedef struct {
    uint8_t *data;
    size_t length;
    size_t capacity;
} WireInput;

/// Room for at least `wanted` bytes in all; 0, or -1 when the allocation failed.
int wire_input_reserve(WireInput *input, size_t wanted);
/// The first buffered message: 1 when `message` is filled (valid until the next consume
/// or reserve), 0 when more bytes are needed (`*wanted` then says how many in all), -1
/// when the stream is not D-Bus.
int wire_input_next(WireInput *input, WireMessage *message, size_t *wanted);
/// Drops the first `length` bytes.
void wire_input_consume(WireInput *input, size_t length);
void wire_input_free(WireInput *input);

// ---------------------------------------------------------------------------------------
// The replies the client reads

/// SearchItems `(aoao)`: the unlocked and the locked item paths, each strdup'd.
WireRead wire_read_search(const WireMessage *reply, char ***unlocked, size_t *unlocked_count, char ***locked,
                          size_t *locked_count);
void wire_free_paths(char **paths, size_t count);
/// Properties.Get of an item's `Attributes` (`v` holding `a{ss}`), copied into `item`.
WireRead wire_read_attributes(const WireMessage *reply, CAzdoSecretItem *item);
/// OpenSession `(vo)`: the session's path, in place. The output variant may be of any type
/// (kwalletd5 answers an empty `ay` for `plain`).
WireRead wire_read_session(const WireMessage *reply, const char **session);
/// GetSecrets `(a{o(oayays)})`: each secret copied to the item with its path.
WireRead wire_read_secrets(const WireMessage *reply, CAzdoSecretItem *items, size_t count);
/// A reply of one object path `(o)` (ReadAlias), in place.
WireRead wire_read_object(const WireMessage *reply, const char **path);
/// A reply of one string `(s)` (GetNameOwner), in place.
WireRead wire_read_string(const WireMessage *reply, const char **text);
/// A reply of one `u` (GetConnectionUnixProcessID).
WireRead wire_read_u32(const WireMessage *reply, uint32_t *value);
/// Properties.Get of a boolean property (`v` holding `b`).
WireRead wire_read_boolean(const WireMessage *reply, int *value);
/// An error reply's message (its first argument when that is a string), or NULL.
const char *wire_error_text(const WireMessage *reply);

/// The status an error reply named `name` (a D-Bus error name) means, for this client and
/// for the libsecret path alike.
CAzdoSecretStatus wire_error_status(const char *name);

// ---------------------------------------------------------------------------------------
// Connecting

/// Fills `address` from the first entry of a D-Bus address list when it is unix:path= or
/// unix:abstract=; returns 0, or -1 when the entry is of another kind or malformed (GDBus
/// then connects instead).
int wire_unix_address(const char *list, struct sockaddr_un *address, socklen_t *length);
/// Whether an authentication answer line (without its CRLF) accepts us ("OK <guid>").
int wire_auth_accepted(const char *line);

#endif
