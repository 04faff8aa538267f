#if canImport(Glibc)
import Glibc
#endif

/// Raw reads and writes on the standard file descriptors, without Foundation.
public enum StandardStreams {
    /// Reads stdin until a blank line, end of input, or `limit + 1` bytes, whichever comes
    /// first, so a parser can tell oversized input from input that fits (git's credential
    /// parser passes its own maximum).
    public static func readInput(limit: Int) -> [UInt8] {
        var input: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while input.count <= limit {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            let start = input.count
            input.append(contentsOf: buffer[0..<count])
            if endsInput(input, from: start) { break }
        }
        for index in buffer.indices { buffer[index] = 0 }
        return input
    }

    /// Writes all of `text` to `descriptor` (1 = stdout, 2 = stderr), retrying short writes.
    public static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { break }
            offset += written
        }
        for index in bytes.indices { bytes[index] = 0 }
    }

    /// Whether the bytes read so far contain the blank line that ends git's input; only
    /// the newly read part (and the byte before it) needs to be looked at.
    private static func endsInput(_ input: [UInt8], from start: Int) -> Bool {
        if input.first == 0x0A || (input.count >= 2 && input[0] == 0x0D && input[1] == 0x0A) { return true }
        var index = max(start, 1)
        while index < input.count {
            if input[index] == 0x0A {
                if input[index - 1] == 0x0A { return true }
                if input[index - 1] == 0x0D && index >= 2 && input[index - 2] == 0x0A { return true }
            }
            index += 1
        }
        return false
    }
}

/// Writes each report as one `git-credential-azdo: …` line on stderr.
public struct StandardErrorSink: DiagnosticSink {
    /// Creates the sink.
    public init() {}

    /// Writes `line` to stderr with the tool's prefix.
    public func report(_ line: String) {
        StandardStreams.write("git-credential-azdo: \(line)\n", to: 2)
    }
}
