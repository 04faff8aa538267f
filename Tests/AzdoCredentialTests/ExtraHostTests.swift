import AzdoCredential
import Testing

/// The error parsing `entry` throws, or `nil` when it parses.
private func parseError(_ entry: String) -> ExtraHostError? {
    do {
        _ = try ExtraHost(parsing: entry)
        return nil
    } catch {
        return error
    }
}

@Suite("Extra host entries")
struct ExtraHostTests {
    @Test("host[:port] without a scheme allows https")
    func bareHostIsHTTPS() throws {
        let host = try ExtraHost(parsing: "127.0.0.1:8080")
        #expect(host.scheme == "https")
        #expect(host.host == "127.0.0.1:8080")
        #expect(host.server == "https://127.0.0.1:8080")

        let named = try ExtraHost(parsing: "git.example.com")
        #expect(named.scheme == "https")
        #expect(named.server == "https://git.example.com")
    }

    @Test("an explicit https:// entry, trailing slashes removed")
    func explicitHTTPS() throws {
        let host = try ExtraHost(parsing: "https://git.example.com:8443//")
        #expect(host.scheme == "https")
        #expect(host.host == "git.example.com:8443")
        #expect(host.server == "https://git.example.com:8443")
    }

    @Test("http:// is accepted for loopback hosts; the trailing slash is removed")
    func httpLoopback() throws {
        let host = try ExtraHost(parsing: "http://127.0.0.1:8080/")
        #expect(host.scheme == "http")
        #expect(host.host == "127.0.0.1:8080")
        #expect(host.server == "http://127.0.0.1:8080")
    }

    @Test(
        "loopback names allowed with http",
        arguments: [
            ("http://localhost:1", "localhost:1"), ("http://[::1]:9", "[::1]:9"), ("http://[::1]", "[::1]"),
            ("http://localhost", "localhost"), ("http://127.1.2.3:80", "127.1.2.3:80"),
        ])
    func loopbackHosts(entry: String, host: String) throws {
        let parsed = try ExtraHost(parsing: entry)
        #expect(parsed.scheme == "http")
        #expect(parsed.host == host)
    }

    @Test(
        "plain http off loopback is refused",
        arguments: [
            "http://proxy.example.com", "http://proxy.example.com:8080/", "http://10.0.0.1:80", "http://[::2]:9",
            "http://localhost.example.com", "http://127.0.0.1.example.com", "http://128.0.0.1", "http://127.0.0.256",
            "http://127.0.0",
        ])
    func plainHTTPOffLoopback(entry: String) {
        let error = parseError(entry)
        #expect(error == .plainHTTPOffLoopback(entry))
        #expect(error?.description.contains("\n") == false)
        #expect(error?.description.contains("'\(entry)'") == true)
    }

    @Test(
        "malformed entries are refused",
        arguments: [
            "ftp://x", "a/b", "user@host", "", "https://", "http://", "://host", "https://host/path", "ssh://git@host",
            "two words", "https://user@host",
        ])
    func malformed(entry: String) {
        let error = parseError(entry)
        #expect(error == .malformed(entry))
        #expect(error?.description.contains("\n") == false)
        #expect(error?.description.contains("host[:port]") == true)
    }

    @Test("entries are lower-cased; errors quote the entry as written")
    func lowerCased() throws {
        let host = try ExtraHost(parsing: "HTTPS://Git.Example.COM:8443")
        #expect(host.scheme == "https")
        #expect(host.host == "git.example.com:8443")

        let loopback = try ExtraHost(parsing: "HTTP://LOCALHOST:1")
        #expect(loopback.scheme == "http")
        #expect(loopback.host == "localhost:1")

        #expect(parseError("HTTP://Proxy.Example.COM") == .plainHTTPOffLoopback("HTTP://Proxy.Example.COM"))
        #expect(parseError("FTP://X") == .malformed("FTP://X"))
    }
}
