import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads the port a test server writes to its port file once it listens.
enum ServerPort {
    /// Waits up to 5 s for `file`; kills `process` and throws if no port appears.
    static func wait(for file: URL, of process: Process, name: String) throws -> Int {
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: file.path) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        guard let text = try? String(contentsOf: file, encoding: .utf8),
            let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            throw GitServerError.setup("\(name) did not report its port")
        }
        return port
    }
}
