public import AzdoSystem

/// Where the user's extra hosts come from; asked only for hosts that are not Azure DevOps'
/// own, so the common path never runs `git config`.
public protocol ExtraHostSource: Sendable {
    /// The allowed extra hosts; problems with individual entries go to `diagnostics`.
    func extraHosts(diagnostics: any DiagnosticSink) -> [ExtraHost]
}

/// Maps a request's protocol, host, path and username to an Azure DevOps organization,
/// following the URL forms git can send for Azure Repos:
///
/// - `https://dev.azure.com/{org}/…`: the first path segment (git sends the path only with
///   `credential.useHttpPath`), else the username (`https://{org}@dev.azure.com/…`);
/// - `https://{org}.visualstudio.com/…`: the host's first label;
/// - a configured extra host: as `dev.azure.com`.
///
/// Every Azure DevOps form shares one server, so one organization has one token whichever
/// URL form a remote uses; an extra host's tokens are kept apart under its own server.
public struct RemoteResolver: Sendable {
    private let extraHosts: any ExtraHostSource

    /// Creates a resolver that consults `extraHosts` for hosts Azure DevOps does not own.
    public init(extraHosts: any ExtraHostSource) {
        self.extraHosts = extraHosts
    }

    /// Resolves `request`; `diagnostics` hears about ignored extra-host entries.
    public func resolve(_ request: CredentialRequest, diagnostics: any DiagnosticSink) -> RemoteResolution {
        guard let scheme = request.protocol?.lowercased(), let host = request.host?.lowercased(), !host.isEmpty else {
            return .notOurs
        }
        let (name, port) = HostName.split(host)
        if port == nil || port == "443" {
            if name == "dev.azure.com" {
                guard scheme == "https" else { return .refused(.insecureProtocol(scheme: scheme, host: host)) }
                return organizationFromPath(request, host: host, server: RemoteTarget.azureDevOpsServer)
            }
            if let organization = Self.visualStudioOrganization(name) {
                guard scheme == "https" else { return .refused(.insecureProtocol(scheme: scheme, host: host)) }
                return .target(RemoteTarget(
                    server: RemoteTarget.azureDevOpsServer, organization: organization,
                    account: Self.account(request.username, organization: organization)))
            }
        }
        guard scheme == "https" || scheme == "http" else { return .notOurs }
        let allowed = extraHosts.extraHosts(diagnostics: diagnostics)
        guard allowed.contains(where: { $0.host == host }) else { return .notOurs }
        guard let extra = allowed.first(where: { $0.host == host && $0.scheme == scheme }) else {
            return .refused(.insecureProtocol(scheme: scheme, host: host))
        }
        return organizationFromPath(request, host: host, server: extra.server)
    }

    private func organizationFromPath(_ request: CredentialRequest, host: String, server: String) -> RemoteResolution {
        let path = request.path.map { $0.drop(while: { $0 == "/" }) } ?? ""
        let candidate: Substring
        if let segment = path.split(separator: "/", maxSplits: 1).first {
            candidate = segment
        } else if let username = request.username, !username.isEmpty, !username.contains("@") {
            candidate = Substring(username)
        } else {
            return .refused(.unknownOrganization(host: host))
        }
        guard let organization = OrganizationName.normalized(candidate) else {
            return .refused(.invalidOrganization(String(candidate)))
        }
        return .target(RemoteTarget(
            server: server, organization: organization,
            account: Self.account(request.username, organization: organization)))
    }

    /// `contoso` for `contoso.visualstudio.com`; `nil` for other hosts and for the service's
    /// own multi-label hosts such as `app.vssps.visualstudio.com`.
    static func visualStudioOrganization(_ name: Substring) -> String? {
        let suffix = ".visualstudio.com"
        guard name.hasSuffix(suffix) else { return nil }
        let label = name.dropLast(suffix.count)
        guard !label.contains("."), label != "vs-ssh", label != "app" else { return nil }
        return OrganizationName.normalized(label)
    }

    /// The username as an account name, unless it is empty or just the organization.
    static func account(_ username: String?, organization: String) -> String? {
        guard let username, !username.isEmpty, username.lowercased() != organization else { return nil }
        return username
    }
}
