#!/usr/bin/env python3
"""Capture real D-Bus messages from a Secret Service, byte for byte, as fuzzing seeds.

Usage: capture-dbus-corpus.py [--all] [--big-endian] OUTDIR PREFIX
       capture-dbus-corpus.py --check FILE...

Runs inside a session whose DBUS_SESSION_BUS_ADDRESS is a private bus with one Secret
Service on it (Tests/Fuzz/corpus/dbus/README has the commands, one per implementation).
It connects with a raw unix socket (SASL EXTERNAL done here) and makes the calls a
Secret Service client makes: Hello, AddMatch (the service's signals), ListNames,
GetNameOwner, GetConnectionUnixProcessID, OpenSession "plain" and one with an unknown
algorithm, ReadAlias "default", CreateItem with the dummy secret "seed-secret-not-real"
(and its prompt), SearchItems found and none, the item's Attributes and GetAll,
GetSecrets with the session and with one that does not exist, the collection's Locked,
Unlock (and its prompt), GetSecrets and Attributes of an item that does not exist, an
unknown method, Item.Delete (and its prompt), Session.Close. Before the delete a second
connection searches, reads and unlocks the item, as a later git-credential-azdo process
would; its replies are written (as PREFIX-<serial>-other-<what>) only where they differ
from the first connection's, as with KeePassXC's ConfirmAccessItem.

Every message received is written exactly as it came off the socket (byte-order flag,
header fields including the bus-added SENDER, padding, body) to
OUTDIR/PREFIX-<serial>-<what>: <serial> is the received message's own serial, <what> the
call it answers (error-<name>-<call> for an error) or the signal (prompt-completed-<call>
for a prompt this connection ran, prompt-completed-notours for another one). Files of an
earlier capture with the same PREFIX (PREFIX-<digits>-*) are removed first. A message
equal to one already written but for its serial (KeePassXC sends ItemChanged a dozen
times for one item) is listed but not written, unless --all is given.

--big-endian: none of the three implementations answers in big-endian ('B'), but the bus
relays a message in the byte order it was sent in, adding SENDER in that order. So at the
end, a few of the replies just received (OpenSession, SearchItems, Attributes, GetSecrets,
an error) are sent again, their bodies marshalled big-endian, as the reply to a call this
connection makes to itself; what comes back from the bus is written as
PREFIX-<serial>-bigendian-<what> (SENDER is then this connection's own unique name).

Every wait is bounded (5 s per reply or prompt signal); a timeout or a skipped step goes
into the summary at the end, never a hang. A prompt whose Completed does not come within
5 s is dismissed (expected: KeePassXC's invisible dialogs); a method call with no reply
within 5 s makes the exit status 3. A line per received message goes to stderr: file
name, message type, signature, length, byte order, header fields, body.

Only the dummy secret may be in a written file: every byte array (ay) of every message is
checked, and a message holding any other non-empty one is not written (exit status 1).
--check runs the same check (and a full parse) on files already written.

Standard library only (no jeepney: the marshalling here is small and handles both byte
orders), so any python3 runs it.
"""
import os
import re
import socket
import struct
import sys
import time

DUMMY = b"seed-secret-not-real"
TIMEOUT = 5.0  # seconds, for every reply and every prompt's Completed signal

BUS = "org.freedesktop.DBus"
BUS_PATH = "/org/freedesktop/DBus"
PROPS = "org.freedesktop.DBus.Properties"
SECRETS = "org.freedesktop.secrets"
SERVICE_PATH = "/org/freedesktop/secrets"
SERVICE = "org.freedesktop.Secret.Service"
COLLECTION = "org.freedesktop.Secret.Collection"
ITEM = "org.freedesktop.Secret.Item"
SESSION = "org.freedesktop.Secret.Session"
PROMPT = "org.freedesktop.Secret.Prompt"
ATTRIBUTES = {
    "xdg:schema": "git-credential-azdo.Credential",
    "kind": "pat",
    "server": "https://dev.azure.com",
    "org": "seedorg",
    "user": "seeduser",
    "stored_at": "1700000000",
}

METHOD_CALL, METHOD_RETURN, ERROR, SIGNAL = 1, 2, 3, 4
TYPE_NAMES = {METHOD_CALL: "method_call", METHOD_RETURN: "method_return", ERROR: "error", SIGNAL: "signal"}
FIELD_NAMES = {1: "PATH", 2: "INTERFACE", 3: "MEMBER", 4: "ERROR_NAME", 5: "REPLY_SERIAL",
               6: "DESTINATION", 7: "SENDER", 8: "SIGNATURE", 9: "UNIX_FDS"}

# --- marshalling (the D-Bus wire format, either byte order) -----------------------------------
ALIGN = {"y": 1, "b": 4, "n": 2, "q": 2, "i": 4, "u": 4, "x": 8, "t": 8, "d": 8, "h": 4,
         "s": 4, "o": 4, "g": 1, "a": 4, "(": 8, "{": 8, "v": 1}
FIXED = {"y": "B", "b": "I", "n": "h", "q": "H", "i": "i", "u": "I", "x": "q", "t": "Q", "d": "d", "h": "I"}


class Variant:
    def __init__(self, sig, value):
        self.sig, self.value = sig, value


class Pairs(list):
    """An a{..} as read: its (key, value) pairs in wire order (duplicates kept)."""


def complete_end(sig, i):
    """The end of the single complete type starting at sig[i]."""
    if i >= len(sig):
        raise ValueError("incomplete signature %r" % sig)
    c = sig[i]
    if c == "a":
        return complete_end(sig, i + 1)
    if c in "({":
        close = ")" if c == "(" else "}"
        j = i + 1
        while j < len(sig) and sig[j] != close:
            j = complete_end(sig, j)
        if j >= len(sig):
            raise ValueError("unclosed %r in signature %r" % (c, sig))
        return j + 1
    if c not in ALIGN:
        raise ValueError("bad type %r in signature %r" % (c, sig))
    return i + 1


def split_sig(sig):
    out, i = [], 0
    while i < len(sig):
        j = complete_end(sig, i)
        out.append(sig[i:j])
        i = j
    return out


class Writer:
    def __init__(self, order):
        self.o, self.b = order, bytearray()

    def pad(self, n):
        self.b += b"\0" * (-len(self.b) % n)

    def put(self, t, v):
        c = t[0]
        if c in FIXED:
            self.pad(ALIGN[c])
            self.b += struct.pack(self.o + FIXED[c], int(bool(v)) if c == "b" else v)
        elif c in "so":
            e = v.encode()
            self.pad(4)
            self.b += struct.pack(self.o + "I", len(e)) + e + b"\0"
        elif c == "g":
            e = v.encode()
            self.b += bytes([len(e)]) + e + b"\0"
        elif c == "v":
            self.put("g", v.sig)
            self.put(v.sig, v.value)
        elif c == "a":
            element = t[1:]
            self.pad(4)
            at = len(self.b)
            self.b += b"\0\0\0\0"
            self.pad(ALIGN[element[0]])
            start = len(self.b)
            if element[0] == "{":
                kt, vt = split_sig(element[1:-1])
                for k, x in (v.items() if isinstance(v, dict) else v):
                    self.pad(8)
                    self.put(kt, k)
                    self.put(vt, x)
            elif element == "y":
                self.b += bytes(v)
            else:
                for x in v:
                    self.put(element, x)
            struct.pack_into(self.o + "I", self.b, at, len(self.b) - start)
        elif c == "(":
            self.pad(8)
            for ft, x in zip(split_sig(t[1:-1]), v):
                self.put(ft, x)
        else:
            raise ValueError("cannot write %r" % t)


class Reader:
    def __init__(self, data, order):
        self.d, self.o, self.p = data, order, 0

    def take(self, n):
        if n < 0 or self.p + n > len(self.d):
            raise ValueError("truncated at %d (+%d of %d)" % (self.p, n, len(self.d)))
        b = self.d[self.p:self.p + n]
        self.p += n
        return b

    def align(self, n):
        pad = self.take(-self.p % n)
        if any(pad):
            raise ValueError("non-zero padding at %d" % (self.p - len(pad)))

    def get(self, t, depth=0):
        if depth > 64:
            raise ValueError("nested too deep")
        c = t[0]
        if c in FIXED:
            self.align(ALIGN[c])
            f = FIXED[c]
            v = struct.unpack(self.o + f, self.take(struct.calcsize(f)))[0]
            return bool(v) if c == "b" else v
        if c in "so":
            self.align(4)
            n = struct.unpack(self.o + "I", self.take(4))[0]
            s = self.take(n + 1)
            if s[-1] != 0:
                raise ValueError("string not NUL-terminated")
            return s[:-1].decode("utf-8", "replace")
        if c == "g":
            n = self.take(1)[0]
            s = self.take(n + 1)
            return s[:-1].decode("ascii", "replace")
        if c == "v":
            sig = self.get("g")
            if len(split_sig(sig)) != 1:
                raise ValueError("variant signature %r is not one type" % sig)
            return Variant(sig, self.get(sig, depth + 1))
        if c == "a":
            element = t[1:]
            self.align(4)
            n = struct.unpack(self.o + "I", self.take(4))[0]
            self.align(ALIGN[element[0]])
            end = self.p + n
            if end > len(self.d):
                raise ValueError("array past the end")
            if element == "y":
                return bytes(self.take(n))
            out = Pairs() if element[0] == "{" else []
            kv = split_sig(element[1:-1]) if element[0] == "{" else None
            while self.p < end:
                if kv:
                    self.align(8)
                    out.append((self.get(kv[0], depth + 1), self.get(kv[1], depth + 1)))
                else:
                    out.append(self.get(element, depth + 1))
            if self.p != end:
                raise ValueError("array overran its length")
            return out
        if c == "(":
            self.align(8)
            return tuple(self.get(ft, depth + 1) for ft in split_sig(t[1:-1]))
        raise ValueError("cannot read %r" % t)


def message_length(buf):
    """The whole length of the message at the start of buf (None until 16 bytes are there)."""
    if len(buf) < 16:
        return None
    if buf[0:1] not in (b"l", b"B"):
        raise ValueError("bad byte-order flag %r" % buf[0:1])
    order = "<" if buf[0:1] == b"l" else ">"
    body, _serial, fields = struct.unpack_from(order + "III", buf, 4)
    return 16 + fields + (-(16 + fields) % 8) + body


class Message:
    def __init__(self, raw):
        self.raw = bytes(raw)
        self.order = "<" if self.raw[0:1] == b"l" else ">"
        r = Reader(self.raw, self.order)
        _flag, self.type, self.flags, version = (r.get("y") for _ in range(4))
        if version != 1:
            raise ValueError("protocol version %d" % version)
        self.body_length = r.get("u")
        self.serial = r.get("u")
        self.field_list = [(code, v.sig, v.value) for code, v in r.get("a(yv)")]
        self.fields = {code: value for code, _sig, value in self.field_list}
        r.align(8)
        self.signature = self.fields.get(8, "")
        start = r.p
        self.body = [r.get(t) for t in split_sig(self.signature)]
        if r.p != len(self.raw) or r.p - start != self.body_length:
            raise ValueError("body is %d bytes, header says %d" % (r.p - start, self.body_length))

    path = property(lambda self: self.fields.get(1))
    interface = property(lambda self: self.fields.get(2))
    member = property(lambda self: self.fields.get(3))
    error_name = property(lambda self: self.fields.get(4))
    reply_serial = property(lambda self: self.fields.get(5))
    sender = property(lambda self: self.fields.get(7))


def build(mtype, serial, fields, sig="", args=(), order="<", flags=0):
    body = Writer(order)
    for t, a in zip(split_sig(sig), args):
        body.put(t, a)
    if sig:
        fields = fields + [(8, Variant("g", sig))]
    h = Writer(order)
    for byte in (ord("l" if order == "<" else "B"), mtype, flags, 1):
        h.put("y", byte)
    h.put("u", len(body.b))
    h.put("u", serial)
    h.put("a(yv)", fields)
    h.pad(8)
    return bytes(h.b + body.b)


def show(v):
    if isinstance(v, Variant):
        return "<%s>%s" % (v.sig, show(v.value))
    if isinstance(v, Pairs):
        return "{" + ", ".join("%s: %s" % (show(k), show(x)) for k, x in v) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(show(x) for x in v) + "]"
    if isinstance(v, tuple):
        return "(" + ", ".join(show(x) for x in v) + ")"
    return repr(v)


def foreign_secrets(v):
    """Every non-empty byte array (ay) in v other than the dummy secret."""
    if isinstance(v, bytes):
        return [v] if v and v != DUMMY else []
    if isinstance(v, Variant):
        return foreign_secrets(v.value)
    if isinstance(v, (list, tuple)):
        return [b for x in v for b in foreign_secrets(x)]
    return []


def check_file(path):
    """A problem with a written seed (None when it is one whole message with no other secret)."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        if message_length(raw) != len(raw):
            return "not exactly one message"
        m = Message(raw)
    except (ValueError, struct.error) as e:
        return "does not parse: %s" % e
    found = foreign_secrets(m.body)
    return "holds byte arrays other than the dummy secret: %r" % found if found else None


# --- the connection -----------------------------------------------------------------------------
def socket_path(address):
    for part in address.split(";"):
        kind, _, rest = part.partition(":")
        keys = dict(kv.split("=", 1) for kv in rest.split(",") if "=" in kv)
        if kind == "unix" and "path" in keys:
            return keys["path"]
        if kind == "unix" and "abstract" in keys:
            return "\0" + keys["abstract"]
    raise SystemExit("capture-dbus-corpus: no unix:path= or unix:abstract= in %r" % address)


class Corpus:
    """Where the seeds go, and what has been written (shared by both connections)."""

    def __init__(self, outdir, prefix, write_all=False):
        self.outdir, self.prefix, self.write_all = outdir, prefix, write_all
        self.written = {}      # the bytes of a written message, its serial zeroed -> file name
        self.first = {}        # what -> (type, signature, error name, body) on the first connection
        self.first_session = None
        self.notes = []        # timeouts, skipped steps, refused files
        self.bad = False
        self.reply_timeouts = 0

    def remove_stale(self):
        """Removes an earlier capture's files: PREFIX-<digits>-*, so not PREFIX-locked-*'s."""
        stale = re.compile(re.escape(self.prefix) + r"-\d+-[a-z0-9-]+$")
        for name in os.listdir(self.outdir):
            if stale.match(name):
                os.unlink(os.path.join(self.outdir, name))


class Connection:
    """One connection to the bus: every message it receives is recorded in the corpus.

    label "" is the first connection, which drives the whole sequence; "other" is a second
    one that reads the item the first one created, as a later git-credential-azdo process
    does. Its replies are written only where they differ from the first connection's
    (KeePassXC with ConfirmAccessItem shows another connection's items as locked)."""

    def __init__(self, corpus, label=""):
        self.corpus, self.label = corpus, label
        self.serial = 0
        self.buf = b""
        self.received = []         # every Message, in arrival order
        self.names = {}            # id(Message) -> file name
        self.whats = {}            # id(Message) -> what it is (the name without PREFIX-<serial>-)
        self.pending = {}          # serial of a call we sent -> what
        self.answered = set()
        self.prompts = {}          # prompt path -> what it was for
        self.unique_name = None
        self.session = None
        address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if not address:
            raise SystemExit("capture-dbus-corpus: DBUS_SESSION_BUS_ADDRESS is not set")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(TIMEOUT)
        self.sock.connect(socket_path(address))
        uid = str(os.getuid()).encode().hex().encode()
        self.sock.sendall(b"\0AUTH EXTERNAL " + uid + b"\r\n")
        line = b""
        while b"\r\n" not in line:
            try:
                chunk = self.sock.recv(512)
            except socket.timeout:
                raise SystemExit("capture-dbus-corpus: no answer to AUTH within %g s" % TIMEOUT)
            if not chunk:
                raise SystemExit("capture-dbus-corpus: the bus closed the connection during auth")
            line += chunk
        line, _, self.buf = line.partition(b"\r\n")
        if not line.startswith(b"OK "):
            raise SystemExit("capture-dbus-corpus: auth refused: %r" % line)
        self.sock.sendall(b"BEGIN\r\n")

    def note(self, text):
        self.corpus.notes.append(("%s connection: " % self.label if self.label else "") + text)

    # receiving
    def receive(self, deadline):
        """The next message, or None at the deadline (or when the bus hung up)."""
        while True:
            n = message_length(self.buf)
            if n is not None and len(self.buf) >= n:
                raw, self.buf = self.buf[:n], self.buf[n:]
                try:
                    m = Message(raw)
                except (ValueError, struct.error) as e:
                    self.note("a message of %d bytes does not parse (%s): not written" % (len(raw), e))
                    continue
                self.received.append(m)
                self.record(m)
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                self.note("the bus closed the connection")
                return None
            self.buf += chunk

    def wait(self, predicate, start, timeout=TIMEOUT):
        """The first message from index start on that predicate accepts, waiting up to timeout."""
        deadline = time.monotonic() + timeout
        i = start
        while True:
            while i < len(self.received):
                if predicate(self.received[i]):
                    return self.received[i]
                i += 1
            if self.receive(deadline) is None:
                return None

    def name_of(self, m):
        if m.type in (METHOD_RETURN, ERROR):
            what = self.pending.get(m.reply_serial, "reply-to-%s" % m.reply_serial)
            if m.reply_serial in self.answered:
                what += "-late"
            self.answered.add(m.reply_serial)
            if m.type == ERROR and not what.startswith("bigendian-error-"):
                short = (m.error_name or "unnamed").rsplit(".", 1)[-1].lower()
                return "error-%s-%s" % (short, what)
            return what
        if m.type == SIGNAL:
            if m.interface == PROMPT and m.member == "Completed":
                what = self.prompts.get(m.path, "notours")  # a prompt this connection did not run
                dismissed = bool(m.body and m.body[0] is True)
                return "prompt-completed-%s%s" % ("dismissed-" if dismissed else "", what)
            if m.interface == BUS:
                return (m.member or "signal").lower()
            return "signal-%s" % (m.member or "unnamed").lower()
        return "incoming-call-%s" % (m.member or "unnamed").lower()

    def record(self, m):
        corpus = self.corpus
        base = re.sub(r"[^a-z0-9-]+", "-", self.name_of(m).lower()).strip("-")
        what = "-".join(filter(None, [self.label, base]))
        name = "%s-%03d-%s" % (corpus.prefix, m.serial, what)
        while os.path.exists(os.path.join(corpus.outdir, name)):
            name += "-again"
        self.names[id(m)] = name
        self.whats[id(m)] = base
        found = foreign_secrets(m.body)
        fields = ",".join("%s:%s" % (FIELD_NAMES.get(code, code), sig) for code, sig, _v in m.field_list)
        print("%s\t%s\tsig=%r\tlen=%d\tbyteorder=%s\tfields=%s\tbody=%s"
              % (name, TYPE_NAMES.get(m.type, m.type), m.signature, len(m.raw), m.raw[0:1].decode(),
                 fields, show(m.body)[:400]), file=sys.stderr)
        if found:
            corpus.bad = True
            self.note("NOT WRITTEN: %s holds a byte array other than the dummy secret" % name)
            return
        if m.type == METHOD_CALL and m.sender == self.unique_name:
            print("  (not written: our own call to ourselves)", file=sys.stderr)
            return
        body = m.raw[len(m.raw) - m.body_length:]
        shape = (m.type, m.signature, m.error_name)
        if not self.label:
            corpus.first.setdefault(base, shape + (body,))
        else:
            if m.sender == BUS:
                print("  (not written: the bus on the second connection)", file=sys.stderr)
                return
            if base == "opensession-plain" and m.signature == "vo":
                self.session = m.body[1]
            if self.session and corpus.first_session:
                body = body.replace(self.session.encode(), corpus.first_session.encode())
            if corpus.first.get(base) == shape + (body,):
                print("  (not written: the same as on the first connection)", file=sys.stderr)
                return
        key = m.raw[:8] + b"\0\0\0\0" + m.raw[12:]
        if key in corpus.written and not corpus.write_all:
            print("  (not written: the same as %s but for the serial)" % corpus.written[key], file=sys.stderr)
            return
        corpus.written[key] = name
        with open(os.path.join(corpus.outdir, name), "wb") as f:
            f.write(m.raw)

    # sending
    def call(self, what, dest, path, interface, member, sig="", args=()):
        """Sends a method call and waits up to TIMEOUT for its reply (None on a timeout)."""
        self.serial += 1
        serial = self.serial
        self.pending[serial] = what
        fields = [(1, Variant("o", path)), (2, Variant("s", interface)), (3, Variant("s", member)),
                  (6, Variant("s", dest))]
        start = len(self.received)
        self.sock.sendall(build(METHOD_CALL, serial, fields, sig, args))
        reply = self.wait(lambda m: m.type in (METHOD_RETURN, ERROR) and m.reply_serial == serial, start)
        if reply is None:
            self.corpus.reply_timeouts += 1
            self.note("timeout: no reply to %s (%s.%s) within %g s" % (what, interface, member, TIMEOUT))
        return reply

    def bus(self, what, member, sig="", args=()):
        return self.call(what, BUS, BUS_PATH, BUS, member, sig, args)

    def secrets(self, what, path, interface, member, sig="", args=()):
        return self.call(what, SECRETS, path, interface, member, sig, args)

    def skip(self, what, why):
        self.note("skipped %s: %s" % (what, why))

    def hello(self):
        reply = self.bus("hello", "Hello")
        if not ok(reply, "s"):
            raise SystemExit("capture-dbus-corpus: no answer to Hello")
        self.unique_name = reply.body[0]
        # the prompts' Completed and the collections' Item*/CollectionChanged signals
        self.bus("addmatch", "AddMatch", "s", ["type='signal',sender='%s'" % SECRETS])

    def open_session(self):
        reply = self.secrets("opensession-plain", SERVICE_PATH, SERVICE, "OpenSession", "sv",
                             ["plain", Variant("s", "")])
        self.session = reply.body[1] if ok(reply, "vo") else None
        return self.session

    def run_prompt(self, what, path):
        """Prompt("") on a prompt object, then its Completed signal (Dismiss when none comes)."""
        self.prompts[path] = what
        start = len(self.received)

        def completed(m):
            return m.type == SIGNAL and m.interface == PROMPT and m.member == "Completed" and m.path == path

        self.secrets("prompt-" + what, path, PROMPT, "Prompt", "s", [""])
        done = self.wait(completed, start)
        if done is None:
            self.note("no Completed for the %s prompt %s within %g s: Dismiss" % (what, path, TIMEOUT))
            self.secrets("dismiss-" + what, path, PROMPT, "Dismiss")
            done = self.wait(completed, start)
            if done is None:
                self.note("no Completed for the %s prompt %s within %g s of Dismiss" % (what, path, TIMEOUT))
        return done

    def echo_big_endian(self, original):
        """original's body, marshalled big-endian, as the reply to a call we make to ourselves."""
        what = self.whats[id(original)]
        self.serial += 1
        serial = self.serial
        self.pending[serial] = "bigendian-" + what
        call = [(1, Variant("o", "/seed/echo")), (2, Variant("s", "org.example.SeedEcho")),
                (3, Variant("s", "Echo")), (6, Variant("s", self.unique_name))]
        start = len(self.received)
        self.sock.sendall(build(METHOD_CALL, serial, call))
        incoming = self.wait(lambda m: m.type == METHOD_CALL and m.serial == serial and m.sender == self.unique_name,
                             start)
        if incoming is None:
            self.note("timeout: our own echo call %s did not come back within %g s" % (what, TIMEOUT))
            return
        fields = [(6, Variant("s", self.unique_name)), (5, Variant("u", serial))]
        if original.type == ERROR:
            fields.insert(0, (4, Variant("s", original.error_name)))
        self.serial += 1
        self.sock.sendall(build(original.type, self.serial, fields, original.signature, original.body, order=">",
                                flags=original.flags))
        if self.wait(lambda m: m.type in (METHOD_RETURN, ERROR) and m.reply_serial == serial, start) is None:
            self.note("timeout: the big-endian echo of %s did not come back within %g s" % (what, TIMEOUT))

    def drain(self, seconds):
        deadline = time.monotonic() + seconds
        while self.receive(deadline) is not None:
            pass


def ok(reply, sig):
    return reply is not None and reply.type == METHOD_RETURN and reply.signature == sig


def read_item(c, item):
    """What a lookup reads of an item: its attributes, all its properties, its secret."""
    c.secrets("get-attributes", item, PROPS, "Get", "ss", [ITEM, "Attributes"])
    c.secrets("getall-item", item, PROPS, "GetAll", "s", [ITEM])
    if c.session is None:
        c.skip("getsecrets", "no plain session")
    else:
        c.secrets("getsecrets", SERVICE_PATH, SERVICE, "GetSecrets", "aoo", [[item], c.session])


def unlock_items(c, locked_items):
    if locked_items:
        reply = c.secrets("unlock-items", SERVICE_PATH, SERVICE, "Unlock", "ao", [locked_items])
        if ok(reply, "aoo") and reply.body[1] != "/":
            c.run_prompt("unlock-items", reply.body[1])


def search(c):
    """SearchItems for the seed's attributes: (unlocked, locked) item paths."""
    found = c.secrets("searchitems-found", SERVICE_PATH, SERVICE, "SearchItems", "a{ss}", [ATTRIBUTES])
    return found.body if ok(found, "aoao") else ([], [])


def drive(corpus, big_endian=False):
    c = Connection(corpus)
    corpus.remove_stale()  # only once the bus has let us in
    try:
        drive_first(c, corpus, big_endian)
    finally:
        c.sock.close()


def drive_first(c, corpus, big_endian):
    c.hello()
    c.bus("listnames", "ListNames")
    owner = c.bus("getnameowner", "GetNameOwner", "s", [SECRETS])
    if ok(owner, "s"):
        c.bus("getconnectionunixprocessid", "GetConnectionUnixProcessID", "s", [owner.body[0]])
    else:
        c.skip("getconnectionunixprocessid", "no owner of %s" % SECRETS)

    session = corpus.first_session = c.open_session()
    c.secrets("opensession-unsupported", SERVICE_PATH, SERVICE, "OpenSession", "sv",
              ["no-such-algorithm", Variant("s", "")])
    reply = c.secrets("readalias-default", SERVICE_PATH, SERVICE, "ReadAlias", "s", ["default"])
    collection = reply.body[0] if ok(reply, "o") and reply.body[0] != "/" else None
    if collection is None:
        c.note("no default collection from ReadAlias: using %s/aliases/default" % SERVICE_PATH)
        collection = SERVICE_PATH + "/aliases/default"

    item = None
    if session is None:
        c.skip("createitem", "no plain session")
    else:
        properties = {"org.freedesktop.Secret.Item.Label": Variant("s", "Azure DevOps PAT seeduser@seedorg (seed)"),
                      "org.freedesktop.Secret.Item.Attributes": Variant("a{ss}", ATTRIBUTES)}
        reply = c.secrets("createitem", collection, COLLECTION, "CreateItem", "a{sv}(oayays)b",
                          [properties, (session, b"", DUMMY, "text/plain"), False])
        if ok(reply, "oo"):
            item, prompt = reply.body
            item = None if item == "/" else item
            if prompt != "/":
                done = c.run_prompt("createitem", prompt)
                if done is not None and done.signature == "bv" and not done.body[0]:
                    result = done.body[1]
                    if result.sig == "o" and result.value != "/":
                        item = result.value
                    elif result.sig == "ao" and result.value:
                        item = result.value[0]

    unlocked, locked_items = search(c)
    c.secrets("searchitems-none", SERVICE_PATH, SERVICE, "SearchItems", "a{ss}", [{"xdg:schema": "none.such"}])
    if item is None and (unlocked or locked_items):
        item = (unlocked or locked_items)[0]

    if item is None:
        for what in ("get-attributes", "getall-item", "getsecrets", "getsecrets-nosession", "delete"):
            c.skip(what, "no item")
    else:
        read_item(c, item)
        c.secrets("getsecrets-nosession", SERVICE_PATH, SERVICE, "GetSecrets", "aoo",
                  [[item], SERVICE_PATH + "/session/nosuchsession"])

    c.secrets("get-locked", collection, PROPS, "Get", "ss", [COLLECTION, "Locked"])
    reply = c.secrets("unlock", SERVICE_PATH, SERVICE, "Unlock", "ao", [[collection]])
    if ok(reply, "aoo") and reply.body[1] != "/":
        c.run_prompt("unlock", reply.body[1])
    c.secrets("get-locked-after-unlock", collection, PROPS, "Get", "ss", [COLLECTION, "Locked"])
    unlock_items(c, locked_items)

    # a second connection reads the item, as the next git-credential-azdo process would
    other = Connection(corpus, "other")
    try:
        other.hello()
        other.open_session()
        other_unlocked, other_locked = search(other)
        for path in (other_unlocked or other_locked)[:1]:
            read_item(other, path)
        unlock_items(other, other_locked)
    finally:
        other.sock.close()

    base = collection if "/collection/" in collection else SERVICE_PATH + "/collection/nosuchcollection"
    missing = base + "/nosuchitem0"
    c.secrets("getsecrets-nonexistent", SERVICE_PATH, SERVICE, "GetSecrets", "aoo", [[missing], session or "/"])
    c.secrets("get-attributes-nonexistent", missing, PROPS, "Get", "ss", [ITEM, "Attributes"])
    c.secrets("unknownmethod", SERVICE_PATH, SERVICE, "NoSuchMethodForSeed")

    if item is not None:
        reply = c.secrets("delete", item, ITEM, "Delete")
        if ok(reply, "o") and reply.body[0] != "/":
            c.run_prompt("delete", reply.body[0])
    if session is not None:
        c.secrets("session-close", session, SESSION, "Close")
    c.drain(0.5)  # the signals a delete sends after its reply

    if big_endian:
        c.serial = max(c.serial, 900)  # the echoes' serials are ours: set them apart
        wanted = ["opensession-plain", "searchitems-found", "get-attributes", "getsecrets", "error"]
        for m in list(c.received):
            what = c.whats.get(id(m), "")
            kind = "error" if m.type == ERROR else what
            if kind in wanted and m.sender != c.unique_name:
                wanted.remove(kind)
                c.echo_big_endian(m)


def main(argv):
    if len(argv) >= 2 and argv[1] == "--check":
        bad = 0
        for path in argv[2:]:
            problem = check_file(path)
            if problem:
                bad += 1
                print("%s: %s" % (path, problem), file=sys.stderr)
        print("checked %d files, %d with a problem" % (len(argv) - 2, bad), file=sys.stderr)
        return 1 if bad else 0
    options = [a for a in argv[1:] if a.startswith("-")]
    args = [a for a in argv[1:] if not a.startswith("-")]
    if len(args) != 2 or set(options) - {"--all", "--big-endian"}:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    outdir, prefix = args
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", prefix):
        print("capture-dbus-corpus: PREFIX must be lower-case letters, digits and '-'", file=sys.stderr)
        return 2
    os.makedirs(outdir, exist_ok=True)
    corpus = Corpus(outdir, prefix, write_all="--all" in options)
    problems = []
    try:
        drive(corpus, big_endian="--big-endian" in options)
    finally:
        written = [n for n in corpus.written.values() if os.path.exists(os.path.join(outdir, n))]
        problems = [(n, p) for n in written for p in [check_file(os.path.join(outdir, n))] if p]
        for n, p in problems:
            corpus.notes.append("CHECK FAILED: %s %s" % (n, p))
        print("summary: %s: %d messages written to %s" % (prefix, len(written), outdir), file=sys.stderr)
        for note in corpus.notes:
            print("summary: %s: %s" % (prefix, note), file=sys.stderr)
    return 1 if corpus.bad or problems else 3 if corpus.reply_timeouts else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
