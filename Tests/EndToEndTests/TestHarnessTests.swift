import AzdoTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The guards that keep one stuck child from stalling the whole test run.
@Suite("Test harness: no child outlives its test or stalls the run")
struct TestHarnessTests {
    @Test("a child still running at the limit is killed, and the result says so")
    func hungChildIsKilled() throws {
        let result = try ProcessRunner.run(command: "sleep", ["60"], limitSeconds: 1)
        #expect(result.status == 137)
        #expect(result.standardError == "ProcessRunner: env sleep killed after 1 s\n")
    }

    @Test("a child killed at the limit takes what it started with it")
    func grandchildIsKilledToo() throws {
        let result = try ProcessRunner.run(command: "sh", ["-c", "sleep 600 & echo $!; exec sleep 60"], limitSeconds: 1)
        #expect(result.status == 137)
        let grandchild = try #require(Int32(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcessTree.hasExited(grandchild), "process \(grandchild) is still there")
        kill(grandchild, SIGKILL)
    }

    @Test("a background process is killed when the test lets go of it")
    func backgroundProcessDiesWithItsTest() throws {
        var pid: Int32 = 0
        do {
            let background = BackgroundProcesses()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sleep")
            process.arguments = ["60"]
            try background.run(process)
            pid = process.processIdentifier
            #expect(kill(pid, 0) == 0)
        }
        #expect(ProcessTree.hasExited(pid), "process \(pid) is still there")
    }

    @Test("waiting for a line ends when the writer closes the pipe without writing it")
    func waitEndsAtEndOfOutput() async throws {
        let output = OutputBuffer()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf 'no code here'"]
        process.standardOutput = output.pipe
        let background = BackgroundProcesses()
        try background.run(process)
        #expect(await output.wait(for: "enter the code", within: 120) == false)
        #expect(await output.end(within: 10) == "no code here")
        #expect(await process.exit(within: 10))
        #expect(process.terminationStatus == 0)
    }
}
