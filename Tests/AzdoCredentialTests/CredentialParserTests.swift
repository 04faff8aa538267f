import AzdoCredential
import Testing

/// Parses `text` as UTF-8 bytes.
private func parse(_ text: String) throws(CredentialProtocolError) -> CredentialRequest {
    try CredentialParser.parse(Array(text.utf8))
}

/// The error `bytes` are refused with, or `nil` when they parse.
private func parseError(_ bytes: [UInt8]) -> CredentialProtocolError? {
    do {
        _ = try CredentialParser.parse(bytes)
        return nil
    } catch {
        return error
    }
}

/// Bytes of `text`.
private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Credential parser")
struct CredentialParserTests {
    @Test("every protocol attribute is parsed into its field")
    func everyAttribute() throws {
        let request = try parse(
            """
            url=https://someone:old@example.com/old/path
            capability[]=authtype
            capability[]=state
            protocol=https
            host=dev.azure.com
            path=contoso/Web/_git/site
            username=contoso
            password=pat-1
            password_expiry_utc=1767225600
            oauth_refresh_token=refresh-1
            wwwauth[]=Bearer authorization_uri=https://login.microsoftonline.com/tenant
            wwwauth[]=Basic realm="https://tfsprodweu1.app.visualstudio.com/"
            authtype=basic
            credential=Y3JlZA==
            ephemeral=true
            state[]=azdo:one
            state[]=other:two
            continue=1
            quit=yes

            """)
        #expect(request.url == "https://someone:old@example.com/old/path")
        #expect(request.capabilities == ["authtype", "state"])
        #expect(request.protocol == "https")
        #expect(request.host == "dev.azure.com")
        #expect(request.path == "contoso/Web/_git/site")
        #expect(request.username == "contoso")
        #expect(request.password?.value == "pat-1")
        #expect(request.passwordExpiryUTC == 1_767_225_600)
        #expect(request.oauthRefreshToken?.value == "refresh-1")
        #expect(
            request.wwwAuth == [
                "Bearer authorization_uri=https://login.microsoftonline.com/tenant",
                "Basic realm=\"https://tfsprodweu1.app.visualstudio.com/\"",
            ])
        #expect(request.authType == "basic")
        #expect(request.credential?.value == "Y3JlZA==")
        #expect(request.ephemeral)
        #expect(request.state == ["azdo:one", "other:two"])
        #expect(request.continue)
        #expect(request.quit)
    }

    @Test("an empty input, or one blank line, is an empty request")
    func emptyInput() throws {
        #expect(try parse("") == CredentialRequest())
        #expect(try parse("\n") == CredentialRequest())
        #expect(try parse("\r\n") == CredentialRequest())
    }

    @Test("unknown and differently-cased keys are ignored")
    func unknownKeysIgnored() throws {
        let request = try parse("future=1\nprotocol=https\nfuture[]=x\nPassword=nope\nHOST=nope\nhost=dev.azure.com\n=x\n")
        var expected = CredentialRequest()
        expected.protocol = "https"
        expected.host = "dev.azure.com"
        #expect(request == expected)
    }

    @Test("a value is split at the first '=' and may itself contain '='")
    func splitAtFirstEquals() throws {
        let request = try parse("password=a=b==\nhost=\n")
        #expect(request.password?.value == "a=b==")
        #expect(request.host == "")
    }

    @Test("input ends at the first blank line; what follows is never read")
    func blankLineTerminates() throws {
        let lf = try parse("protocol=https\n\nhost=evil.example\nquit=1\n")
        #expect(lf.protocol == "https")
        #expect(lf.host == nil)
        #expect(!lf.quit)

        let crlf = try parse("protocol=https\r\n\r\nhost=evil.example\r\n")
        #expect(crlf.protocol == "https")
        #expect(crlf.host == nil)

        // Garbage after the blank line (NUL, bad UTF-8, no '=', far too much of it) is not an error.
        let junk = bytes("protocol=https\nhost=dev.azure.com\n\n") + [0, 0xFF, 0x0D, 0x41]
            + [UInt8](repeating: 0x78, count: CredentialParser.maximumInputBytes + 10)
        let request = try CredentialParser.parse(junk)
        #expect(request.host == "dev.azure.com")
    }

    @Test("end of input terminates too, with or without a final newline")
    func endOfInputTerminates() throws {
        let withNewline = try parse("protocol=https\nhost=dev.azure.com\n")
        let withoutNewline = try parse("protocol=https\nhost=dev.azure.com")
        #expect(withNewline.host == "dev.azure.com")
        #expect(withoutNewline == withNewline)
    }

    @Test("a trailing CR is stripped from each line")
    func trailingCarriageReturnStripped() throws {
        let request = try parse("protocol=https\r\nhost=dev.azure.com\r\npassword=pat\r")
        #expect(request.protocol == "https")
        #expect(request.host == "dev.azure.com")
        #expect(request.password?.value == "pat")
    }

    @Test("an empty key[]= clears the list collected so far", arguments: ["wwwauth[]", "capability[]", "state[]"])
    func emptyListValueClears(key: String) throws {
        let request = try parse("\(key)=a\n\(key)=b\n\(key)=\n\(key)=c\n\(key)=d\n")
        let values: [String]
        switch key {
        case "wwwauth[]": values = request.wwwAuth
        case "capability[]": values = request.capabilities
        default: values = request.state
        }
        #expect(values == ["c", "d"])
    }

    @Test("a repeated single-valued key keeps its last value")
    func lastValueWins() throws {
        let request = try parse(
            "host=a.example\nhost=dev.azure.com\npassword=old\npassword=new\nephemeral=true\nephemeral=false\n"
                + "password_expiry_utc=5\npassword_expiry_utc=soon\n")
        #expect(request.host == "dev.azure.com")
        #expect(request.password?.value == "new")
        #expect(!request.ephemeral)
        #expect(request.passwordExpiryUTC == nil)
    }

    @Test("url= resets protocol/host/path/username/password and fills them, percent-decoded")
    func urlFillsFields() throws {
        let request = try parse(
            "protocol=http\nhost=old.example\npath=old\nusername=old\npassword=old\ncapability[]=authtype\n"
                + "url=https://us%40er:p%3As%20s@Dev.Azure.com:443/contoso/Web%20App/_git/site//\n")
        #expect(request.url == "https://us%40er:p%3As%20s@Dev.Azure.com:443/contoso/Web%20App/_git/site//")
        #expect(request.protocol == "https")
        #expect(request.host == "Dev.Azure.com:443")
        #expect(request.path == "contoso/Web App/_git/site")
        #expect(request.username == "us@er")
        #expect(request.password?.value == "p:s s")
        #expect(request.capabilities == ["authtype"])
    }

    @Test("url= without userinfo or path clears the earlier ones; later lines override it")
    func urlResetsAndIsOverridden() throws {
        let cleared = try parse("username=old\npassword=old\npath=old\nurl=https://dev.azure.com\n")
        #expect(cleared.host == "dev.azure.com")
        #expect(cleared.username == nil)
        #expect(cleared.password == nil)
        #expect(cleared.path == nil)

        let overridden = try parse("url=https://contoso@dev.azure.com/contoso/_git/repo\nusername=later\npath=x/y\n")
        #expect(overridden.username == "later")
        #expect(overridden.path == "x/y")
        #expect(overridden.host == "dev.azure.com")
    }

    @Test("url= that is not a URL is refused, as git refuses it")
    func unparsableURL() {
        #expect(parseError(bytes("protocol=https\nhost=dev.azure.com\nurl=not a url\n")) == .invalidURL(line: 3))
    }

    @Test("a malformed percent escape is kept as written, as git's url_decode does")
    func malformedEscapeKept() throws {
        let request = try parse("url=https://a%zz:pw@dev.azure.com/contoso/x%4\n")
        #expect(request.username == "a%zz")
        #expect(request.path == "contoso/x%4")
    }

    @Test(
        "git booleans that are true",
        arguments: ["1", "true", "TRUE", "True", "yes", "YES", "on", "On", "2", "-1"])
    func booleanTrue(value: String) throws {
        let request = try parse("ephemeral=\(value)\ncontinue=\(value)\nquit=\(value)\n")
        #expect(request.ephemeral)
        #expect(request.continue)
        #expect(request.quit)
    }

    @Test(
        "git booleans that are false",
        arguments: ["0", "false", "FALSE", "no", "No", "off", "OFF", "", "garbage", "y", " true", "truee", "0x1"])
    func booleanFalse(value: String) throws {
        let request = try parse("ephemeral=true\ncontinue=true\nquit=true\nephemeral=\(value)\ncontinue=\(value)\nquit=\(value)\n")
        #expect(!request.ephemeral)
        #expect(!request.continue)
        #expect(!request.quit)
    }

    @Test("a non-numeric password_expiry_utc is nil", arguments: ["soon", "", "12abc", "1.5", " 5", "0x10", "99999999999999999999"])
    func nonNumericExpiry(value: String) throws {
        let request = try parse("password_expiry_utc=\(value)\n")
        #expect(request.passwordExpiryUTC == nil)
    }

    @Test("a numeric password_expiry_utc is kept, including 0")
    func numericExpiry() throws {
        #expect(try parse("password_expiry_utc=1767225600\n").passwordExpiryUTC == 1_767_225_600)
        #expect(try parse("password_expiry_utc=0\n").passwordExpiryUTC == 0)
    }

    @Test("any collection of bytes parses, e.g. a slice that does not start at 0")
    func parsesSlices() throws {
        let all = bytes("junk-prefix\nprotocol=https\nhost=dev.azure.com\n")
        let slice = all[12...]
        let request = try CredentialParser.parse(slice)
        #expect(request.protocol == "https")
        #expect(request.host == "dev.azure.com")
    }

    @Test("refused input: the exact error, with a one-line description naming the line", arguments: ParserErrorCase.all)
    func refusedInput(_ example: ParserErrorCase) throws {
        let error = try #require(parseError(example.input))
        #expect(error == example.expected)
        #expect(!error.description.contains("\n"))
        #expect(!error.description.contains("\r"))
        #expect(error.description.hasPrefix("input refused: "))
        if let line = example.line {
            #expect(error.description.contains("line \(line)"))
        }
    }

    @Test("a carriage-return error stays one line when the key itself holds a CR")
    func carriageReturnInKey() {
        let error = parseError(bytes("ke\ry=a\rb\n"))
        #expect(error == .carriageReturn(line: 1, key: "ke\ry"))
        #expect(error?.description.contains(where: \.isNewline) == false)
        #expect(error?.description.contains("'ke\\x0Dy'") == true)
    }

    @Test(
        "url= percent escapes cannot smuggle a newline, CR or NUL into a field",
        arguments: [
            "url=https://dev.azure.com/%0Aevil/_git/r", "url=https://a%0Db@dev.azure.com/contoso/_git/r",
            "url=https://contoso:p%0Aq@dev.azure.com/contoso/_git/r", "url=https://dev.azure.com/con%00toso/_git/r",
        ])
    func urlEscapesCannotSmuggleControlCharacters(line: String) {
        // git refuses such URLs ("url contains a newline in its ... component"); the parser should
        // either refuse the input or leave no such byte in any field.
        #expect(parseError(bytes(line + "\n")) == .invalidURL(line: 1))
    }

    @Test("a line of exactly maximumLineBytes is accepted, one byte more is refused")
    func lineLengthLimit() throws {
        let limit = CredentialParser.maximumLineBytes
        let atLimit = "path=" + String(repeating: "x", count: limit - 5)
        let request = try parse("protocol=https\n\(atLimit)\nhost=dev.azure.com\n")
        #expect(request.path?.utf8.count == limit - 5)
        #expect(request.host == "dev.azure.com")

        let error = parseError(bytes("protocol=https\n\(atLimit)x\nhost=dev.azure.com\n"))
        #expect(error == .lineTooLong(line: 2, limit: limit))
        #expect(error?.description.contains("line 2") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test("input of exactly maximumInputBytes is accepted, one byte more is refused")
    func inputSizeLimit() throws {
        // 1024-byte lines: `a=` + 1021 bytes + newline.
        let line = bytes("a=" + String(repeating: "b", count: 1_021) + "\n")
        let limit = CredentialParser.maximumInputBytes
        #expect(limit % line.count == 0)
        var input: [UInt8] = []
        for _ in 0..<(limit / line.count) { input += line }
        #expect(input.count == limit)
        #expect(parseError(input) == nil)

        let error = parseError(input + bytes("b"))
        #expect(error == .inputTooLarge(limit: limit))
        #expect(error?.description.contains("\(limit) bytes") == true)
        #expect(error?.description.contains("\n") == false)
    }
}

/// One input the parser must refuse, and how.
struct ParserErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    var expected: CredentialProtocolError
    /// The line number the description must mention, if any.
    var line: Int?

    var testDescription: String { name }

    static let all: [ParserErrorCase] = [
        ParserErrorCase(
            name: "NUL in a value", input: bytes("protocol=https\nhost=dev\0.azure.com\n"),
            expected: .nulByte(line: 2), line: 2),
        ParserErrorCase(
            name: "NUL in a key", input: bytes("protocol=https\nhost=a\nus\0er=x\n"), expected: .nulByte(line: 3),
            line: 3),
        ParserErrorCase(
            name: "NUL alone on a line, at end of input", input: bytes("protocol=https\n\0"),
            expected: .nulByte(line: 2), line: 2),
        ParserErrorCase(
            name: "CR inside a value", input: bytes("protocol=https\npassword=a\rb\n"),
            expected: .carriageReturn(line: 2, key: "password"), line: 2),
        ParserErrorCase(
            name: "two trailing CRs leave one in the value", input: bytes("host=a\r\r\n"),
            expected: .carriageReturn(line: 1, key: "host"), line: 1),
        ParserErrorCase(
            name: "missing '='", input: bytes("protocol=https\nhost=dev.azure.com\nusername\n"),
            expected: .missingEquals(line: 3), line: 3),
        ParserErrorCase(
            name: "missing '=' on the last line without newline", input: bytes("protocol=https\nquit"),
            expected: .missingEquals(line: 2), line: 2),
        ParserErrorCase(
            name: "line numbers count CRLF lines", input: bytes("protocol=https\r\nhost=x\r\nbroken\r\n"),
            expected: .missingEquals(line: 3), line: 3),
        ParserErrorCase(
            name: "invalid UTF-8 in a value", input: bytes("protocol=https\nhost=") + [0xC3, 0x28] + bytes("\n"),
            expected: .invalidUTF8(line: 2), line: 2),
        ParserErrorCase(
            name: "invalid UTF-8 in a key", input: [0xFF] + bytes("=x\n"), expected: .invalidUTF8(line: 1), line: 1),
        ParserErrorCase(
            name: "truncated UTF-8 sequence", input: bytes("username=caf") + [0xC3],
            expected: .invalidUTF8(line: 1), line: 1),
        ParserErrorCase(
            name: "line one byte over the limit",
            input: bytes("protocol=https\nhost=x\npath=" + String(repeating: "p", count: CredentialParser.maximumLineBytes - 4)),
            expected: .lineTooLong(line: 3, limit: CredentialParser.maximumLineBytes), line: 3),
        ParserErrorCase(
            name: "a single line longer than the whole input limit",
            input: [UInt8](repeating: UInt8(ascii: "a"), count: CredentialParser.maximumInputBytes + 1),
            expected: .lineTooLong(line: 1, limit: CredentialParser.maximumLineBytes), line: 1),
        ParserErrorCase(
            name: "short lines adding up to more than the input limit",
            input: [UInt8](
                (0..<(CredentialParser.maximumInputBytes / 1_000 + 1)).map { _ in
                    "k=" + String(repeating: "v", count: 997) + "\n"
                }.joined().utf8),
            expected: .inputTooLarge(limit: CredentialParser.maximumInputBytes), line: nil),
    ]
}
