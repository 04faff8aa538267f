import AzdoAPI
import AzdoCredential
import AzdoSystem
import CAzdoSecret
import FoundationEssentials

/// The inputs an attacker controls: what arrives on the helper's stdin, what a server (or
/// anything between) answers the PAT API, and what arrives from the session bus. Each
/// target must never crash, whatever the bytes.
enum FuzzTargets {
    /// `AZDO_FUZZ_TARGET`: `parser` (the default), `pat-json` or `dbus`.
    static let selected = Environment.value("AZDO_FUZZ_TARGET") ?? "parser"

    static func run(_ bytes: UnsafeRawBufferPointer) {
        switch selected {
        case "pat-json": patJSON(bytes)
        case "dbus": dbus(bytes)
        default: parser(bytes)
        }
    }

    /// git's credential protocol, then the answer `get` would print for it.
    static func parser(_ bytes: UnsafeRawBufferPointer) {
        guard let request = try? CredentialParser.parse(Array(bytes)) else { return }
        let resolution = RemoteResolver(extraHosts: NoExtraHosts()).resolve(request, diagnostics: Silent())
        if case .target(let target) = resolution, let password = request.password {
            _ = CredentialResponse(username: target.organization, password: password, passwordExpiryUTC: request.passwordExpiryUTC)
                .serialized(capabilities: request.capabilities)
        }
    }

    /// A PAT API answer: the first byte picks the HTTP status, the rest is the body.
    static func patJSON(_ bytes: UnsafeRawBufferPointer) {
        guard let first = bytes.first else { return }
        let statuses = [200, 200, 200, 203, 204, 400, 401, 403, 404, 429, 500, 503]
        let status = statuses[Int(first) % statuses.count]
        let body = Data(bytes.dropFirst())
        let headers = ["Content-Type": first & 1 == 0 ? "application/json" : "text/html", "Retry-After": String(first)]
        _ = try? PATResponse.token(status: status, headers: headers, body: body)
        _ = try? PATResponse.page(status: status, headers: headers, body: body)
        try? PATResponse.revoked(status: status, headers: headers, body: body)
    }
}

extension FuzzTargets {
    /// Bytes from the session bus: framed into messages as they arrive in pieces, each read
    /// as every reply the keyring lookup reads; then as one message, a bus address and an
    /// authentication answer.
    static func dbus(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        _ = CAzdoSecret_fuzz_wire(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }
}

struct NoExtraHosts: ExtraHostSource {
    func extraHosts(diagnostics: any DiagnosticSink) -> [ExtraHost] { [] }
}

struct Silent: DiagnosticSink {
    func report(_ line: String) {}
}

#if FUZZING
/// libFuzzer's entry point (`swift build -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTargets.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's `main` to this symbol, so libFuzzer's own `main` is never
/// pulled in; it hands over to libFuzzer's driver instead.
@_cdecl("azdo_fuzz_main")
public func fuzzMain(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, fuzzOne)
}
#else
/// Without libFuzzer: runs every file given (or every file of the checked-in corpus) through
/// both targets, so the corpus is replayed by every build.
@main
struct ReplayCorpus {
    static func main() throws {
        var files = CommandLine.arguments.dropFirst().map { $0 }
        if files.isEmpty {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("corpus")
            for directory in ["parser", "pat-json", "dbus"] {
                let folder = root.appendingPathComponent(directory)
                files += try FileManager.default.contentsOfDirectory(atPath: folder.path).map { folder.appendingPathComponent($0).path }
            }
        }
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            data.withUnsafeBytes { bytes in
                FuzzTargets.parser(bytes)
                FuzzTargets.patJSON(bytes)
                FuzzTargets.dbus(bytes)
            }
        }
        print("replayed \(files.count) inputs through the parser, PAT JSON and D-Bus targets")
    }
}
#endif
