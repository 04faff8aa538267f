import AzdoSystem

/// Parses git's credential-helper input: `key=value` lines up to a blank line or the end.
///
/// Pure and tolerant where git is tolerant: unknown keys are ignored, `key[]` values
/// accumulate and an empty `key[]=` clears them, a later single value replaces an earlier
/// one, and a trailing CR is dropped as git's line reader does. It is strict where a
/// value could be smuggled: NUL bytes, embedded carriage returns, over-long lines and
/// oversized input are refused.
public enum CredentialParser {
    /// Largest accepted input, in bytes, up to the terminating blank line.
    public static let maximumInputBytes = 1 << 20
    /// Largest accepted line, in bytes, not counting its newline.
    public static let maximumLineBytes = 65_535

    /// Parses `input`; bytes after the first blank line are ignored.
    public static func parse(_ input: some Collection<UInt8>) throws(CredentialProtocolError) -> CredentialRequest {
        var request = CredentialRequest()
        var consumed = 0
        var lineNumber = 0
        var line: [UInt8] = []
        line.reserveCapacity(256)
        var index = input.startIndex
        while true {
            let atEnd = index == input.endIndex
            let byte = atEnd ? 0x0A : input[index]
            if !atEnd {
                consumed += 1
                if consumed > maximumInputBytes { throw .inputTooLarge(limit: maximumInputBytes) }
                index = input.index(after: index)
            }
            guard byte == 0x0A else {
                if line.count == maximumLineBytes { throw .lineTooLong(line: lineNumber + 1, limit: maximumLineBytes) }
                line.append(byte)
                continue
            }
            if atEnd && line.isEmpty { return request }
            lineNumber += 1
            if line.last == 0x0D { line.removeLast() }
            if line.isEmpty { return request }
            try apply(line, number: lineNumber, to: &request)
            line.removeAll(keepingCapacity: true)
            if atEnd { return request }
        }
    }

    private static func apply(_ line: [UInt8], number: Int, to request: inout CredentialRequest)
        throws(CredentialProtocolError)
    {
        if line.contains(0) { throw .nulByte(line: number) }
        guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { throw .missingEquals(line: number) }
        guard let key = String(validating: line[..<equals], as: UTF8.self),
            let value = String(validating: line[(equals + 1)...], as: UTF8.self)
        else { throw .invalidUTF8(line: number) }
        if value.utf8.contains(0x0D) { throw .carriageReturn(line: number, key: key) }
        try assign(key: key, value: value, line: number, to: &request)
    }

    private static func assign(key: String, value: String, line: Int, to request: inout CredentialRequest)
        throws(CredentialProtocolError)
    {
        switch key {
        case "protocol": request.protocol = value
        case "host": request.host = value
        case "path": request.path = value
        case "username": request.username = value
        case "password": request.password = Secret(value)
        case "password_expiry_utc": request.passwordExpiryUTC = Int64(value)
        case "oauth_refresh_token": request.oauthRefreshToken = Secret(value)
        case "url":
            guard let url = GitURL(value) else { throw .invalidURL(line: line) }
            request.resetForURL()
            request.url = value
            url.apply(to: &request)
        case "wwwauth[]": accumulate(value, into: &request.wwwAuth)
        case "capability[]": accumulate(value, into: &request.capabilities)
        case "state[]": accumulate(value, into: &request.state)
        case "authtype": request.authType = value
        case "credential": request.credential = Secret(value)
        case "ephemeral": request.ephemeral = GitBoolean.parse(value)
        case "continue": request.continue = GitBoolean.parse(value)
        case "quit": request.quit = GitBoolean.parse(value)
        default: break
        }
    }

    private static func accumulate(_ value: String, into list: inout [String]) {
        if value.isEmpty { list.removeAll() } else { list.append(value) }
    }
}
