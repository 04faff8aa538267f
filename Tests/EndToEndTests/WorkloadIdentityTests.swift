import AzdoHTTP
import AzdoTestSupport
import Foundation
import Testing

/// Service principals, managed identities and workload identity federation, as on a CI
/// runner: real git, the emulator as Entra, IMDS and the CI platform, and no keyring and no
/// session bus at all (any use of one would fail the clone).
@Suite("CI identities without a keyring")
struct WorkloadIdentityTests {
    let tenant = "ci-tenant"

    /// A world with `repository`, no session bus, a private runtime directory for the token
    /// cache, and IMDS at the emulator.
    func world(_ repository: String) throws -> EmulatorWorld {
        var world = try EmulatorWorld(repositories: [repository], tenant: nil)
        let runtime = try TestPaths.temporaryDirectory("runtime")
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: runtime.path)
        world.environment["XDG_RUNTIME_DIR"] = runtime.path
        world.environment["DBUS_SESSION_BUS_ADDRESS"] = nil
        world.environment["GIT_CREDENTIAL_AZDO_IMDS_URL"] = world.server.baseURL
        return world
    }

    func config(_ world: EmulatorWorld, _ pairs: [(String, String)]) throws {
        for (key, value) in pairs { #expect(try world.sandbox.git(["config", "--global", key, value]).status == 0) }
    }


    /// Clones and pushes `repository`; both must work with no prompt and with Entra tokens.
    func cloneAndPush(_ world: EmulatorWorld, _ repository: String, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let clone = try world.git(["clone", "-q", "http://\(world.server.host)/\(repository)", "work"])
        #expect(clone.status == 0, "\(clone.standardError)", sourceLocation: sourceLocation)
        let work = world.sandbox.home.appendingPathComponent("work")
        #expect(try world.git(["commit", "-q", "--allow-empty", "-m", "ci"], in: work).status == 0)
        let push = try world.git(["push", "-q", "origin", "HEAD:main"], in: work)
        #expect(push.status == 0, "\(push.standardError)", sourceLocation: sourceLocation)
        #expect(world.sandbox.promptCount == 0, sourceLocation: sourceLocation)
        let organization = String(repository.prefix { $0 != "/" })
        let log = try await world.server.gitLog().filter { $0.organization == organization }
        #expect(log.contains { $0.accepted && $0.entra }, sourceLocation: sourceLocation)
    }

    func secretFile(_ world: EmulatorWorld, _ secret: String, mode: Int = 0o600) throws -> String {
        try privateFile(world, "sp-secret", secret + "\n", mode: mode)
    }

    @Test("a service principal with a secret file clones and pushes; the token is cached 0600 in the runtime directory")
    func servicePrincipalSecretFile() async throws {
        let organization = uniqueOrganization("sp")
        let repository = "\(organization)/p/_git/r"
        let world = try world(repository)
        try await world.control("service-principal?tenant=\(tenant)&client=sp-client&orgs=\(organization)", body: "sp-secret-1")
        try config(world, [
            ("azdo.servicePrincipal", "\(tenant)/sp-client"),
            ("azdo.servicePrincipalSecretFile", try secretFile(world, "sp-secret-1")),
        ])
        try await cloneAndPush(world, repository)
        #expect(try await world.grants("client_credentials") == 1, "clone and push share one token")
        let cache = URL(fileURLWithPath: try #require(world.environment["XDG_RUNTIME_DIR"]))
            .appendingPathComponent("git-credential-azdo/token-sp-\(tenant)-sp-client")
        let attributes = try FileManager.default.attributesOfItem(atPath: cache.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // --verbose traces the grant with the secret and the token redacted.
        try FileManager.default.removeItem(at: cache)
        let traced = try world.cli(["access-token", "--server", world.server.baseURL, "--org", organization, "--verbose"])
        #expect(traced.status == 0, "\(traced.standardError)")
        #expect(traced.standardError.contains("client_secret=[redacted]"), "\(traced.standardError)")
        #expect(!traced.standardError.contains("sp-secret-1"))
        #expect(!traced.standardError.contains("eyJ"))
    }

    /// Writes `text` to the sandbox file `name` with `mode` (by default, only its owner can
    /// read it); its path.
    func privateFile(_ world: EmulatorWorld, _ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let file = world.sandbox.home.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file.path
    }

    @Test("a service principal with a certificate signs an RS256 client assertion that the emulator verifies")
    func servicePrincipalCertificate() async throws {
        let organization = uniqueOrganization("spcert")
        let repository = "\(organization)/p/_git/r"
        let world = try world(repository)
        let registered = try TestCertificate.make(name: "registered")
        try await world.control(
            "service-principal?tenant=\(tenant)&client=sp-cert&orgs=\(organization)&certificate=true", body: registered.certificate)
        try config(world, [
            ("azdo.servicePrincipal", "\(tenant)/sp-cert"),
            ("azdo.servicePrincipalCertificate", try privateFile(world, "sp.pem", registered.key + registered.certificate)),
        ])
        try await cloneAndPush(world, repository)
        #expect(try await world.grants("client_credentials") == 1)

        // Another key, or a PEM without one: one line each, no token.
        let other = try TestCertificate.make(name: "other")
        for (pem, expected) in [
            (other.key + other.certificate, "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered"),
            (registered.certificate, "is unusable: it holds no private key; it must hold the certificate and its private key, in PEM"),
        ] {
            try config(world, [("azdo.servicePrincipalCertificate", try privateFile(world, "sp.pem", pem))])
            let cache = URL(fileURLWithPath: try #require(world.environment["XDG_RUNTIME_DIR"]))
                .appendingPathComponent("git-credential-azdo/token-sp-\(tenant)-sp-cert")
            try? FileManager.default.removeItem(at: cache)
            let get = try world.get(repository)
            #expect(get.standardOutput.isEmpty)
            #expect(get.errorLines.count == 1 && get.standardError.contains(expected), "\(get.standardError)")
        }
    }

    @Test("a service principal's secret from the variable azdo.servicePrincipalSecretEnv names")
    func servicePrincipalSecretVariable() async throws {
        let organization = uniqueOrganization("spenv")
        let repository = "\(organization)/p/_git/r"
        var world = try world(repository)
        try await world.control("service-principal?tenant=\(tenant)&client=sp-env&orgs=\(organization)", body: "sp-secret-2")
        world.environment["CI_SP_SECRET"] = "sp-secret-2"
        try config(world, [("azdo.servicePrincipal", "\(tenant)/sp-env"), ("azdo.servicePrincipalSecretEnv", "CI_SP_SECRET")])
        try await cloneAndPush(world, repository)
    }

    @Test("a managed identity through IMDS: system-assigned from config, user-assigned from the environment")
    func managedIdentity() async throws {
        let organization = uniqueOrganization("mi")
        let repository = "\(organization)/p/_git/r"
        var world = try world(repository)
        try await world.control("managed-identity?id=system&orgs=\(organization)")
        try config(world, [("azdo.managedIdentity", "system")])
        try await cloneAndPush(world, repository)

        try await world.control("managed-identity?id=mi-client&orgs=\(organization)")
        world.environment["GIT_CREDENTIAL_AZDO_MANAGED_IDENTITY"] = "mi-client"
        let fetch = try world.git(["fetch", "-q"], in: world.sandbox.home.appendingPathComponent("work"))
        #expect(fetch.status == 0, "\(fetch.standardError)")
        #expect(try await world.grants("managed_identity") == 2)
    }

    @Test("GitHub Actions federation: the job's OIDC token is exchanged for an Entra token")
    func github() async throws {
        let organization = uniqueOrganization("gha")
        let repository = "\(organization)/p/_git/r"
        var world = try world(repository)
        try await world.control("service-principal?tenant=\(tenant)&client=gha-app&orgs=\(organization)&federated=github")
        try await world.control("oidc?platform=github", body: "gha-request-token")
        world.environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = "\(world.server.baseURL)/_oidc/github?api-version=2.0"
        world.environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "gha-request-token"
        try config(world, [("azdo.workloadFederation", "github"), ("azdo.servicePrincipal", "\(tenant)/gha-app")])
        try await cloneAndPush(world, repository)
    }

    @Test("Azure Pipelines federation, configured by the environment alone")
    func azurePipelines() async throws {
        let organization = uniqueOrganization("azp")
        let repository = "\(organization)/p/_git/r"
        var world = try world(repository)
        try await world.control("service-principal?tenant=\(tenant)&client=azp-app&orgs=\(organization)&federated=azure-pipelines")
        try await world.control("oidc?platform=azure-pipelines", body: "azp-system-token")
        world.environment["SYSTEM_OIDCREQUESTURI"] =
            "\(world.server.baseURL)/\(organization)/p/_apis/distributedtask/hubs/build/plans/1/jobs/2/oidctoken"
        world.environment["SYSTEM_ACCESSTOKEN"] = "azp-system-token"
        world.environment["GIT_CREDENTIAL_AZDO_WORKLOAD_FEDERATION"] = "azure-pipelines"
        world.environment["AZURE_TENANT_ID"] = tenant
        world.environment["AZURE_CLIENT_ID"] = "azp-app"
        try await cloneAndPush(world, repository)
    }

    @Test("generic federation from a token file, as Kubernetes workload identity mounts it")
    func generic() async throws {
        let organization = uniqueOrganization("k8s")
        let repository = "\(organization)/p/_git/r"
        var world = try world(repository)
        try await world.control("service-principal?tenant=\(tenant)&client=k8s-app&orgs=\(organization)&federated=generic")
        let token = String(decoding: try await world.control("oidc-token?platform=generic").body, as: UTF8.self)
        let file = world.sandbox.home.appendingPathComponent("azure-identity-token")
        try token.write(to: file, atomically: true, encoding: .utf8)
        world.environment["GIT_CREDENTIAL_AZDO_WORKLOAD_FEDERATION"] = "generic"
        world.environment["AZURE_FEDERATED_TOKEN_FILE"] = file.path
        world.environment["AZURE_TENANT_ID"] = tenant
        world.environment["AZURE_CLIENT_ID"] = "k8s-app"
        try await cloneAndPush(world, repository)
        try FileManager.default.removeItem(at: file)
    }

    @Test("64 parallel fills share one cached token: the service principal signs in once")
    func parallelFills() async throws {
        let organization = uniqueOrganization("sp64")
        let repository = "\(organization)/p/_git/r"
        let world = try world(repository)
        try await world.control("service-principal?tenant=\(tenant)&client=sp-64&orgs=\(organization)", body: "sp-secret-64")
        try config(world, [
            ("azdo.servicePrincipal", "\(tenant)/sp-64"), ("azdo.servicePrincipalSecretFile", try secretFile(world, "sp-secret-64")),
        ])
        let results = try world.parallelLoad(fills: 64, repository: repository, seconds: 0, minimumRounds: 1)
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0.text.contains("password=eyJ") && !$0.text.contains("FAILED") })
        #expect(try await world.grants("client_credentials") == 1)
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var config: [String: String]
        var environment: [String: String] = [:]
        var secretMode: Int?
        var expected: String
        var testDescription: String { name }
    }

    static let failures: [Failure] = [
        Failure(
            name: "missing secret file",
            config: ["azdo.servicePrincipal": "ci-tenant/sp-f", "azdo.servicePrincipalSecretFile": "/nonexistent/secret"],
            expected: "cannot read the service principal's secret file /nonexistent/secret; check azdo.servicePrincipalSecretFile"),
        Failure(
            name: "secret file readable by others", config: ["azdo.servicePrincipal": "ci-tenant/sp-f"], secretMode: 0o644,
            expected: "can be read by others (mode 644); run `chmod 600 "),
        Failure(
            name: "wrong secret", config: ["azdo.servicePrincipal": "ci-tenant/sp-f"], secretMode: 0o600,
            expected: "Microsoft Entra refused the request (invalid_client): AADSTS7000215: Invalid client secret provided."),
        Failure(
            name: "service principal without a credential", config: ["azdo.servicePrincipal": "ci-tenant/sp-f"],
            expected: "azdo.servicePrincipal has no credential; set azdo.servicePrincipalSecretFile"),
        Failure(
            name: "IMDS unreachable (not on Azure)", config: ["azdo.managedIdentity": "system"],
            environment: ["GIT_CREDENTIAL_AZDO_IMDS_URL": "http://127.0.0.1:9"],
            expected: "the Azure Instance Metadata Service (http://127.0.0.1:9) did not answer"),
        Failure(
            name: "GitHub's OIDC variables missing (no id-token: write)",
            config: ["azdo.workloadFederation": "github", "azdo.servicePrincipal": "ci-tenant/sp-f"],
            expected: "GitHub Actions did not set ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, so there "
                + "is no OIDC token for azdo.workloadFederation; give the job `permissions: id-token: write`"),
    ]

    @Test("each failure: one line naming the setting to fix, nothing on stdout, exit 0, no retries", arguments: failures)
    func failure(_ failure: Failure) async throws {
        let organization = uniqueOrganization("fail")
        let repository = "\(organization)/p/_git/r"
        var world = try world(repository)
        try await world.control("service-principal?tenant=\(tenant)&client=sp-f&orgs=\(organization)", body: "right")
        var config = failure.config
        if let mode = failure.secretMode { config["azdo.servicePrincipalSecretFile"] = try secretFile(world, "wrong", mode: mode) }
        try self.config(world, config.sorted { $0.key < $1.key })
        for (key, value) in failure.environment { world.environment[key] = value }
        let get = try world.get(repository)
        #expect(get.status == 0)
        #expect(get.standardOutput.isEmpty)
        #expect(get.errorLines.count == 1, "\(get.standardError)")
        #expect(get.standardError.contains(failure.expected), "\(get.standardError)")
        #expect(try await world.grants("client_credentials") == 0)
    }
}
