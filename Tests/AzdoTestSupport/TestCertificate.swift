import Foundation
import Testing

/// Self-signed certificates for tests of service principals' certificate credentials.
public enum TestCertificate {
    /// A new self-signed RSA-2048 certificate for `CN=name` and its private key, made by
    /// openssl: (certificate, key) in PEM. Nothing stays on disk.
    public static func make(name: String) throws -> (certificate: String, key: String) {
        let directory = try TestPaths.temporaryDirectory("cert")
        defer { try? FileManager.default.removeItem(at: directory) }
        let made = try ProcessRunner.run(
            command: "openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=\(name)",
             "-days", "2"],
            directory: directory)
        try #require(made.status == 0, "\(made.standardError)")
        return (
            try String(contentsOf: directory.appendingPathComponent("cert.pem"), encoding: .utf8),
            try String(contentsOf: directory.appendingPathComponent("key.pem"), encoding: .utf8)
        )
    }
}
