import AzdoCredential
import AzdoHTTP
import AzdoKeyring
import AzdoNetwork
import AzdoTestSupport
import Foundation
import Testing

/// One test's Azure DevOps: the emulator executable with `repositories`, a git sandbox that
/// trusts it as an extra host, and the environment pointing the helper's endpoints at it.
struct EmulatorWorld {
    let server: EmulatorProcess
    let sandbox: GitSandbox
    var environment: [String: String]
    /// What `start` started; killed if it outlives the test.
    let background = BackgroundProcesses()

    /// Starts the world; `tenant` is set explicitly unless nil (then the helper discovers it).
    init(repositories: [String], tenant: String? = uniqueOrganization("tenant")) throws {
        server = try EmulatorProcess(repositories: repositories)
        sandbox = try GitSandbox(extraHosts: ["http://\(server.host)"])
        environment = sandbox.environment
        environment["GIT_CREDENTIAL_AZDO_AUTHORITY"] = server.baseURL
        environment["GIT_CREDENTIAL_AZDO_API_URL"] = server.baseURL
        if let tenant { environment["GIT_CREDENTIAL_AZDO_TENANT"] = tenant }
    }

    /// Runs the installed-style `git-credential-azdo` with `arguments`.
    func cli(_ arguments: [String], input: String = "") throws -> ProcessResult {
        try ProcessRunner.run(TestPaths.helper, arguments, input: input, environment: environment)
    }

    /// Runs git with this world's environment (so a helper that renews a token reaches the
    /// emulator), in `directory` (default: the sandbox's home).
    func git(_ arguments: [String], in directory: URL? = nil) throws -> ProcessResult {
        try ProcessRunner.run(command: "git", arguments, environment: environment, directory: directory ?? sandbox.home)
    }

    /// The helper's `get` for `repository` on the emulator, with `extra` lines first.
    func get(_ repository: String, extra: String = "") throws -> ProcessResult {
        try cli(["get"], input: "\(extra)protocol=http\nhost=\(server.host)\npath=\(repository)\n\n")
    }

    /// Starts the helper with `arguments` in the background (killed if it outlives the
    /// test); stderr goes to `standardError` (a `Pipe` or `FileHandle`), by default nowhere.
    func start(_ arguments: [String], standardError: Any = FileHandle.nullDevice) throws -> Process {
        try start(TestPaths.helper, arguments, standardError: standardError)
    }

    /// Starts `executable` with this world's environment in the background, as `start`.
    func start(_ executable: URL, _ arguments: [String], standardError: Any = FileHandle.nullDevice) throws
        -> Process
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = TestKeyring.childEnvironment(environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = standardError
        try background.run(process)
        return process
    }

    /// Waits (at most two minutes) for a process from `start` to exit; a test failure, and
    /// the process killed, if it does not.
    func finish(_ process: Process, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        if await !process.exit(within: 120) {
            Issue.record("\(what) was still running after two minutes", sourceLocation: sourceLocation)
            ProcessTree.kill(process.processIdentifier)
            process.waitUntilExit()
        }
    }

    /// Runs `fills` loops of `git credential fill` for `repository` and `clones` loops of
    /// `git clone` of it, each at least `minimumRounds` times and until `seconds` have passed.
    /// Every loop is a real shell process tree, so they truly run at once (test tasks would
    /// share the two cooperative threads of a 2-core machine). Returns each output file
    /// (`fill.I.N` for one fill, `clone.I.out` for a clone loop) by name; a failure writes
    /// `FAILED` into it.
    func parallelLoad(fills: Int, clones: Int = 0, repository: String, seconds: Int, minimumRounds: Int) throws
        -> [(name: String, text: String)]
    {
        let outputs = try TestPaths.temporaryDirectory("load")
        var environment = self.environment
        environment["FILL_INPUT"] = "protocol=http\nhost=\(server.host)\npath=\(repository)\n\n"
        environment["REMOTE"] = "http://\(server.host)/\(repository)"
        environment["FILLS"] = String(fills)
        environment["CLONES"] = String(clones)
        environment["RUN_SECONDS"] = String(seconds)
        environment["MIN_ROUNDS"] = String(minimumRounds)
        let load = try ProcessRunner.run(
            command: "bash",
            ["-c", #"""
                end=$((SECONDS + RUN_SECONDS))
                for i in $(seq "$FILLS"); do
                  ( n=0; while [ "$SECONDS" -lt "$end" ] || [ "$n" -lt "$MIN_ROUNDS" ]; do
                      printf "$FILL_INPUT" | git credential fill > "fill.$i.$n" 2>&1 || echo "FAILED $?" >> "fill.$i.$n"
                      n=$((n + 1))
                    done ) &
                done
                for i in $(seq "$CLONES"); do
                  ( n=0; while [ "$SECONDS" -lt "$end" ] || [ "$n" -lt "$MIN_ROUNDS" ]; do
                      rm -rf "clone.$i"
                      git clone -q "$REMOTE" "clone.$i" >> "clone.$i.out" 2>&1 || echo "FAILED $?" >> "clone.$i.out"
                      n=$((n + 1))
                    done ) &
                done
                wait
                """#], environment: environment, directory: outputs)
        #expect(load.status == 0, "\(load.standardError)")
        let results = try FileManager.default.contentsOfDirectory(atPath: outputs.path)
            .filter { $0.hasPrefix("fill.") || $0.hasSuffix(".out") }
            .map { ($0, try String(contentsOf: outputs.appendingPathComponent($0), encoding: .utf8)) }
        // The fills' answers hold PATs; none stays on disk (make test's leak scan checks).
        try FileManager.default.removeItem(at: outputs)
        return results
    }

    /// Calls a control endpoint (`approve?user_code=…`, `fault?kind=…`, `git-log`, …).
    @discardableResult
    func control(_ pathAndQuery: String, method: String = "POST", body: String? = nil) async throws -> HTTPResponse {
        let response = try await server.control(method, pathAndQuery, body: body.map { Data($0.utf8) })
        #expect(response.status == 200, "control \(pathAndQuery): HTTP \(response.status)")
        return response
    }

    /// How many times the emulator granted `grant` (`refresh_token`, `client_credentials`,
    /// `managed_identity`; `_emulator/entra`).
    func grants(_ grant: String) async throws -> Int {
        struct Answer: Decodable { var grants: [String: Int] }
        let body = try await control("entra", method: "GET").body
        return try JSONDecoder().decode(Answer.self, from: body).grants[grant] ?? 0
    }

    /// How many times the emulator redeemed a refresh token.
    func refreshTokenRedemptions() async throws -> Int { try await grants("refresh_token") }

    /// Runs `login` (with `arguments`), approves the code it prints as the user would in a
    /// browser, and returns everything it wrote on stderr.
    func login(_ arguments: [String] = []) async throws -> (status: Int32, standardError: String) {
        let output = OutputBuffer()
        let login = try start(["login"] + arguments, standardError: output.pipe)
        if await output.wait(for: " to authenticate.", within: 120) {
            _ = try await approve(codeIn: output.text)
        }
        await finish(login, "login")
        return (login.terminationStatus, await output.end(within: 10))
    }

    /// Approves, as the user would in a browser, the code a login's output names; false
    /// when the output names none.
    func approve(codeIn output: String) async throws -> Bool {
        guard let marker = output.range(of: "enter the code ") else { return false }
        let code = String(output[marker.upperBound...].prefix { !$0.isWhitespace })
        try await control("approve?user_code=\(code)")
        return true
    }

    /// Signs in and creates a PAT for `organization`; fails the test if either fails.
    func signInAndCreate(_ organization: String, scopes: [String] = ["vso.code_write"]) async throws {
        let login = try await login()
        #expect(login.status == 0, "\(login.standardError)")
        let create = try cli(["pat", "create", "--org", organization, "--days", "30", "--scopes"] + scopes)
        #expect(create.status == 0, "\(create.standardError)")
    }

    /// Creates a PAT that started `lifespan - daysLeft` days ago (the emulator's clock is
    /// moved back while it is made) and expires in `daysLeft` days.
    func createPAT(_ organization: String, daysLeft: Int, lifespan: Int = 30) async throws {
        try await control("clock?offset=\(-(lifespan - daysLeft) * 86_400)")
        let create = try cli(["pat", "create", "--org", organization, "--days", String(daysLeft)])
        try await control("clock?offset=0")
        #expect(create.status == 0, "\(create.standardError)")
    }

    /// Whether the emulator accepts `secret` as a PAT of `organization` (`connectionData`).
    func accepts(_ secret: Secret, organization: String) async throws -> Bool {
        let basic = Data(":\(secret.value)".utf8).base64EncodedString()
        let response = try await CurlTransport(environment: [:], timeoutSeconds: 10).send(HTTPRequest(
            method: "GET", url: "\(server.baseURL)/\(organization)/_apis/connectionData",
            headers: ["Authorization": "Basic \(basic)"]))
        return response.status == 200
    }

    /// The ids of the organization's active PATs, from the API (`pat list --json`).
    func activePATs(_ organization: String) throws -> Set<String> {
        let list = try cli(["pat", "list", "--org", organization, "--json"])
        #expect(list.status == 0, "\(list.standardError)")
        struct Row: Decodable { var authorizationID: String }
        return Set(try JSONDecoder().decode([Row].self, from: Data(list.standardOutput.utf8)).map(\.authorizationID))
    }

    /// The ids of the organization's active PATs as the emulator itself holds them (no
    /// sign-in is used, so a client holding the refresh token is not disturbed).
    func serverPATs(_ organization: String) async throws -> Set<String> {
        let body = try await control("pats?org=\(organization)", method: "GET").body
        struct PATs: Decodable { var active: [String] }
        return Set(try JSONDecoder().decode(PATs.self, from: body).active)
    }

    /// The keyring's PATs for `organization` on the emulator.
    func stored(_ organization: String) throws -> [StoredItem] {
        try SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds).credentials(server: server.baseURL, organization: organization)
    }
}
