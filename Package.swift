// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

#if arch(arm64)
let multiarchTriple = "aarch64-linux-gnu"
#else
let multiarchTriple = "x86_64-linux-gnu"
#endif

// `pkg-config --cflags libsecret-1` without its link flags (a system library target would
// link libsecret at start-up). glibconfig.h sits in an architecture's own directory: Debian's
// multiarch path first, then the one other distributions use.
let libsecretHeaderFlags = [
    "/usr/include/libsecret-1", "/usr/include/glib-2.0",
    "/usr/lib/\(multiarchTriple)/glib-2.0/include", "/usr/lib64/glib-2.0/include", "/usr/lib/glib-2.0/include",
].flatMap { ["-I", $0] }

let package = Package(
    name: "git-credential-azdo",
    products: [
        .executable(name: "git-credential-azdo", targets: ["git-credential-azdo"]),
        .executable(name: "git-credential-azdo-lifecycle", targets: ["git-credential-azdo-lifecycle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // The only C in the package: the item schema and a glib-free API over libsecret, GDBus
        // and its own small D-Bus client for lookups (wire.h). It compiles against libsecret's
        // headers (libsecret-1-dev, libglib2.0-dev) but links nothing: it loads gio and
        // libsecret with dlopen when first needed (see library.h).
        .target(name: "CAzdoSecret", cSettings: [.unsafeFlags(libsecretHeaderFlags)]),
        // Everything testable without a keyring: protocol, remotes, get/store/erase rules.
        .target(name: "AzdoCredential"),
        // The PAT Lifecycle Management API's JSON and error rules (off the get/store/erase path).
        .target(name: "AzdoLifecycle", dependencies: ["AzdoCredential"]),
        // The Azure DevOps and Entra emulator's logic, independent of any HTTP server.
        .target(name: "AzdoEmulatorCore", dependencies: ["AzdoLifecycle"]),
        // The real HTTPS transport (AsyncHTTPClient: static, adds ~1 ms start-up, unlike
        // FoundationNetworking's ~5 ms), honouring HTTPS_PROXY/NO_PROXY.
        .target(
            name: "AzdoNetwork",
            dependencies: [
                "AzdoCredential", "AzdoLifecycle", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        // The emulator as a loopback HTTP server, for tests and the demo (not installed).
        .executableTarget(
            name: "azdo-emulator",
            dependencies: [
                "AzdoEmulatorCore", "AzdoLifecycle",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // The Secret Service store behind the `CredentialStore` seam.
        .target(name: "AzdoKeyring", dependencies: ["AzdoCredential", "CAzdoSecret"]),
        // git's get/store/erase against the keyring, with no argument parser and no Foundation.
        .target(name: "AzdoGitHelper", dependencies: ["AzdoCredential", "AzdoKeyring"]),
        // The parsed commands for git's actions and configure/unconfigure, part of the
        // lifecycle executable's whole command tree (help, completions, manual).
        .target(
            name: "AzdoHelperCommands",
            dependencies: [
                "AzdoCredential", "AzdoGitHelper",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What git runs: get/store/erase itself; anything else is exec'd to the lifecycle
        // executable, so git's calls never load the argument parser, Foundation or the network.
        .executableTarget(name: "git-credential-azdo", dependencies: ["AzdoCredential", "AzdoGitHelper"]),
        // Every command for people, and the whole tree's help: exec'd by git-credential-azdo.
        .executableTarget(
            name: "git-credential-azdo-lifecycle",
            dependencies: [
                "AzdoCredential", "AzdoHelperCommands", "AzdoKeyring", "AzdoLifecycle", "AzdoNetwork",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets for the credential protocol, the PAT API's answers and the D-Bus
        // messages the keyring lookup reads (make fuzz);
        // built normally, it replays the checked-in corpus.
        .executableTarget(
            name: "azdo-fuzz", dependencies: ["AzdoCredential", "AzdoLifecycle", "CAzdoSecret"], path: "Tests/Fuzz",
            exclude: ["corpus", "capture-dbus-corpus.py"]),
        // Processes, paths, throwaway keyring sessions and a git server for the tests.
        .target(name: "AzdoTestSupport", dependencies: ["AzdoCredential"], path: "Tests/AzdoTestSupport"),
        .testTarget(name: "AzdoCredentialTests", dependencies: ["AzdoCredential", "AzdoTestSupport"]),
        .testTarget(
            name: "AzdoLifecycleTests", dependencies: ["AzdoLifecycle", "AzdoCredential", "AzdoTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "AzdoEmulatorTests",
            dependencies: ["AzdoEmulatorCore", "AzdoLifecycle", "AzdoCredential", "AzdoNetwork", "AzdoTestSupport"]),
        .testTarget(
            name: "AzdoKeyringTests", dependencies: ["AzdoCredential", "AzdoKeyring", "AzdoTestSupport", "CAzdoSecret"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "AzdoCredential", "AzdoKeyring", "AzdoLifecycle", "AzdoNetwork", "AzdoTestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system && target.name != "CAzdoSecret" {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
