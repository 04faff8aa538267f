import AzdoAPI
import AzdoHTTP
import Testing
@testable import AzdoLifecycle

@Suite("Browser sign-in: choosing the browser, reading the redirect, naming the failures")
struct BrowserSignInPartsTests {
    @Test("$BROWSER's commands come first, in order, with %s or the URL last; then xdg-open, then WSL's")
    func candidates() {
        let url = "https://login.example/authorize?x=1&y=%2F"
        let opener = BrowserOpener(
            environment: ["BROWSER": "firefox --new-window:chromium %s --incognito::", "DISPLAY": ":0"], isWSL: true,
            start: { _ in false })
        let cmdURL = "https://login.example/authorize?x=1^&y=^%2F"
        #expect(opener.candidates(for: url) == [
            ["firefox", "--new-window", url], ["chromium", url, "--incognito"], ["xdg-open", url], ["wslview", url],
            ["explorer.exe", url], ["cmd.exe", "/c", "start", cmdURL],
            ["/mnt/c/Windows/System32/cmd.exe", "/c", "start", cmdURL],
        ])
        #expect(opener.canOpen)
        #expect(opener.open(url) == nil)
    }

    @Test("over SSH (no BROWSER, DISPLAY, WAYLAND_DISPLAY or WSL) no browser can be opened")
    func noBrowser() {
        #expect(!BrowserOpener(environment: ["SSH_CONNECTION": "1 2 3 4", "DISPLAY": ""], isWSL: false).canOpen)
        #expect(BrowserOpener(environment: ["WAYLAND_DISPLAY": "wayland-0"], isWSL: false).canOpen)
    }

    @Test("the first command that starts opens the page")
    func firstThatStarts() {
        let opener = BrowserOpener(
            environment: ["BROWSER": "missing:found"], isWSL: false, start: { $0.first == "found" })
        #expect(opener.open("https://x.example/") == "found")
    }

    @Test("the redirect's query is decoded: %XX, +, and names without values")
    func redirectQuery() {
        let (path, query) = RedirectReceiver.split("/?code=0.A%2Fb%3D&state=s+t&error_description=AADSTS65004%3A+User+declined&flag")
        #expect(path == "/")
        #expect(query["code"] == "0.A/b=")
        #expect(query["state"] == "s t")
        #expect(query["error_description"] == "AADSTS65004: User declined")
        #expect(query["flag"] == "")
        #expect(URLQuery.unescape("100%") == "100%")
        #expect(URLQuery.unescape("%zz") == "%zz")
    }

    @Test("Entra's errors are one line: Conditional Access names the browser sign-in, others keep their AADSTS line only")
    func messages() {
        let blocked = EntraError.service(
            code: "invalid_grant", description: "AADSTS53003: Access has been blocked.\r\nTrace ID: x\r\nTimestamp: y")
        #expect(blocked.description.contains("`git credential-azdo login --browser`"))
        let other = EntraError.service(code: "invalid_client", description: "AADSTS7000218: Something new.\r\nTrace ID: x")
        #expect(other.description == "Microsoft Entra refused the request (invalid_client): AADSTS7000218: Something new.")
        #expect(!other.description.contains("\n"))
        #expect(BrowserSignInFailure.timedOut(seconds: 300).description.contains("within 5 minutes"))
        #expect(BrowserSignInFailure.refused(code: "temporarily_unavailable", description: "AADSTS1: busy").description
            == "Microsoft Entra refused the request (temporarily_unavailable): AADSTS1: busy; nothing was stored")
    }
}
