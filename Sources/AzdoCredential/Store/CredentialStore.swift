/// Where PATs live. The real one is the Secret Service keyring (`SecretServiceStore`);
/// logic tests use an in-memory one.
public protocol CredentialStore: Sendable {
    /// Every credential stored for `organization` on `server`, secrets included.
    func credentials(server: String, organization: String) throws(KeyringError) -> [StoredItem]

    /// Every credential stored for any organization on `server`, secrets included.
    func credentials(server: String) throws(KeyringError) -> [StoredItem]

    /// Every credential this tool stored, on any server.
    func allCredentials() throws(KeyringError) -> [StoredItem]

    /// Adds `credential` as a new item, leaving existing items alone.
    func add(_ credential: StoredCredential) throws(KeyringError)

    /// Deletes the item with `id`; deleting an item that is already gone succeeds.
    func remove(id: String) throws(KeyringError)
}

extension CredentialStore {
    /// Stores `credential`, then removes the organization's other items that `supersedes`
    /// selects. Adding first means a concurrent `get` always finds a working credential.
    /// The items are re-read after adding because a store may replace an item with identical
    /// attributes in place (the Secret Service does), so an old id can now hold the new one.
    public func replace(with credential: StoredCredential, superseding supersedes: (StoredCredential) -> Bool)
        throws(KeyringError)
    {
        try add(credential)
        let stale = try credentials(server: credential.server, organization: credential.organization)
            .filter { $0.credential != credential && supersedes($0.credential) }
        for item in stale { try remove(id: item.id) }
    }
}
