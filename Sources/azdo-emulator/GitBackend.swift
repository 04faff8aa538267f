import Foundation

/// Serves git smart HTTP for `/{org}/{project}/_git/{repo}` by running `git http-backend`
/// as a CGI program, as Azure Repos' own URLs look.
struct GitBackend: Sendable {
    /// The directory holding `{org}/{project}/_git/{repo}` bare repositories.
    let root: String

    /// The organization and whether the request pushes, for a git URL path; `nil` otherwise.
    static func route(path: String, query: String) -> (organization: String, write: Bool)? {
        let segments = path.split(separator: "/")
        guard segments.count >= 4, segments[2] == "_git" else { return nil }
        let write = path.hasSuffix("/git-receive-pack") || query.contains("service=git-receive-pack")
        return (segments[0].lowercased(), write)
    }

    /// Runs `git http-backend` for one request; returns status, headers and body.
    func run(method: String, path: String, query: String, headers: [String: String], body: Data)
        -> (status: Int, headers: [(String, String)], body: Data)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "http-backend"]
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "GIT_PROJECT_ROOT": root,
            "GIT_HTTP_EXPORT_ALL": "1", "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
            "CONTENT_TYPE": header("Content-Type", headers) ?? "", "CONTENT_LENGTH": String(body.count),
            "REMOTE_USER": "emulated-user", "REMOTE_ADDR": "127.0.0.1", "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
        ]
        if let value = header("Git-Protocol", headers) { environment["HTTP_GIT_PROTOCOL"] = value }
        if let value = header("Content-Encoding", headers) { environment["HTTP_CONTENT_ENCODING"] = value }
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (500, [], Data("git http-backend did not start\n".utf8)) }
        let writer = Thread {
            try? input.fileHandleForWriting.write(contentsOf: body)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let raw = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Self.parseCGI(raw)
    }

    private func header(_ name: String, _ headers: [String: String]) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// Splits CGI output into status, headers and body.
    static func parseCGI(_ raw: Data) -> (status: Int, headers: [(String, String)], body: Data) {
        let bytes = [UInt8](raw)
        var split = bytes.count
        var bodyStart = bytes.count
        for index in 0..<bytes.count {
            if bytes[index...].starts(with: [13, 10, 13, 10]) { split = index; bodyStart = index + 4; break }
            if bytes[index...].starts(with: [10, 10]) { split = index; bodyStart = index + 2; break }
        }
        var status = 200
        var headers: [(String, String)] = []
        for line in String(decoding: bytes[..<split], as: UTF8.self).split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon]), value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name.lowercased() == "status" {
                status = Int(value.prefix { $0.isNumber }) ?? 200
            } else if name.lowercased() != "content-length" {
                headers.append((name, value))
            }
        }
        return (status, headers, Data(bytes[bodyStart...]))
    }
}
