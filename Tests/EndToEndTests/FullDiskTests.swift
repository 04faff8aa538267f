import AzdoTestSupport
import Foundation
import Testing

/// Runs commands with one directory on a full file system: a 64 KiB tmpfs, filled up,
/// mounted in a private mount namespace (`unshare -rm`), so nothing outside the command
/// sees it and it vanishes with the command.
enum FullDisk {
    /// Whether this machine lets the tests make private mount namespaces.
    static let available: Bool = {
        guard let result = try? ProcessRunner.run(
            command: "unshare", ["-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"])
        else { return false }
        return result.status == 0
    }()

    /// The script: mounts a tmpfs on `$1`, fills it, then runs the rest of the arguments.
    private static let script = """
        full=$1; shift
        mount -t tmpfs -o size=64k tmpfs "$full" || exit 90
        dd if=/dev/zero of="$full/filler" bs=4k 2>/dev/null
        df -k "$full" | awk 'NR == 2 && $4 != 0 { exit 91 }' || exit 91
        exec "$@"
        """

    /// Runs `executable` with `arguments` while `directory` is a full file system.
    static func run(
        _ executable: URL, _ arguments: [String], fullDirectory directory: String, input: String = "",
        environment: [String: String]
    ) throws -> ProcessResult {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try ProcessRunner.run(
            command: "unshare", ["-rm", "sh", "-c", script, "sh", directory, executable.path] + arguments, input: input,
            environment: environment)
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where private mount namespaces can be made (`unshare -rm`).
    static var fullDisk: Self {
        .enabled(if: FullDisk.available, "needs `unshare -rm` and tmpfs mounts in a user namespace")
    }
}

/// A full disk under each kind of file the tool writes: the refresher's state, the
/// reminder's ledger, the configure include file. Every case: one clear line, the stored
/// PAT untouched and still working, no PAT left behind on the server.
@Suite("A full disk", .privateKeyring, .fullDisk)
struct FullDiskTests {
    @Test("refresh with its state directory full: nothing rotated, no orphan PAT, git still works; later it renews")
    func refreshOnFullState() async throws {
        let organization = uniqueOrganization("fulldisk")
        var world = try EmulatorWorld(repositories: ["\(organization)/p/_git/r"])
        let state = try TestPaths.temporaryDirectory("full-state").path
        world.environment["XDG_STATE_HOME"] = state
        #expect(try await world.login().status == 0)
        try await world.createPAT(organization, daysLeft: 5)
        let before = try world.stored(organization)
        let serverBefore = try world.activePATs(organization)

        let result = try FullDisk.run(TestPaths.helper, ["refresh"], fullDirectory: state, environment: world.environment)
        #expect(result.status == 1)
        let problems = result.errorLines.filter { $0.contains("No space left on device") }
        #expect(problems.count == 1, "\(result.standardError)")
        #expect(problems.first?.contains(state) == true, "names where: \(result.standardError)")
        #expect(try world.stored(organization) == before)
        #expect(try world.activePATs(organization) == serverBefore)
        let remote = try world.sandbox.git(["ls-remote", "http://\(world.server.host)/\(organization)/p/_git/r"])
        #expect(remote.status == 0, "\(remote.standardError)")

        let next = try world.cli(["refresh"])
        #expect(next.status == 0, "\(next.standardError)")
        #expect(next.standardError.contains("\(organization): renewed"))
        #expect(try world.activePATs(organization).count == 1)
        #expect(try world.activePATs(organization) != serverBefore)
    }

    @Test("get near expiry with a full state directory still answers git; the reminder is not lost for good")
    func getOnFullState() async throws {
        let organization = uniqueOrganization("fullget")
        var world = try EmulatorWorld(repositories: ["\(organization)/p/_git/r"])
        let state = try TestPaths.temporaryDirectory("full-get-state").path
        world.environment["XDG_STATE_HOME"] = state
        #expect(try await world.login().status == 0)
        try await world.createPAT(organization, daysLeft: 3)
        let input = "protocol=http\nhost=\(world.server.host)\npath=\(organization)/p/_git/r\n\n"

        let full = try FullDisk.run(
            TestPaths.helper, ["get"], fullDirectory: state, input: input, environment: world.environment)
        #expect(full.status == 0)
        #expect(full.standardOutput.contains("password="))
        #expect(full.errorLines.count == 1, "\(full.standardError)")
        #expect(full.standardError.contains("expires"))

        // The reminder could not be recorded, so the next get (disk freed) reminds again.
        let next = try world.cli(["get"], input: input)
        #expect(next.standardOutput == full.standardOutput)
        #expect(next.standardError.contains("expires"))
    }

    @Test("configure with its config directory full: one line, ~/.gitconfig untouched")
    func configureOnFullConfig() throws {
        let world = try EmulatorWorld(repositories: [])
        let config = try #require(world.environment["XDG_CONFIG_HOME"])
        let home = try #require(world.environment["HOME"])
        let gitconfig = URL(fileURLWithPath: home).appendingPathComponent(".gitconfig")
        let before = try? Data(contentsOf: gitconfig)

        let result = try FullDisk.run(TestPaths.helper, ["configure"], fullDirectory: config, environment: world.environment)
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("No space left on device"))
        #expect((try? Data(contentsOf: gitconfig)) == before)
    }
}
