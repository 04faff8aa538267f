#if canImport(Glibc)
import Glibc
#endif

/// Small non-secret state files, read whole and replaced atomically (written to a
/// temporary file, flushed to disk, renamed over the old one), so a crash or a full disk
/// never leaves a half-written file behind.
public enum StateFile {
    /// The file's bytes (at most 1 MiB), or nil when it cannot be read.
    public static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while bytes.count < 1 << 20 {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// Replaces `path` with `bytes` (mode 0600); nil on success, else why it failed, as
    /// `strerror` words (e.g. "No space left on device").
    public static func replace(_ path: String, with bytes: [UInt8]) -> String? {
        let temporary = path + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return lastError() }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let failure = lastError()
                close(descriptor)
                unlink(temporary)
                return failure
            }
            offset += written
        }
        if fsync(descriptor) != 0 {
            let failure = lastError()
            close(descriptor)
            unlink(temporary)
            return failure
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let failure = lastError()
            unlink(temporary)
            return failure
        }
        return nil
    }

    /// Removes `path`; nil when it is gone afterwards (also when it never existed).
    public static func remove(_ path: String) -> String? {
        unlink(path) == 0 || errno == ENOENT ? nil : lastError()
    }

    /// The names in `directory` (without `.` and `..`), or nil when it cannot be read.
    public static func names(in directory: String) -> [String]? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
