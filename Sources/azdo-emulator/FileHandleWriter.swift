#if canImport(Glibc)
import Glibc
#endif

/// Small file and stderr writes for the emulator's start-up.
enum FileHandleWriter {
    /// Writes `text` to stderr.
    static func standardError(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(2, $0.baseAddress, $0.count - 1) }
    }

    /// Writes `text` to `path` through a temporary file and a rename, so readers never see half of it.
    static func write(_ text: String, toFileAtomically path: String) {
        let temporary = path + ".tmp"
        guard let file = fopen(temporary, "w") else { return }
        fputs(text, file)
        fclose(file)
        rename(temporary, path)
    }
}

/// The test suite's list of secrets the emulators issued (see main.swift).
enum IssuedLog {
    /// Appends each secret as a line to the file at `path` (a C string from `getenv`), or
    /// does nothing when there is none. O_APPEND keeps lines whole when emulators share the file.
    static func appender(path: UnsafeMutablePointer<CChar>?) -> @Sendable (String) -> Void {
        guard let path else { return { _ in } }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            FileHandleWriter.standardError("azdo-emulator: cannot open \(String(cString: path)) for the issued-secrets log\n")
            exit(1)
        }
        return { secret in
            _ = (secret + "\n").utf8CString.withUnsafeBufferPointer { Glibc.write(descriptor, $0.baseAddress, $0.count - 1) }
        }
    }
}
