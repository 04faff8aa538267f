import AzdoSystem

/// Why input on stdin was refused. Each case names the problem and the fix in one line.
public enum CredentialProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// More than `limit` bytes arrived before the blank line that ends the input.
    case inputTooLarge(limit: Int)
    /// Line `line` (1-based) is longer than `limit` bytes.
    case lineTooLong(line: Int, limit: Int)
    /// Line `line` contains a NUL byte.
    case nulByte(line: Int)
    /// The value of `key` on line `line` contains a carriage return.
    case carriageReturn(line: Int, key: String)
    /// Line `line` is not `key=value`.
    case missingEquals(line: Int)
    /// Line `line` is not valid UTF-8.
    case invalidUTF8(line: Int)
    /// The `url=` value on line `line` is not `scheme://host/...`, or decodes to a newline,
    /// carriage return or NUL (git refuses such URLs too).
    case invalidURL(line: Int)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        let fix = "send git's credential format: key=value lines ending with a blank line"
        switch self {
        case .inputTooLarge(let limit):
            return "input refused: more than \(limit) bytes; \(fix)"
        case .lineTooLong(let line, let limit):
            return "input refused: line \(line) is longer than \(limit) bytes; \(fix)"
        case .nulByte(let line):
            return "input refused: line \(line) contains a NUL byte; values must be text"
        case .carriageReturn(let line, let key):
            return "input refused: the value of '\(DisplayText.quoted(key))' on line \(line) contains a carriage return; remove it"
        case .missingEquals(let line):
            return "input refused: line \(line) has no '='; \(fix)"
        case .invalidUTF8(let line):
            return "input refused: line \(line) is not valid UTF-8; \(fix)"
        case .invalidURL(let line):
            return "input refused: the url on line \(line) cannot be parsed; send scheme://host/path without control characters"
        }
    }
}
