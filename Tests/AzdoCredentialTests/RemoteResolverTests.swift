import AzdoCredential
import AzdoTestSupport
import Testing

/// A request with the fields the resolver looks at.
func remoteRequest(
    _ scheme: String? = "https", host: String?, path: String? = nil, username: String? = nil
) -> CredentialRequest {
    var request = CredentialRequest()
    request.protocol = scheme
    request.host = host
    request.path = path
    request.username = username
    return request
}

/// One Azure DevOps URL form, as git sends it, and the organization it names.
struct URLFormCase: Sendable, CustomTestStringConvertible {
    var name: String
    var request: CredentialRequest
    var organization: String
    var account: String? = nil

    var testDescription: String { name }

    static let all: [URLFormCase] = [
        URLFormCase(
            name: "https://dev.azure.com/{org}/{project}/_git/{repo}",
            request: remoteRequest(host: "dev.azure.com", path: "contoso/Web/_git/site"), organization: "contoso"),
        URLFormCase(
            name: "https://{org}@dev.azure.com/... without useHttpPath (username only)",
            request: remoteRequest(host: "dev.azure.com", username: "contoso"), organization: "contoso"),
        URLFormCase(
            name: "https://{org}@dev.azure.com/{org}/{project}/_git/{repo}",
            request: remoteRequest(host: "dev.azure.com", path: "contoso/Web/_git/site", username: "contoso"),
            organization: "contoso"),
        URLFormCase(
            name: "https://dev.azure.com/{org}/_git/{repo} (project = repo)",
            request: remoteRequest(host: "dev.azure.com", path: "contoso/_git/site"), organization: "contoso"),
        URLFormCase(
            name: "path with a leading slash",
            request: remoteRequest(host: "dev.azure.com", path: "/contoso/Web/_git/site"), organization: "contoso"),
        URLFormCase(
            name: "https://{org}.visualstudio.com/DefaultCollection/{project}/_git/{repo}",
            request: remoteRequest(host: "contoso.visualstudio.com", path: "DefaultCollection/Web/_git/site"),
            organization: "contoso"),
        URLFormCase(
            name: "https://{org}.visualstudio.com/{project}/_git/{repo}",
            request: remoteRequest(host: "contoso.visualstudio.com", path: "Web/_git/site"), organization: "contoso"),
        URLFormCase(
            name: "https://{org}.visualstudio.com without useHttpPath",
            request: remoteRequest(host: "contoso.visualstudio.com"), organization: "contoso"),
        URLFormCase(
            name: "mixed case host, scheme and organization",
            request: remoteRequest("HTTPS", host: "Dev.Azure.COM", path: "Contoso/Web/_git/site"),
            organization: "contoso"),
        URLFormCase(
            name: "mixed case username only",
            request: remoteRequest(host: "DEV.AZURE.COM", username: "ConToso"), organization: "contoso"),
        URLFormCase(
            name: "mixed case visualstudio.com host",
            request: remoteRequest(host: "ConToso.VisualStudio.COM"), organization: "contoso"),
        URLFormCase(
            name: "dev.azure.com:443",
            request: remoteRequest(host: "dev.azure.com:443", path: "contoso/Web/_git/site"), organization: "contoso"),
        URLFormCase(
            name: "{org}.visualstudio.com:443",
            request: remoteRequest(host: "contoso.visualstudio.com:443"), organization: "contoso"),
        URLFormCase(
            name: "organization with digits and hyphens, 50 characters",
            request: remoteRequest(host: "dev.azure.com", path: "a1-" + String(repeating: "b", count: 46) + "9/_git/r"),
            organization: "a1-" + String(repeating: "b", count: 46) + "9"),
        URLFormCase(
            name: "a different username is the account",
            request: remoteRequest(host: "dev.azure.com", path: "contoso/Web/_git/site", username: "alice"),
            organization: "contoso", account: "alice"),
        URLFormCase(
            name: "an e-mail username is the account, never the organization",
            request: remoteRequest(host: "dev.azure.com", path: "contoso/_git/r", username: "alice@example.com"),
            organization: "contoso", account: "alice@example.com"),
        URLFormCase(
            name: "visualstudio.com honours a different username",
            request: remoteRequest(host: "contoso.visualstudio.com", username: "Alice"), organization: "contoso",
            account: "Alice"),
        URLFormCase(
            name: "a username equal to the organization in another case is no account",
            request: remoteRequest(host: "contoso.visualstudio.com", username: "CONTOSO"), organization: "contoso"),
        URLFormCase(
            name: "an empty username is no account",
            request: remoteRequest(host: "dev.azure.com", path: "contoso", username: ""), organization: "contoso"),
    ]
}

@Suite("Remote resolver")
struct RemoteResolverTests {
    let sink = RecordingSink()

    func resolve(_ request: CredentialRequest, extraHosts: FakeExtraHostSource = FakeExtraHostSource()) -> RemoteResolution {
        RemoteResolver(extraHosts: extraHosts).resolve(request, diagnostics: sink)
    }

    @Test("every Azure DevOps URL form maps to its organization on https://dev.azure.com", arguments: URLFormCase.all)
    func urlForms(_ example: URLFormCase) {
        #expect(
            resolve(example.request)
                == .target(RemoteTarget(
                    server: "https://dev.azure.com", organization: example.organization, account: example.account)))
        #expect(sink.lines.isEmpty)
    }

    @Test(
        "hosts that are not Azure DevOps' are not ours",
        arguments: [
            "github.com", "example.com", "vs-ssh.visualstudio.com", "app.vssps.visualstudio.com", "visualstudio.com",
            "evil.dev.azure.com", "dev.azure.com.evil.example", "dev.azure.com:8443", "a.b.visualstudio.com",
            "-bad.visualstudio.com", "contoso.visualstudio.com.evil.example", "evil@contoso.visualstudio.com",
        ])
    func notOurs(host: String) {
        #expect(resolve(remoteRequest(host: host, path: "contoso/_git/r", username: "contoso")) == .notOurs)
        #expect(resolve(remoteRequest(host: host)) == .notOurs)
    }

    @Test("a request without protocol or host is not ours")
    func missingProtocolOrHost() {
        #expect(resolve(remoteRequest(nil, host: "dev.azure.com", path: "contoso")) == .notOurs)
        #expect(resolve(remoteRequest(host: nil, path: "contoso")) == .notOurs)
        #expect(resolve(remoteRequest(host: "", path: "contoso")) == .notOurs)
    }

    @Test("plain http to Azure DevOps is refused")
    func insecureProtocol() {
        #expect(
            resolve(remoteRequest("http", host: "dev.azure.com", path: "contoso/_git/r"))
                == .refused(.insecureProtocol(scheme: "http", host: "dev.azure.com")))
        #expect(
            resolve(remoteRequest("http", host: "contoso.visualstudio.com"))
                == .refused(.insecureProtocol(scheme: "http", host: "contoso.visualstudio.com")))
        #expect(
            resolve(remoteRequest("HTTP", host: "Dev.Azure.com:443", path: "contoso"))
                == .refused(.insecureProtocol(scheme: "http", host: "dev.azure.com:443")))
    }

    @Test("dev.azure.com with neither path nor a usable username has no organization")
    func unknownOrganization() {
        let refusal = RemoteResolution.refused(.unknownOrganization(host: "dev.azure.com"))
        #expect(resolve(remoteRequest(host: "dev.azure.com")) == refusal)
        #expect(resolve(remoteRequest(host: "dev.azure.com", username: "")) == refusal)
        #expect(resolve(remoteRequest(host: "dev.azure.com", path: "/")) == refusal)
        // A username with '@' is never taken for an organization.
        #expect(resolve(remoteRequest(host: "dev.azure.com", username: "alice@example.com")) == refusal)
        #expect(resolve(remoteRequest(host: "dev.azure.com", username: "contoso@contoso")) == refusal)
    }

    @Test(
        "a first path segment (or username) that cannot be an organization is refused",
        arguments: ["-bad", "bad-", "a_b", "a.b", "con toso", "ä", String(repeating: "a", count: 51)])
    func invalidOrganization(candidate: String) {
        #expect(
            resolve(remoteRequest(host: "dev.azure.com", path: "\(candidate)/Web/_git/site"))
                == .refused(.invalidOrganization(candidate)))
        #expect(
            resolve(remoteRequest(host: "dev.azure.com", username: candidate))
                == .refused(.invalidOrganization(candidate)))
    }

    @Test("refusal descriptions are one line and name the problem")
    func refusalDescriptions() {
        let refusals: [RemoteRefusal] = [
            .insecureProtocol(scheme: "http", host: "dev.azure.com"),
            .unknownOrganization(host: "dev.azure.com"),
            .invalidOrganization("-bad"),
        ]
        for refusal in refusals {
            #expect(!refusal.description.contains("\n"))
        }
        #expect(refusals[0].description.contains("https://"))
        #expect(refusals[1].description.contains("useHttpPath"))
        #expect(refusals[2].description.contains("'-bad'"))
    }

    @Test("an https extra host resolves like dev.azure.com, under its own server")
    func httpsExtraHost() throws {
        let hosts = try FakeExtraHostSource(parsing: "git.example.com:8443", "http://127.0.0.1:8080")
        #expect(
            resolve(remoteRequest(host: "git.example.com:8443", path: "Contoso/Web/_git/site"), extraHosts: hosts)
                == .target(RemoteTarget(server: "https://git.example.com:8443", organization: "contoso")))
        #expect(
            resolve(remoteRequest(host: "Git.Example.com:8443", username: "contoso"), extraHosts: hosts)
                == .target(RemoteTarget(server: "https://git.example.com:8443", organization: "contoso")))
        #expect(
            resolve(remoteRequest(host: "git.example.com:8443", path: "contoso", username: "alice"), extraHosts: hosts)
                == .target(RemoteTarget(server: "https://git.example.com:8443", organization: "contoso", account: "alice")))
        #expect(
            resolve(remoteRequest(host: "git.example.com:8443"), extraHosts: hosts)
                == .refused(.unknownOrganization(host: "git.example.com:8443")))
        #expect(
            resolve(remoteRequest(host: "git.example.com:8443", path: "a_b"), extraHosts: hosts)
                == .refused(.invalidOrganization("a_b")))
    }

    @Test("an http loopback extra host resolves under an http server")
    func httpLoopbackExtraHost() throws {
        let hosts = try FakeExtraHostSource(parsing: "http://127.0.0.1:8080")
        #expect(
            resolve(remoteRequest("http", host: "127.0.0.1:8080", path: "contoso/_git/r"), extraHosts: hosts)
                == .target(RemoteTarget(server: "http://127.0.0.1:8080", organization: "contoso")))
    }

    @Test("an extra host is only used with the scheme it was allowed with")
    func extraHostSchemeMismatch() throws {
        let hosts = try FakeExtraHostSource(parsing: "git.example.com:8443", "http://127.0.0.1:8080")
        #expect(
            resolve(remoteRequest("https", host: "127.0.0.1:8080", path: "contoso"), extraHosts: hosts)
                == .refused(.insecureProtocol(scheme: "https", host: "127.0.0.1:8080")))
        #expect(
            resolve(remoteRequest("http", host: "git.example.com:8443", path: "contoso"), extraHosts: hosts)
                == .refused(.insecureProtocol(scheme: "http", host: "git.example.com:8443")))
        #expect(resolve(remoteRequest("ftp", host: "git.example.com:8443", path: "contoso"), extraHosts: hosts) == .notOurs)
    }

    @Test("a host that is not listed, or listed with another port, is not ours")
    func unlistedHost() throws {
        let hosts = try FakeExtraHostSource(parsing: "git.example.com:8443", "http://127.0.0.1:8080")
        #expect(resolve(remoteRequest(host: "git.example.com", path: "contoso"), extraHosts: hosts) == .notOurs)
        #expect(resolve(remoteRequest("http", host: "127.0.0.1:9090", path: "contoso"), extraHosts: hosts) == .notOurs)
        #expect(resolve(remoteRequest(host: "other.example.com:8443", path: "contoso"), extraHosts: hosts) == .notOurs)
        #expect(hosts.callCount == 3)
    }

    @Test("Azure DevOps' own hosts never consult the extra host source")
    func extraHostsNotConsultedForAzureDevOps() throws {
        let hosts = try FakeExtraHostSource(parsing: "git.example.com")
        let requests = [
            remoteRequest(host: "dev.azure.com", path: "contoso/_git/r"),
            remoteRequest(host: "dev.azure.com:443", username: "contoso"),
            remoteRequest(host: "dev.azure.com"),
            remoteRequest(host: "dev.azure.com", path: "-bad"),
            remoteRequest("http", host: "dev.azure.com", path: "contoso"),
            remoteRequest(host: "contoso.visualstudio.com"),
            remoteRequest("http", host: "contoso.visualstudio.com"),
        ]
        for request in requests {
            #expect(resolve(request, extraHosts: hosts) != .notOurs)
        }
        #expect(hosts.callCount == 0)

        // The counter does count: any other host asks the source.
        #expect(resolve(remoteRequest(host: "github.com"), extraHosts: hosts) == .notOurs)
        #expect(hosts.callCount == 1)
    }
}
