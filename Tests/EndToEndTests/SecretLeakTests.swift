import AzdoHTTP
import AzdoTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// No PAT or Entra token the emulator issued shows up where it must not: in any output but
/// `get`'s protocol answer, in any file the tool writes, in the notifications, or in the
/// arguments or environment of any process while the tool runs.
@Suite("Secrets never leak", .privateKeyring, .notificationService)
struct SecretLeakTests {
    @Test("a whole lifecycle with --verbose, a rotation, status, doctor and a running daemon: zero hits")
    func zeroHits() async throws {
        let organization = uniqueOrganization("leak")
        let repository = "\(organization)/p/_git/r"
        let world = try EmulatorWorld(repositories: [repository])
        var outputs: [String] = []
        func run(_ arguments: [String]) throws {
            let result = try world.cli(arguments)
            outputs += [result.standardOutput, result.standardError]
        }

        let login = try await world.login(["--verbose"])
        outputs.append(login.standardError)
        try run(["pat", "create", "--org", organization, "--days", "30", "--verbose"])
        let clone = try world.sandbox.git(["clone", "-q", "http://\(world.server.host)/\(repository)", "work"])
        outputs += [clone.standardOutput, clone.standardError]
        try run(["pat", "list", "--org", organization, "--json", "-v"])
        try run(["configure"])
        try run(["status"])
        try run(["status", "--json"])
        try run(["doctor"])
        try await world.createPAT(organization, daysLeft: 5)
        try run(["refresh", "--verbose"])
        try run(["refresher", "status"])

        // While a slowed rotation and the daemon run, read every process's argv and environment.
        try await world.createPAT(organization, daysLeft: 4)
        try await world.control("fault?kind=slow&seconds=2&count=1")
        let refresh = try world.start(["refresh"])
        let daemon = try world.start(["daemon"])
        try await Task.sleep(for: .milliseconds(800))
        let processes = try Self.processTexts()
        await world.finish(refresh, "refresh")
        kill(daemon.processIdentifier, SIGTERM)
        await world.finish(daemon, "the daemon after SIGTERM")
        #expect(processes.count > 3, "read the argv and environment of \(processes.count) processes")

        try run(["pat", "revoke", "--org", organization, "--verbose"])

        let secrets = String(decoding: try await world.control("issued-secrets", method: "GET").body, as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(secrets.count >= 8, "PATs and tokens issued: \(secrets.count)")
        var places: [(String, String)] = outputs.enumerated().map { ("output \($0.offset)", $0.element) }
        places += processes.map { ("process \($0.key)", $0.value) }
        places += try Self.files(under: world.sandbox.home)
        if let data = ProcessInfo.processInfo.environment["XDG_DATA_HOME"] {
            places += try Self.files(under: URL(fileURLWithPath: data))
        }
        if let log = NotificationLog.path { places.append(("notifications", try String(contentsOfFile: log, encoding: .utf8))) }
        #expect(places.count > 20)
        let hits = places.flatMap { place in secrets.filter { place.1.contains($0) }.map { _ in place.0 } }
        #expect(hits.isEmpty, "secrets found in: \(Set(hits))")
    }

    /// argv and environ of every process this user can read, NULs as spaces.
    static func processTexts() throws -> [String: String] {
        var texts: [String: String] = [:]
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") where Int(entry) != nil {
            var text = ""
            for part in ["cmdline", "environ"] {
                if let data = FileManager.default.contents(atPath: "/proc/\(entry)/\(part)") {
                    text += String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self) + "\n"
                }
            }
            if !text.isEmpty { texts[entry] = text }
        }
        return texts
    }

    /// Every regular file under `directory`, read as text (binary bytes decode lossily, which
    /// still shows an ASCII token in clear).
    static func files(under directory: URL) throws -> [(String, String)] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var result: [(String, String)] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            if let data = FileManager.default.contents(atPath: url.path) {
                result.append((url.path, String(decoding: data, as: UTF8.self)))
            }
        }
        return result
    }
}
