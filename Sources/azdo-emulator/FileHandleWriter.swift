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
