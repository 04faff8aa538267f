import AzdoSystem

/// The Azure DevOps organization a request is about, and where its token may be sent.
public struct RemoteTarget: Sendable, Equatable {
    /// The server a stored token belongs to: `https://dev.azure.com` for every Azure DevOps
    /// URL form, or `scheme://host[:port]` for a configured extra host.
    public var server: String
    /// The organization, lower-cased (Azure DevOps organization names are case-insensitive).
    public var organization: String
    /// The account git named, when it names one; `nil` when git sent no username or the
    /// username is just the organization (as in Azure DevOps' own clone URLs).
    public var account: String?

    /// Creates a target.
    public init(server: String, organization: String, account: String? = nil) {
        self.server = server
        self.organization = organization
        self.account = account
    }

    /// The server that every Azure DevOps URL form maps to.
    public static let azureDevOpsServer = "https://dev.azure.com"
}

/// Why a request for an Azure DevOps host gets no credential.
public enum RemoteRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request used a scheme other than https (or http on an explicitly allowed loopback host).
    case insecureProtocol(scheme: String, host: String)
    /// Neither the path nor the username names the organization.
    case unknownOrganization(host: String)
    /// The text where the organization should be is not a valid organization name.
    case invalidOrganization(String)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .insecureProtocol(let scheme, let host):
            return "refusing to send a token to \(DisplayText.quoted(host)) over \(DisplayText.quoted(scheme)); use an https:// remote URL"
        case .unknownOrganization(let rawHost):
            let host = DisplayText.quoted(rawHost)
            return "cannot tell the Azure DevOps organization for \(host); run "
                + "`git config --global credential.https://\(host).useHttpPath true` "
                + "or use a remote URL like https://ORG@\(host)/ORG/PROJECT/_git/REPO"
        case .invalidOrganization(let name):
            return "'\(DisplayText.quoted(name))' is not a valid Azure DevOps organization name; check the remote URL"
        }
    }
}

/// The outcome of looking at a request's protocol, host, path and username.
public enum RemoteResolution: Sendable, Equatable {
    /// Not an Azure DevOps host (nor a configured extra host): stay silent so other helpers run.
    case notOurs
    /// An Azure DevOps organization.
    case target(RemoteTarget)
    /// An Azure DevOps host, but no credential may be given; the refusal says why.
    case refused(RemoteRefusal)
}
