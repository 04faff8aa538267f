import AzdoCredential
import Testing

@Suite("Credential response serialization")
struct CredentialResponseTests {
    /// A response using every field.
    static func full() -> CredentialResponse {
        var response = CredentialResponse(username: "contoso", password: Secret("pat-1"), passwordExpiryUTC: 1_767_225_600)
        response.authType = "basic"
        response.credential = Secret("Y3JlZA==")
        response.ephemeral = true
        response.continue = true
        response.state = ["azdo:a", "azdo:b"]
        return response
    }

    @Test("username, password and expiry, in that order")
    func basicFields() {
        let response = CredentialResponse(username: "contoso", password: Secret("pat-1"), passwordExpiryUTC: 1_767_225_600)
        let expected = "username=contoso\npassword=pat-1\npassword_expiry_utc=1767225600\n"
        #expect(response.serialized(capabilities: []) == expected)
        // Declared capabilities add nothing when no gated field is set.
        #expect(response.serialized(capabilities: ["authtype", "state"]) == expected)
    }

    @Test("oauth_refresh_token follows the expiry and needs no capability (git 2.41+ reads it, older git ignores it)")
    func refreshToken() {
        var response = CredentialResponse(username: "contoso", password: Secret("pat-1"), passwordExpiryUTC: 5)
        response.oauthRefreshToken = Secret("xyzzy")
        #expect(response.serialized(capabilities: [])
            == "username=contoso\npassword=pat-1\npassword_expiry_utc=5\noauth_refresh_token=xyzzy\n")
    }

    @Test("absent fields are not written; an empty response is empty text")
    func absentFields() {
        #expect(CredentialResponse().serialized(capabilities: ["authtype", "state"]) == "")
        #expect(CredentialResponse(username: "alice").serialized(capabilities: []) == "username=alice\n")
        #expect(
            CredentialResponse(password: Secret("p"), passwordExpiryUTC: 0).serialized(capabilities: [])
                == "password=p\npassword_expiry_utc=0\n")
    }

    @Test("without capabilities the gated fields are dropped")
    func gatedFieldsDropped() {
        #expect(
            Self.full().serialized(capabilities: [])
                == "username=contoso\npassword=pat-1\npassword_expiry_utc=1767225600\n")
        #expect(
            Self.full().serialized(capabilities: ["something-else"])
                == "username=contoso\npassword=pat-1\npassword_expiry_utc=1767225600\n")
    }

    @Test("with the authtype capability: authtype, credential, ephemeral, continue after capability[]=authtype")
    func authTypeCapability() {
        #expect(
            Self.full().serialized(capabilities: ["authtype"])
                == """
                capability[]=authtype
                username=contoso
                password=pat-1
                password_expiry_utc=1767225600
                authtype=basic
                credential=Y3JlZA==
                ephemeral=true
                continue=true

                """)
    }

    @Test("with the state capability: state[] lines after capability[]=state")
    func stateCapability() {
        #expect(
            Self.full().serialized(capabilities: ["state"])
                == """
                capability[]=state
                username=contoso
                password=pat-1
                password_expiry_utc=1767225600
                state[]=azdo:a
                state[]=azdo:b

                """)
    }

    @Test("with both capabilities every field is written, capability lines first")
    func bothCapabilities() {
        #expect(
            Self.full().serialized(capabilities: ["state", "authtype"])
                == """
                capability[]=authtype
                capability[]=state
                username=contoso
                password=pat-1
                password_expiry_utc=1767225600
                authtype=basic
                credential=Y3JlZA==
                ephemeral=true
                continue=true
                state[]=azdo:a
                state[]=azdo:b

                """)
    }

    @Test("each gated field alone brings its capability line")
    func singleGatedField() {
        var ephemeral = CredentialResponse()
        ephemeral.ephemeral = true
        #expect(ephemeral.serialized(capabilities: ["authtype", "state"]) == "capability[]=authtype\nephemeral=true\n")
        #expect(ephemeral.serialized(capabilities: ["state"]) == "")

        var continued = CredentialResponse()
        continued.continue = true
        #expect(continued.serialized(capabilities: ["authtype"]) == "capability[]=authtype\ncontinue=true\n")

        var credential = CredentialResponse()
        credential.credential = Secret("abc")
        #expect(credential.serialized(capabilities: ["authtype"]) == "capability[]=authtype\ncredential=abc\n")

        var state = CredentialResponse()
        state.state = ["azdo:x"]
        #expect(state.serialized(capabilities: ["state"]) == "capability[]=state\nstate[]=azdo:x\n")
        #expect(state.serialized(capabilities: ["authtype"]) == "")
    }

    @Test("quit needs no capability")
    func quit() {
        var response = CredentialResponse()
        response.quit = true
        #expect(response.serialized(capabilities: []) == "quit=true\n")
    }

    @Test("a value with a newline, carriage return or NUL makes the whole answer nil", arguments: ["\n", "\r", "\0"])
    func unsafeValues(bad: String) {
        let value = "a\(bad)b"
        var username = CredentialResponse(username: value, password: Secret("p"))
        #expect(username.serialized(capabilities: []) == nil)
        username.username = "fine"
        #expect(username.serialized(capabilities: []) == "username=fine\npassword=p\n")

        #expect(CredentialResponse(username: "u", password: Secret(value)).serialized(capabilities: []) == nil)
        #expect(CredentialResponse(password: Secret(bad)).serialized(capabilities: []) == nil)

        var authType = CredentialResponse(username: "u")
        authType.authType = value
        #expect(authType.serialized(capabilities: ["authtype"]) == nil)

        var credential = CredentialResponse(username: "u")
        credential.credential = Secret(value)
        #expect(credential.serialized(capabilities: ["authtype"]) == nil)

        var state = CredentialResponse(username: "u")
        state.state = ["ok", value]
        #expect(state.serialized(capabilities: ["state"]) == nil)
    }

    @Test("an unsafe value in a field that is dropped for lack of capability does no harm")
    func unsafeDroppedValue() {
        var response = CredentialResponse(username: "u")
        response.authType = "a\nb"
        response.state = ["x\ny"]
        #expect(response.serialized(capabilities: []) == "username=u\n")
    }
}
