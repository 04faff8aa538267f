// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
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
    ],
    targets: [
        // C, part 1: the item schema and a glib-free API over libsecret, GDBus
        // and its own small D-Bus client for lookups (wire.h). It compiles against libsecret's
        // headers (libsecret-1-dev, libglib2.0-dev) but links nothing: it loads gio and
        // libsecret with dlopen when first needed (see library.h).
        .target(name: "CAzdoSecret", cSettings: [.unsafeFlags(libsecretHeaderFlags)]),
        // The process's surroundings over libc, and the seams to them: streams, environment,
        // files, child processes, git's config, the clock, diagnostics. No Foundation: the
        // helper git runs on every fetch is built on it.
        .target(name: "AzdoSystem"),
        // git's credential protocol and the helper's rules: which remotes are Azure DevOps,
        // what get/store/erase do, and the seams to where credentials are kept.
        .target(name: "AzdoCredential", dependencies: ["AzdoSystem"]),
        // The freedesktop Secret Service behind those seams, through the C shim.
        .target(name: "AzdoKeyring", dependencies: ["AzdoCredential", "AzdoSystem", "CAzdoSecret"]),
        // The HTTP seam: requests, responses and the transport protocol. A leaf, so the
        // emulator can serve it without linking the client it checks.
        .target(name: "AzdoHTTP"),
        // The Azure DevOps PAT Lifecycle Management API and Microsoft Entra sign-in.
        .target(name: "AzdoAPI", dependencies: ["AzdoCredential", "AzdoHTTP", "AzdoSystem", "CAzdoTLS"]),
        // A PAT's life: create, list, revoke, import, and the refresher that warns and
        // regenerates (with its journal, daemon loop and notifications).
        .target(
            name: "AzdoLifecycle",
            dependencies: ["AzdoAPI", "AzdoCredential", "AzdoHTTP", "AzdoSystem", "CAzdoSecret"]),
        // Setup and diagnostics: git configuration, migration from other helpers, doctor,
        // status, the systemd user timer.
        .target(
            name: "AzdoSetup",
            dependencies: ["AzdoAPI", "AzdoCredential", "AzdoHTTP", "AzdoKeyring", "AzdoLifecycle", "AzdoSystem"]),
        // C, part 2: libcurl, git's own HTTPS library, behind a small thread-per-transfer API
        // that never follows redirects or reads proxies itself. It compiles against curl.h
        // (libcurl4-gnutls-dev) and loads libcurl with dlopen on the first transfer.
        .target(name: "CAzdoCurl"),
        // C: RS256 signatures with a certificate's key through GnuTLS (dlopen on first use),
        // for service principals' certificate credentials and the emulator's check of them.
        .target(name: "CAzdoTLS"),
        // The real HTTPS transport over CAzdoCurl, honouring HTTPS_PROXY/NO_PROXY.
        .target(name: "AzdoNetwork", dependencies: ["AzdoHTTP", "AzdoSystem", "CAzdoCurl"]),
        // The Azure DevOps and Entra emulator's logic, independent of any HTTP server and of
        // the client code it checks.
        .target(name: "AzdoEmulatorCore", dependencies: ["AzdoHTTP", "CAzdoTLS"]),
        // The emulator as a loopback HTTP server, for tests and the demo (not installed).
        .executableTarget(
            name: "azdo-emulator",
            dependencies: [
                "AzdoEmulatorCore", "AzdoHTTP",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // What git runs: get/store/erase itself; anything else is exec'd to the lifecycle
        // executable, so git's calls never load the argument parser, Foundation or the network.
        .executableTarget(name: "git-credential-azdo", dependencies: ["AzdoCredential", "AzdoKeyring", "AzdoSystem"]),
        // Every command for people, and the whole tree's help: exec'd by git-credential-azdo.
        .executableTarget(
            name: "git-credential-azdo-lifecycle",
            dependencies: [
                "AzdoAPI", "AzdoCredential", "AzdoHTTP", "AzdoKeyring", "AzdoLifecycle", "AzdoNetwork", "AzdoSetup",
                "AzdoSystem", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets for the credential protocol, the PAT API's answers and the D-Bus
        // messages the keyring lookup reads (make fuzz);
        // built normally, it replays the checked-in corpus.
        .executableTarget(
            name: "azdo-fuzz", dependencies: ["AzdoAPI", "AzdoCredential", "CAzdoSecret"], path: "Tests/Fuzz",
            exclude: ["corpus", "capture-dbus-corpus.py"]),
        // Processes, paths, throwaway keyring sessions, the emulator and test doubles for the tests.
        .target(
            name: "AzdoTestSupport", dependencies: ["AzdoAPI", "AzdoCredential", "AzdoHTTP", "AzdoNetwork", "AzdoSystem"],
            path: "Tests/AzdoTestSupport", resources: [.copy("Fixtures")]),
        .testTarget(name: "AzdoCredentialTests", dependencies: ["AzdoCredential", "AzdoSystem", "AzdoTestSupport"]),
        .testTarget(
            name: "AzdoAPITests",
            dependencies: ["AzdoAPI", "AzdoCredential", "AzdoHTTP", "AzdoSystem", "AzdoTestSupport"]),
        .testTarget(
            name: "AzdoLifecycleTests",
            dependencies: ["AzdoAPI", "AzdoCredential", "AzdoHTTP", "AzdoLifecycle", "AzdoSystem", "AzdoTestSupport"]),
        .testTarget(
            name: "AzdoSetupTests",
            dependencies: ["AzdoAPI", "AzdoCredential", "AzdoLifecycle", "AzdoSetup", "AzdoSystem", "AzdoTestSupport"]),
        .testTarget(
            name: "AzdoEmulatorTests",
            dependencies: [
                "AzdoAPI", "AzdoCredential", "AzdoEmulatorCore", "AzdoHTTP", "AzdoLifecycle", "AzdoNetwork", "AzdoSystem",
                "AzdoTestSupport",
            ]),
        .testTarget(
            name: "AzdoKeyringTests",
            dependencies: ["AzdoCredential", "AzdoKeyring", "AzdoSystem", "AzdoTestSupport", "CAzdoSecret"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "AzdoAPI", "AzdoCredential", "AzdoHTTP", "AzdoKeyring", "AzdoLifecycle", "AzdoNetwork", "AzdoSetup",
                "AzdoSystem", "AzdoTestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system && !target.name.hasPrefix("C") {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
