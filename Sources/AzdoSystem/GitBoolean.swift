/// Booleans as git's config parser reads them.
public enum GitBoolean {
    /// `true`, `yes`, `on` and non-zero numbers are true (case-insensitive); all else is false.
    public static func parse(_ value: String) -> Bool {
        switch value.lowercased() {
        case "true", "yes", "on": return true
        default: return Int(value).map { $0 != 0 } ?? false
        }
    }
}
