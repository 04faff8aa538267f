import AzdoCredential
import AzdoTestSupport
import Testing

/// Random parser inputs built from bytes that matter to the protocol.
enum ParserFuzz {
    /// Bytes the parser treats specially, plus UTF-8 lead, continuation and invalid bytes.
    static let interesting: [UInt8] = Array("=\n\r\0a[]".utf8) + [0xC3, 0xA9, 0x80, 0xFF, 0xE2, 0xF0]

    /// Valid requests to mutate; the first ones resolve to an organization with a stored PAT.
    static let seeds: [String] = [
        "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=dev.azure.com\npath=contoso/Web/_git/site\n"
            + "wwwauth[]=Basic realm=\"x\"\n\n",
        "protocol=https\nhost=contoso.visualstudio.com\nusername=contoso\n\n",
        "url=https://contoso@dev.azure.com/contoso/_git/repo\r\n\r\n",
        "protocol=https\nhost=dev.azure.com\nusername=contoso\nstate[]=azdo:x\nephemeral=1\nquit=0\n",
        "protocol=https\nhost=dev.azure.com\npath=fabrikam/x\npassword=p\npassword_expiry_utc=1767225600\n\nafter=1\n",
    ]

    static func byte(using rng: inout SplitMix64) -> UInt8 {
        Int.random(in: 0..<10, using: &rng) < 7
            ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
    }

    static func randomInput(using rng: inout SplitMix64) -> [UInt8] {
        (0..<Int.random(in: 0...512, using: &rng)).map { _ in byte(using: &rng) }
    }

    static func mutatedInput(using rng: inout SplitMix64) -> [UInt8] {
        var bytes = Array(seeds.randomElement(using: &rng)!.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = Int.random(in: 0...bytes.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0 where position < bytes.count:
                bytes[position] = Bool.random(using: &rng)
                    ? bytes[position] ^ (1 << UInt8.random(in: 0...7, using: &rng)) : byte(using: &rng)
            case 1:
                bytes.insert(byte(using: &rng), at: position)
            default:
                if position < bytes.count { bytes.remove(at: position) }
            }
        }
        return bytes
    }

    /// Whether a NUL byte occurs before the first blank line (`\n` or `\r\n` alone) or the end.
    static func hasNULBeforeBlankLine(_ bytes: [UInt8]) -> Bool {
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.isEmpty || line.elementsEqual([0x0D]) { return false }
            if line.contains(0) { return true }
        }
        return false
    }
}

@Suite("Parser properties")
struct ParserPropertyTests {
    static let allowedOutputKeys: Set<Substring> = [
        "username", "password", "password_expiry_utc", "capability[]", "authtype", "credential", "ephemeral",
        "continue", "state[]", "quit",
    ]

    /// What checking a batch of inputs found.
    struct Findings {
        var parsed = 0
        var refused = 0
        var answered = 0
        var problems: [String] = []

        mutating func problem(_ text: String, _ input: [UInt8]) {
            if problems.count < 10 { problems.append("\(text): \(input)") }
        }
    }

    /// Parses each input, and runs `get` through a helper program for every one that parses.
    static func check(_ inputs: [[UInt8]]) -> Findings {
        let fixture = HelperFixture()
        fixture.seed("contoso", secret: "pat-contoso", validTo: HelperFixture.defaultNow + 1_000)
        fixture.seed("fabrikam", user: "someone", secret: "pat-fabrikam")
        var findings = Findings()
        for input in inputs {
            do {
                _ = try CredentialParser.parse(input)
                findings.parsed += 1
                if ParserFuzz.hasNULBeforeBlankLine(input) { findings.problem("parsed despite a NUL", input) }
            } catch {
                findings.refused += 1
                if error.description.isEmpty || error.description.contains(where: \.isNewline) {
                    findings.problem("error description is not one line", input)
                }
                continue
            }
            let outcome = fixture.program.run(.get, input: input)
            if outcome.exitStatus != 0 { findings.problem("get exited \(outcome.exitStatus)", input) }
            let output = outcome.standardOutput
            guard !output.isEmpty else { continue }
            findings.answered += 1
            if output.last != "\n" { findings.problem("output does not end in a newline", input) }
            for line in output.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                guard let equals = line.firstIndex(of: "="), Self.allowedOutputKeys.contains(line[..<equals]) else {
                    findings.problem("unexpected output line \(line)", input)
                    continue
                }
                if line.contains("\r") || line.contains("\0") { findings.problem("control character in output", input) }
            }
        }
        return findings
    }

    @Test("5,000 random byte strings: no crash, one-line errors, NUL always refused, clean get output")
    func randomBytes() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        let findings = Self.check((0..<5_000).map { _ in ParserFuzz.randomInput(using: &rng) })
        #expect(findings.problems.isEmpty, "\(findings.problems)")
        #expect(findings.parsed + findings.refused == 5_000)
        #expect(findings.parsed > 100)
        #expect(findings.refused > 100)
    }

    @Test("5,000 mutations of valid requests: no crash, one-line errors, NUL always refused, clean get output")
    func mutations() {
        var rng = SplitMix64(seed: 0x5EED_0002)
        let findings = Self.check((0..<5_000).map { _ in ParserFuzz.mutatedInput(using: &rng) })
        #expect(findings.problems.isEmpty, "\(findings.problems)")
        #expect(findings.parsed + findings.refused == 5_000)
        #expect(findings.parsed > 500)
        #expect(findings.refused > 100)
        // Many mutations leave a request that still gets the stored PAT, so output is really checked.
        #expect(findings.answered > 200)
    }

    @Test("the NUL detector agrees with hand-written cases")
    func nulDetector() {
        #expect(ParserFuzz.hasNULBeforeBlankLine(Array("a=b\0\n".utf8)))
        #expect(ParserFuzz.hasNULBeforeBlankLine(Array("a=b\r\n\0".utf8)))
        #expect(!ParserFuzz.hasNULBeforeBlankLine(Array("a=b\n\n\0".utf8)))
        #expect(!ParserFuzz.hasNULBeforeBlankLine(Array("a=b\r\n\r\n\0".utf8)))
        #expect(!ParserFuzz.hasNULBeforeBlankLine(Array("a=b\n".utf8)))
    }

    @Test("the generator is deterministic")
    func deterministic() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let a = (0..<4).map { _ in first.next() }
        #expect(a == (0..<4).map { _ in second.next() })
        #expect(Set(a).count == 4)
    }
}
