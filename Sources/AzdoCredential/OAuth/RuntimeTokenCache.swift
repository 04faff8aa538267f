public import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// Where a workload identity's access token is cached when there is no keyring (CI runners,
/// servers): one file per identity in `$XDG_RUNTIME_DIR/git-credential-azdo`, else
/// `/dev/shm/git-credential-azdo-UID`. Both are memory file systems, so the token never
/// reaches a persistent disk. The directory must belong to this user with mode 0700, and
/// each file is written 0600 and read only if it still is; anything else is not trusted,
/// and the token is fetched again instead. One token serves every organization.
public struct RuntimeTokenCache: AccessTokenStore {
    private let file: String?

    /// The cache of `identity`, in `directory` (nil: none could be made).
    public init(identity: WorkloadIdentity, directory: String? = RuntimeTokenCache.directory()) {
        file = directory.map { "\($0)/token-\(identity.cacheName)" }
    }

    /// The private directory, created if needed; nil when neither place is usable.
    public static func directory(environment: (String) -> String? = { Environment.value($0) }) -> String? {
        var candidates: [String] = []
        if let runtime = environment("XDG_RUNTIME_DIR"), runtime.hasPrefix("/") {
            candidates.append(runtime + "/git-credential-azdo")
        }
        candidates.append("/dev/shm/git-credential-azdo-\(getuid())")
        return candidates.first { path in
            _ = mkdir(path, 0o700)
            var info = stat()
            return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == getuid()
                && info.st_mode & 0o077 == 0
        }
    }

    /// The lock file that serializes fetching this identity's token.
    public var lockFile: String? { file.map { $0 + ".lock" } }

    /// The cached token, if the file is this user's alone; server and organization do not
    /// matter: an identity's token is valid for every organization it was granted.
    public func accessTokens(server: String, organization: String) throws(KeyringError)
        -> [(id: String, token: CachedAccessToken)]
    {
        guard let file else { return [] }
        let descriptor = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        var info = stat()
        let isPrivate = fstat(descriptor, &info) == 0 && info.st_uid == getuid() && info.st_mode & 0o077 == 0
        close(descriptor)
        guard isPrivate, let bytes = StateFile.read(file),
            let token = LifecycleAccessTokenRenewer.parse(
                String(decoding: bytes, as: UTF8.self), server: server, organization: organization)
        else { return [] }
        return [(file, token)]
    }

    /// Writes `token` (mode 0600, replacing the file atomically).
    public func saveAccessToken(_ token: CachedAccessToken) throws(KeyringError) {
        guard let file else { return }
        _ = StateFile.replace(file, with: Array(LifecycleAccessTokenRenewer.answer(for: token).utf8))
    }

    /// Removes the cached token.
    public func removeAccessToken(id: String) throws(KeyringError) {
        _ = StateFile.remove(id)
    }
}
