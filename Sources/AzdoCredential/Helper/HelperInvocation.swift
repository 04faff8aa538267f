/// What `git-credential-azdo` does with its arguments, decided without an argument parser:
/// git starts the helper for every fetch and push, so that path links nothing it does not need.
public enum HelperInvocation: Equatable, Sendable {
    /// git's `get`, `store` or `erase`, with no other argument.
    case action(HelperProgram.Action)
    /// `--version`.
    case version
    /// An action git added after this version: exit 0 and say nothing, as git requires.
    case ignored
    /// Everything else (the commands for people, help, completions, options, mistakes)
    /// goes to `git-credential-azdo-lifecycle`, which parses the whole command tree.
    case forward

    /// The commands the lifecycle executable answers besides git's actions.
    public static let forwardedCommands: Set<String> = [
        "configure", "unconfigure", "help",
        "login", "pat", "status", "doctor", "import", "refresh", "daemon", "refresher", "access-token",
    ]

    /// Classifies the arguments after the program name.
    public init(arguments: [String]) {
        guard let first = arguments.first else {
            self = .forward
            return
        }
        if arguments.count == 1, let action = HelperProgram.Action(rawValue: first) {
            self = .action(action)
        } else if arguments == ["--version"] {
            self = .version
        } else if first.hasPrefix("-") || HelperProgram.Action(rawValue: first) != nil
            || Self.forwardedCommands.contains(first)
        {
            self = .forward
        } else {
            self = .ignored
        }
    }
}
