/// The version both executables report.
public enum GitCredentialAzdoVersion {
    /// The release version.
    public static let current = "0.1.0"
}
