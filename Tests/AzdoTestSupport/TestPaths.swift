public import Foundation

/// Where the package's files and built products are, seen from a running test.
public enum TestPaths {
    /// The package root (the directory holding Package.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The build products directory: the test bundle runs from inside it.
    public static let productsDirectory: URL = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: executable)
        while url.pathComponents.count > 1 && !url.lastPathComponent.hasSuffix(".xctest") {
            url.deleteLastPathComponent()
        }
        return url.pathComponents.count > 1 ? url.deletingLastPathComponent() : URL(fileURLWithPath: executable)
            .deletingLastPathComponent()
    }()

    /// The built `git-credential-azdo` executable.
    public static var helper: URL { productsDirectory.appendingPathComponent("git-credential-azdo") }

    /// The built `git-credential-azdo-lifecycle` executable (the commands for people).
    public static var lifecycle: URL { productsDirectory.appendingPathComponent("git-credential-azdo-lifecycle") }

    /// A script under Tests/Support.
    public static func supportScript(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Support/\(name)")
    }

    /// A new empty directory that lives until the test process ends.
    public static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("azdo-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
