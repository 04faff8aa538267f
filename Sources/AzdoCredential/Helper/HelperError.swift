/// Why `store` or `erase` did nothing. `get` never fails: it reports and stays silent.
public enum HelperError: Error, Equatable, Sendable, CustomStringConvertible {
    /// stdin was not valid credential-protocol input.
    case invalidInput(CredentialProtocolError)
    /// The request is for Azure DevOps but names no usable organization or scheme.
    case refused(RemoteRefusal)
    /// `store` got no password, or an empty one.
    case missingPassword
    /// The keyring failed.
    case keyring(KeyringError)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .invalidInput(let error): return error.description
        case .refused(let refusal): return refusal.description
        case .missingPassword:
            return "nothing stored: git sent no password (its 'password=' line is missing or empty); "
                + "paste the PAT at git's password prompt"
        case .keyring(let error): return error.description
        }
    }
}
