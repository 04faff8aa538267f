import AzdoCredential
import AzdoSystem
import Synchronization

/// An `ExtraHostSource` with a fixed list of hosts that counts how often it is asked.
final class FakeExtraHostSource: ExtraHostSource {
    let hosts: [ExtraHost]
    private let calls = Mutex(0)

    init(_ hosts: [ExtraHost] = []) {
        self.hosts = hosts
    }

    /// A source allowing each of `entries`, parsed as `azdo.extraHost` values.
    convenience init(parsing entries: String...) throws(ExtraHostError) {
        var hosts: [ExtraHost] = []
        for entry in entries { hosts.append(try ExtraHost(parsing: entry)) }
        self.init(hosts)
    }

    /// How many times `extraHosts(diagnostics:)` was called.
    var callCount: Int { calls.withLock { $0 } }

    func extraHosts(diagnostics: any DiagnosticSink) -> [ExtraHost] {
        calls.withLock { $0 += 1 }
        return hosts
    }
}
