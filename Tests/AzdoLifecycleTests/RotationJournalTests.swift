import AzdoTestSupport
import Foundation
import Testing
@testable import AzdoLifecycle

@Suite("The journal of rotations and creates, and the display names that carry their nonce")
struct RotationJournalTests {
    @Test("an intent written before creates were journaled (no kind) reads as a rotation; a create round-trips")
    func kinds() throws {
        let directory = try TestPaths.temporaryDirectory("journal")
        let old = #"{"nonce":"0a1b2c3d","server":"https://dev.azure.com","organization":"contoso","#
            + #""replacedAuthorizationID":"id-1","displayName":"laptop #0a1b2c3d","startedAt":5}"#
        try Data(old.utf8).write(to: directory.appendingPathComponent("rotation-0a1b2c3d.json"))
        let journal = FileRotationJournal(directory: directory.path)
        let create = RotationIntent(
            kind: .create, nonce: "99999999", server: "https://dev.azure.com", organization: "contoso",
            replacedAuthorizationID: nil, displayName: "laptop ~99999999", startedAt: 6)
        try journal.record(create)
        let intents = try journal.intents().sorted { $0.startedAt < $1.startedAt }
        #expect(intents.map(\.kind) == [.rotation, .create])
        #expect(intents.last == create)
        #expect(intents.first?.replacedAuthorizationID == "id-1")
    }

    @Test("a display name's nonce: ` #` marks a regeneration, ` ~` a first create; the stem drops either")
    func names() {
        #expect(PATName.named("laptop", nonce: "0a1b2c3d", regenerated: false) == "laptop ~0a1b2c3d")
        #expect(PATName.nonce(of: "laptop ~0a1b2c3d") == "0a1b2c3d")
        #expect(PATName.nonce(of: "laptop #0A1B2C3D") == "0A1B2C3D")
        #expect(PATName.nonce(of: "laptop #0a1b2c3") == nil)
        #expect(PATName.nonce(of: "laptop x0a1b2c3d") == nil)
        #expect(PATName.nonce(of: nil) == nil)
        #expect(PATName.isRegenerated("laptop #0a1b2c3d") && !PATName.isRegenerated("laptop ~0a1b2c3d"))
        #expect(PATName.stem("laptop ~0a1b2c3d") == "laptop" && PATName.stem("laptop #0a1b2c3d") == "laptop")
        #expect(PATName.stem("") == "git-credential-azdo" && PATName.stem("laptop") == "laptop")
        #expect(PATName.newNonce().count == 8 && PATName.newNonce().allSatisfy(\.isHexDigit))
    }
}
