/// Where PATs live. The real one is the Secret Service keyring (`SecretServiceStore`);
/// logic tests use an in-memory one.
public protocol CredentialStore: Sendable {
    /// Every credential stored for `organization` on `server`, secrets included.
    func credentials(server: String, organization: String) throws(KeyringError) -> [StoredItem]

    /// Adds `credential` as a new item, leaving existing items alone.
    func add(_ credential: StoredCredential) throws(KeyringError)

    /// Deletes the item with `id`; deleting an item that is already gone succeeds.
    func remove(id: String) throws(KeyringError)
}
