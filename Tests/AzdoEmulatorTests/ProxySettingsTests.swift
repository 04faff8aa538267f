import Testing
@testable import AzdoNetwork

@Suite("Proxy settings from the environment")
struct ProxySettingsTests {
    @Test("HTTPS_PROXY with scheme, credentials and path; lower-case fallback; NO_PROXY suffixes")
    func parsing() {
        let settings = ProxySettings(environment: [
            "HTTPS_PROXY": "http://user:pw@proxy.corp.example:3128/", "NO_PROXY": "localhost, .internal.example,dev.azure.com",
        ])
        #expect(settings.proxy?.host == "proxy.corp.example")
        #expect(settings.proxy?.port == 3128)
        #expect(settings.bypasses("dev.azure.com"))
        #expect(settings.bypasses("git.internal.example"))
        #expect(settings.bypasses("LOCALHOST"))
        #expect(!settings.bypasses("vssps.dev.azure.com.evil.example"))
        #expect(!settings.bypasses("login.microsoftonline.com"))
        #expect(ProxySettings(environment: ["https_proxy": "proxy:8080"]).proxy?.port == 8080)
        #expect(ProxySettings(environment: [:]).proxy == nil)
        #expect(ProxySettings(environment: ["NO_PROXY": "*"]).bypasses("anything.example"))
    }

    @Test("only https, or http to loopback, is allowed")
    func allowedURLs() {
        #expect(AsyncHTTPTransport.isAllowed("https://vssps.dev.azure.com/x"))
        #expect(AsyncHTTPTransport.isAllowed("http://127.0.0.1:8080/x"))
        #expect(AsyncHTTPTransport.isAllowed("http://localhost/x"))
        #expect(!AsyncHTTPTransport.isAllowed("http://dev.azure.com/x"))
        #expect(!AsyncHTTPTransport.isAllowed("http://127.0.0.1.evil.example/x"))
        #expect(!AsyncHTTPTransport.isAllowed("http://user@evil.example/x"))
        #expect(!AsyncHTTPTransport.isAllowed("ftp://127.0.0.1/"))
    }
}
