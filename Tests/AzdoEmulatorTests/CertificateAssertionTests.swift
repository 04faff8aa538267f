import AzdoCredential
import AzdoTestSupport
import Foundation
import Testing
@testable import AzdoAPI
@testable import AzdoEmulatorCore

/// A service principal's certificate assertion, signed by the client (`ClientAssertion`) and
/// checked by the emulator the way Entra checks it.
@Suite("Certificate client assertions")
struct CertificateAssertionTests {
    let audience = "http://127.0.0.1:1/tenant/oauth2/v2.0/token"
    let now: Int64 = 1_795_392_000

    @Test("a signed assertion holds; a changed claim, another audience or an expired one is refused")
    func signAndCheck() throws {
        let (certificate, key) = try TestCertificate.make(name: "t")
        let pem = Array((key + certificate).utf8)
        let assertion = try ClientAssertion.signed(pem: pem, clientID: "app", tokenURL: audience, now: now, path: "p").value
        #expect(Emulator.checkCertificateAssertion(assertion, certificate: certificate, client: "app", audience: audience, now: now) == nil)
        let parts = assertion.split(separator: ".").map(String.init)
        let header = try #require(Emulator.base64URLDecoded(parts[0]))
        #expect(String(decoding: header, as: UTF8.self).contains(#""x5t#S256":""#))

        // The payload names another client; the signature no longer matches.
        let claims = String(decoding: try #require(Emulator.base64URLDecoded(parts[1])), as: UTF8.self)
            .replacingOccurrences(of: #""sub":"app""#, with: #""sub":"evil""#)
        let forged = [parts[0], Emulator.base64URL(Data(claims.utf8)), parts[2]].joined(separator: ".")
        #expect(Emulator.checkCertificateAssertion(forged, certificate: certificate, client: "app", audience: audience, now: now)
            == "AADSTS700027: Client assertion failed signature validation.")
        #expect(Emulator.checkCertificateAssertion(
            assertion, certificate: certificate, client: "app", audience: audience + "x", now: now)?.hasPrefix("AADSTS700016") == true)
        #expect(Emulator.checkCertificateAssertion(
            assertion, certificate: certificate, client: "app", audience: audience, now: now + 601)?.hasPrefix("AADSTS700024") == true)
        #expect(throws: IdentityError.certificateUnusable(path: "p", detail: "it holds no private key")) {
            try ClientAssertion.signed(pem: Array(certificate.utf8), clientID: "app", tokenURL: audience, now: now, path: "p")
        }
    }
}
