import Testing
@testable import AzdoNetwork

@Suite("Proxy settings from the environment")
struct ProxySettingsTests {
    @Test("HTTPS_PROXY with scheme, credentials, IPv6 and path; lower-case fallback; NO_PROXY suffixes")
    func parsing() {
        let settings = ProxySettings(environment: [
            "HTTPS_PROXY": "http://user:pw@proxy.corp.example:3128/", "NO_PROXY": "localhost, .internal.example,dev.azure.com",
        ])
        #expect(settings.proxy?.host == "proxy.corp.example")
        #expect(settings.proxy?.port == 3128)
        // libcurl gets the credentials, with the path dropped.
        #expect(settings.proxy?.url == "http://user:pw@proxy.corp.example:3128")
        #expect(settings.bypasses("dev.azure.com"))
        #expect(settings.bypasses("git.internal.example"))
        #expect(settings.bypasses("LOCALHOST"))
        #expect(!settings.bypasses("vssps.dev.azure.com.evil.example"))
        #expect(!settings.bypasses("login.microsoftonline.com"))
        #expect(ProxySettings(environment: ["https_proxy": "proxy:8080"]).proxy?.port == 8080)
        #expect(ProxySettings(environment: ["https_proxy": "proxy:8080"]).proxy?.url == "http://proxy:8080")
        #expect(ProxySettings(environment: ["HTTPS_PROXY": "socks5h://proxy"]).proxy?.url == "socks5h://proxy:1080")
        #expect(ProxySettings(environment: ["HTTPS_PROXY": "https://proxy"]).proxy?.url == "https://proxy:443")
        #expect(ProxySettings(environment: ["HTTPS_PROXY": "gopher://proxy:1"]).proxy?.url == "http://proxy:1")
        #expect(ProxySettings(environment: ["HTTPS_PROXY": "http://[::1]:3128"]).proxy?.host == "[::1]")
        #expect(ProxySettings(environment: ["HTTPS_PROXY": "http://[::1]"]).proxy?.url == "http://[::1]:80")
        #expect(ProxySettings(environment: [:]).proxy == nil)
        #expect(ProxySettings(environment: ["NO_PROXY": "*"]).bypasses("anything.example"))
    }

    @Test("only https, or http to loopback, is allowed")
    func allowedURLs() {
        #expect(CurlTransport.isAllowed("https://vssps.dev.azure.com/x"))
        #expect(CurlTransport.isAllowed("http://127.0.0.1:8080/x"))
        #expect(CurlTransport.isAllowed("http://localhost/x"))
        #expect(!CurlTransport.isAllowed("http://dev.azure.com/x"))
        #expect(!CurlTransport.isAllowed("http://127.0.0.1.evil.example/x"))
        #expect(!CurlTransport.isAllowed("http://user@evil.example/x"))
        #expect(!CurlTransport.isAllowed("ftp://127.0.0.1/"))
    }
}
