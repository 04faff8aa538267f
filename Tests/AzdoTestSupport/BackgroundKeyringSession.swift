public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway keyring session (Tests/Support/keyring-session.sh) that keeps running while
/// a test drives the tool against it, so the test can kill its Secret Service mid-operation.
/// Its keyring files live in `data`, so a later session on the same `data` sees what this
/// one stored.
public final class BackgroundKeyringSession {
    /// The session bus address, for the tool's environment.
    public let busAddress: String
    /// The keyring daemon's process id.
    public let keyringPID: Int32
    private let process: Process
    private let input: Pipe

    /// Starts the session and waits (up to 10 s) until its bus and keyring are up.
    public init(data: URL) throws {
        let info = data.appendingPathComponent("session.\(UUID().uuidString.prefix(8))")
        process = Process()
        process.executableURL = TestPaths.supportScript("keyring-session.sh")
        process.arguments = [
            "--data", data.path, "--", "bash", "-c",
            #"printf '%s\n%s\n' "$DBUS_SESSION_BUS_ADDRESS" "$GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID" > "$1.tmp" && mv "$1.tmp" "$1"; read -r _"#,
            "bash", info.path,
        ]
        input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var lines: [String] = []
        for _ in 0..<500 where lines.count < 2 {
            lines = ((try? String(contentsOf: info, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            if lines.count < 2 { usleep(20_000) }
        }
        guard lines.count == 2, let pid = Int32(lines[1]) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the keyring session did not start"])
        }
        busAddress = lines[0]
        keyringPID = pid
    }

    /// Kills the Secret Service daemon (SIGKILL), as a crash would.
    public func killDaemon() {
        kill(keyringPID, SIGKILL)
    }

    /// Ends the session: the script stops its daemons by PID. Also done on release, so a
    /// test that throws halfway leaves no bus or keyring daemon behind.
    public func end() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { end() }
}
