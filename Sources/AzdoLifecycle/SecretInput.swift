public import AzdoCredential
import AzdoHTTP
import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// Reads a secret someone pastes or pipes in: from stdin, never from arguments (argv is
/// visible to every user of the machine through `/proc`).
public enum SecretInput {
    /// The longest line accepted; PATs are 52 or 84 characters.
    public static let limit = 4_096

    /// What was read.
    public enum Line: Sendable, Equatable {
        /// The secret.
        case secret(Secret)
        /// Nothing, or only spaces.
        case empty
        /// A first line longer than `limit` bytes.
        case tooLong
    }

    /// The first line of stdin without its line ending and surrounding spaces. On a
    /// terminal, `prompt` goes to stderr and the typed characters are not echoed.
    public static func readLine(prompt: String) -> Line {
        var saved = termios()
        let interactive = isatty(0) == 1 && tcgetattr(0, &saved) == 0
        if interactive {
            StandardStreams.write(prompt, to: 2)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &quiet)
        }
        defer {
            if interactive {
                tcsetattr(0, TCSAFLUSH, &saved)
                StandardStreams.write("\n", to: 2)
            }
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count <= limit {
            let count = read(0, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1, byte != 0x0A else { break }
            line.append(byte)
        }
        defer { for index in line.indices { line[index] = 0 } }
        guard line.count <= limit else { return .tooLong }
        let text = String(decoding: line, as: UTF8.self).trimmingWhitespace()
        return text.isEmpty ? .empty : .secret(Secret(String(text)))
    }
}
