/// An item another credential helper stored in the Secret Service.
public struct ForeignItem: Sendable, Equatable {
    /// Its attributes (`xdg:schema` included).
    public var attributes: [String: String]
    /// Its secret.
    public var secret: Secret

    /// Creates an item.
    public init(attributes: [String: String], secret: Secret) {
        self.attributes = attributes
        self.secret = secret
    }
}
