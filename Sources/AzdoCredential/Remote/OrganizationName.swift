/// Azure DevOps organization names: letters, digits and hyphens, 1 to 50 characters,
/// starting and ending with a letter or digit.
public enum OrganizationName {
    /// The lower-cased name, or `nil` when `text` cannot be an organization name.
    public static func normalized(_ text: Substring) -> String? {
        let bytes = Array(text.utf8)
        guard (1...50).contains(bytes.count) else { return nil }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last),
            bytes.allSatisfy({ alphanumeric($0) || $0 == UInt8(ascii: "-") })
        else { return nil }
        return text.lowercased()
    }
}
