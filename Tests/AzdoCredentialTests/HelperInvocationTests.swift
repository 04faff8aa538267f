import AzdoCredential
import Testing

@Suite("What the helper does with its arguments")
struct HelperInvocationTests {
    @Test("git's three actions, alone, run in the helper itself", arguments: HelperProgram.Action.allCases)
    func gitActions(action: HelperProgram.Action) {
        #expect(HelperInvocation(arguments: [action.rawValue]) == .action(action))
    }

    @Test("an action with anything after it goes to the parser, which explains the mistake")
    func actionWithExtras() {
        #expect(HelperInvocation(arguments: ["get", "--help"]) == .forward)
        #expect(HelperInvocation(arguments: ["store", "extra"]) == .forward)
    }

    @Test("actions git may add later are ignored; commands for people are forwarded")
    func unknownAndForwarded() {
        for future in ["capability", "list", "frobnicate", "GET"] {
            #expect(HelperInvocation(arguments: [future]) == .ignored)
        }
        for command in HelperInvocation.forwardedCommands {
            #expect(HelperInvocation(arguments: [command]) == .forward)
            #expect(HelperInvocation(arguments: [command, "--help"]) == .forward)
        }
    }

    @Test("options, no arguments and --version")
    func options() {
        #expect(HelperInvocation(arguments: []) == .forward)
        #expect(HelperInvocation(arguments: ["--help"]) == .forward)
        #expect(HelperInvocation(arguments: ["--generate-completion-script", "bash"]) == .forward)
        #expect(HelperInvocation(arguments: ["--version"]) == .version)
        #expect(HelperInvocation(arguments: ["--version", "x"]) == .forward)
    }
}
