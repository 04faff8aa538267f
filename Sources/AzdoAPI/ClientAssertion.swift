import AzdoCredential
import AzdoHTTP
import CAzdoTLS

/// The signed JWT a service principal with a certificate presents to Entra instead of a
/// secret (RFC 7523, Microsoft's "certificate credentials"): RS256 with the certificate's
/// private key, its SHA-256 thumbprint in the header's `x5t#S256`, the token endpoint as
/// audience, the client as issuer and subject, and ten minutes of life.
enum ClientAssertion {
    /// The assertion for `clientID` at `tokenURL`, signed with the key in `pem` (which holds
    /// the certificate and its private key).
    static func signed(pem: [UInt8], clientID: String, tokenURL: String, now: Int64, path: String)
        throws(IdentityError) -> Secret
    {
        var thumbprint = [UInt8](repeating: 0, count: 32)
        switch CAzdoTLS_certificate_sha256(pem, pem.count, &thumbprint) {
        case CAZDO_TLS_OK: break
        case CAZDO_TLS_NO_LIBRARY: throw .certificateUnsupported(path: path)
        default: throw .certificateUnusable(path: path, detail: "no certificate in it")
        }
        let header = #"{"alg":"RS256","typ":"JWT","x5t#S256":"\#(PKCE.base64URL(thumbprint))"}"#
        let payload = #"{"aud":"\#(tokenURL)","iss":"\#(clientID)","sub":"\#(clientID)","jti":"\#(PKCE.randomValue())","nbf":\#(now),"iat":\#(now),"exp":\#(now + 600)}"#
        let signingInput = PKCE.base64URL(Array(header.utf8)) + "." + PKCE.base64URL(Array(payload.utf8))
        let data = Array(signingInput.utf8)
        var signature: UnsafeMutablePointer<UInt8>?
        var length = 0
        let result = CAzdoTLS_sign_rs256(pem, pem.count, data, data.count, &signature, &length)
        defer { CAzdoTLS_free(signature, length) }
        switch result {
        case CAZDO_TLS_OK: break
        case CAZDO_TLS_NO_KEY: throw .certificateUnusable(path: path, detail: "it holds no private key")
        default: throw .certificateUnusable(path: path, detail: "signing with its key failed")
        }
        let bytes = Array(UnsafeBufferPointer(start: signature, count: length))
        return Secret(signingInput + "." + PKCE.base64URL(bytes))
    }
}
