import AzdoAPI
import AzdoCredential
import AzdoHTTP
import AzdoLifecycle
import AzdoTestSupport
import Foundation
import Testing

/// A `PatTokenResult` answer for a PAT with `id`, valid until `validTo` (ISO-8601).
func patAnswer(id: String, validTo: String, scope: String = "vso.code_write", token: String? = nil)
    -> Result<HTTPResponse, TransportError>
{
    let tokenField = token.map { "\"\($0)\"" } ?? "null"
    return .success(HTTPResponse(status: 200, headers: json, body: Data("""
        {"patToken":{"displayName":"git-credential-azdo on host","validFrom":"2026-11-23T00:00:00Z",
        "validTo":"\(validTo)","scope":"\(scope)","targetAccounts":["a"],"authorizationId":"\(id)",
        "token":\(tokenField)},"patTokenError":"none"}
        """.utf8)))
}

@Suite("PAT lifecycle commands against the API and the store")
struct PATManagerTests {
    let store = InMemoryCredentialStore()
    let now: Int64 = 1_795_392_000  // 2026-11-23T00:00:00Z
    let sleeper = RecordingSleeper()
    let journal: FileRotationJournal

    init() throws {
        journal = FileRotationJournal(directory: try TestPaths.temporaryDirectory("journal").path)
    }

    var manager: PATManager { PATManager(store: store, journal: journal, clock: FixedClock(now)) }

    func client(_ transport: ScriptedTransport) -> PATClient {
        PATClient(
            organization: "contoso", accessToken: Secret("entra"), transport: transport, sleeper: sleeper,
            baseURL: "https://vssps.example.test")
    }

    func createOne() async throws -> StoredCredential {
        let transport = ScriptedTransport([patAnswer(id: "id-1", validTo: "2027-01-22T00:00:00Z", token: "pat-1")])
        return try await manager.create(
            organization: "contoso", client: client(transport), displayName: "git-credential-azdo on host",
            scopes: ["vso.code_write"], days: 90, username: "contoso")
    }

    @Test("create asks for now + days, stores what the service granted (policy may clamp it)")
    func create() async throws {
        let transport = ScriptedTransport([patAnswer(id: "id-1", validTo: "2027-01-22T00:00:00Z", token: "pat-1")])
        let credential = try await manager.create(
            organization: "contoso", client: client(transport), displayName: "git-credential-azdo on host",
            scopes: ["vso.code", "vso.code_write"], days: 90, username: "contoso")
        let body = try JSONSerialization.jsonObject(with: try #require(transport.sent.first?.body)) as? [String: Any]
        #expect(body?["validTo"] as? String == "2027-02-21T00:00:00.000Z")
        #expect(body?["scope"] as? String == "vso.code vso.code_write")
        #expect(credential.metadata.validTo == 1_800_576_000)
        #expect(credential.metadata.authorizationID == "id-1")
        #expect(credential.metadata.source == .created)
        #expect(store.items.map(\.credential) == [credential])
        #expect(credential.secret == Secret("pat-1"))
    }

    @Test("a created PAT that cannot be stored is revoked again: no orphan on the server")
    func createThenStoreFails() async throws {
        store.failure = .locked(.keePassXC)
        let transport = ScriptedTransport([
            patAnswer(id: "id-9", validTo: "2027-01-22T00:00:00Z", token: "pat-9"),
            .success(HTTPResponse(status: 204)),
        ])
        await #expect(throws: PATManagerError.keyring(.locked(.keePassXC))) {
            try await manager.create(
                organization: "contoso", client: client(transport), displayName: "n", scopes: ["vso.code"], days: 30,
                username: "u")
        }
        #expect(transport.sent.map(\.method) == ["POST", "DELETE"])
        #expect(transport.sent[1].url.hasSuffix("authorizationId=id-9"))
    }

    @Test("a refused create stores nothing; bad arguments never reach the API")
    func createRefused() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, headers: json, body: try fixture(
            "create-policy-violation.json")))])
        await #expect(throws: PATManagerError.self) {
            try await manager.create(
                organization: "contoso", client: client(transport), displayName: "n", scopes: ["app_token"], days: 30,
                username: "u")
        }
        #expect(store.items.isEmpty)
        await #expect(throws: PATManagerError.invalidDays(0)) {
            try await manager.create(
                organization: "contoso", client: client(transport), displayName: "n", scopes: ["vso.code"], days: 0,
                username: "u")
        }
        #expect(transport.sent.count == 1)
    }

    @Test("extend reads the token afresh, sends it whole with the new expiry, keeps the secret and one item")
    func extend() async throws {
        _ = try await createOne()
        let transport = ScriptedTransport([
            patAnswer(id: "id-1", validTo: "2027-01-22T00:00:00Z", scope: "vso.code vso.packaging"),
            patAnswer(id: "id-1", validTo: "2027-03-01T00:00:00Z", scope: "vso.code vso.packaging"),
        ])
        let extended = try await manager.extend(organization: "contoso", client: client(transport), days: 98)
        #expect(extended.secret == Secret("pat-1"))
        #expect(extended.metadata.validTo == 1_803_859_200)
        #expect(store.items.map(\.credential) == [extended])
        #expect(transport.sent.map(\.method) == ["GET", "PUT"])
        #expect(transport.sent.first?.url.contains("authorizationId=id-1") == true)
        let body = try JSONSerialization.jsonObject(with: try #require(transport.sent.last?.body)) as? [String: Any]
        #expect(body?["authorizationId"] as? String == "id-1")
        #expect(body?["validTo"] as? String == "2027-03-01T00:00:00.000Z")
        #expect(body?["scope"] as? String == "vso.code vso.packaging")
        #expect(body?["displayName"] as? String == "git-credential-azdo on host")
        #expect(body?["allOrgs"] as? Bool == false)
    }

    @Test("revoke revokes on the server, then removes the item")
    func revoke() async throws {
        _ = try await createOne()
        let transport = ScriptedTransport([.success(HTTPResponse(status: 204))])
        try await manager.revoke(organization: "contoso", client: client(transport))
        #expect(transport.sent.first?.url.hasSuffix("authorizationId=id-1") == true)
        #expect(store.items.isEmpty)
    }

    @Test("a failing revoke keeps the working PAT; a PAT the server no longer knows is removed")
    func revokeFailures() async throws {
        _ = try await createOne()
        let down = ScriptedTransport(Array(repeating: .success(HTTPResponse(status: 500)), count: 3))
        await #expect(throws: PATManagerError.api(.api(.serverError(status: 500)))) {
            try await manager.revoke(organization: "contoso", client: client(down))
        }
        #expect(store.items.count == 1)

        let gone = ScriptedTransport([.success(HTTPResponse(status: 200, headers: json, body: Data(
            #"{"patToken":null,"patTokenError":"authorizationNotFound"}"#.utf8)))])
        try await manager.revoke(organization: "contoso", client: client(gone))
        #expect(store.items.isEmpty)
    }

    @Test("extend and revoke need a PAT this tool created")
    func needsManagedPAT() async throws {
        store.seed(StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: "contoso", username: "u", secret: Secret("typed"),
            metadata: PATMetadata(source: .typed, storedAt: 1)))
        let transport = ScriptedTransport([])
        await #expect(throws: PATManagerError.noManagedPAT(organization: "contoso")) {
            try await manager.extend(organization: "contoso", client: client(transport), days: 30)
        }
        #expect(transport.sent.isEmpty)
        #expect(store.items.count == 1)
    }
}
