import AzdoCredential
import AzdoTestSupport
import CAzdoSecret
import Foundation
import Testing

/// The fast client reads every reply gnome-keyring, KeePassXC and kwalletd5 sent, as
/// captured by Tests/Fuzz/capture-dbus-corpus.py (one message per file, both byte orders).
@Suite("The D-Bus client reads what each Secret Service sends")
struct WireRepliesTests {
    static let corpus = TestPaths.packageRoot.appendingPathComponent("Tests/Fuzz/corpus/dbus")

    /// Which reader each captured reply is for, by the end of its file name.
    static let readers: [(suffix: String, reader: String)] = [
        ("searchitems-found", "search"), ("searchitems-none", "search"), ("get-attributes", "attributes"),
        ("opensession-plain", "session"), ("getsecrets", "secrets"), ("getsecrets-nonexistent", "secrets"),
        ("readalias-default", "object"), ("get-locked", "boolean"), ("get-locked-after-unlock", "boolean"),
        ("getnameowner", "string"), ("getconnectionunixprocessid", "u32"),
    ]

    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
    }

    static func reads(_ reader: String, _ file: String) throws -> Int32 {
        let bytes = try Data(contentsOf: corpus.appendingPathComponent(file))
        return bytes.withUnsafeBytes { raw in
            CAzdoSecret_wire_reads(reader, raw.bindMemory(to: UInt8.self).baseAddress!, raw.count)
        }
    }

    @Test("every captured reply of a kind the client reads is accepted, from every service, in both byte orders")
    func everyReplyIsRead() throws {
        var seen: [String: Set<String>] = [:]
        for file in try Self.files() where !file.contains("-error-") {
            for (suffix, reader) in Self.readers where file.hasSuffix("-" + suffix) {
                #expect(try Self.reads(reader, file) == 1, "\(reader) refused \(file)")
                let service = String(file.prefix { !$0.isNumber }).split(separator: "-").prefix { $0 != "locked" && $0 != "prompts" }
                    .joined(separator: "-")
                seen[reader, default: []].insert(service)
            }
        }
        for reader in ["search", "attributes", "session", "secrets", "object", "boolean"] {
            #expect(seen[reader] == ["gnome-keyring", "keepassxc", "kwallet"], "\(reader): \(seen[reader] ?? [])")
        }
        #expect(try Self.files().contains { $0.hasPrefix("kwallet") && $0.hasSuffix("bigendian-opensession-plain") })
    }

    @Test("error replies and replies of another kind are refused, never misread")
    func othersAreRefused() throws {
        let errors = try Self.files().filter { $0.contains("-error-") }
        #expect(!errors.isEmpty)
        for file in errors {
            for reader in ["search", "attributes", "secrets", "session", "object", "boolean"] {
                #expect(try Self.reads(reader, file) == 0, "\(reader) accepted \(file)")
            }
        }
        let session = try #require(try Self.files().first { $0.hasSuffix("-opensession-plain") })
        #expect(try Self.reads("search", session) == 0)
        #expect(try Self.reads("attributes", session) == 0)
        #expect(try Self.reads("no-such-reader", session) == -1)
    }
}
