import AzdoEmulatorCore
import FoundationEssentials
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

// azdo-emulator --port-file FILE [--port N] [--git-root DIR]
// Serves the Azure DevOps and Entra emulator on 127.0.0.1 until SIGTERM; with --git-root,
// also git smart HTTP for DIR/{org}/{project}/_git/{repo}, for PATs the emulator issued.
// With AZDO_EMULATOR_ISSUED_LOG set (by Tests/Support/leak-watch.sh only), every secret it
// issues is appended to that file, so the test suite can look for it everywhere else.
var arguments = CommandLine.arguments.dropFirst()
var portFile: String?
var gitRoot: String?
var port = 0
while let argument = arguments.popFirst() {
    switch argument {
    case "--port-file": portFile = arguments.popFirst()
    case "--port": port = Int(arguments.popFirst() ?? "") ?? 0
    case "--git-root": gitRoot = arguments.popFirst()
    default:
        FileHandleWriter.standardError("azdo-emulator: unknown argument \(argument); usage: azdo-emulator --port-file FILE [--port N] [--git-root DIR]\n")
        exit(64)
    }
}

let emulator = Emulator(now: { Int64(time(nil)) }, onIssue: IssuedLog.appender(path: getenv("AZDO_EMULATOR_ISSUED_LOG")))
let git = gitRoot.map { GitBackend(root: $0) }
let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelInitializer { channel in
        channel.pipeline.configureHTTPServerPipeline().flatMap {
            channel.pipeline.addHandler(EmulatorHandler(emulator: emulator, git: git))
        }
    }
    .bind(host: "127.0.0.1", port: port).get()
let boundPort = channel.localAddress?.port ?? 0
if let portFile {
    FileHandleWriter.write("\(boundPort)\n", toFileAtomically: portFile)
}
FileHandleWriter.standardError("azdo-emulator: listening on http://127.0.0.1:\(boundPort)\n")
signal(SIGTERM) { _ in exit(0) }
try await channel.closeFuture.get()
