/// The program that provides the freedesktop Secret Service, so a message can name it and
/// give its own fix.
public enum SecretServiceProvider: String, Sendable, CaseIterable {
    /// GNOME's keyring daemon (also what most other desktops and servers run).
    case gnomeKeyring
    /// KeePassXC with its Secret Service integration on.
    case keePassXC
    /// KDE's KWallet (kwalletd5, kwalletd6).
    case kWallet
    /// Something else, or nobody could tell.
    case unknown

    /// The name people know it by.
    public var name: String {
        switch self {
        case .gnomeKeyring: return "gnome-keyring"
        case .keePassXC: return "KeePassXC"
        case .kWallet: return "KWallet"
        case .unknown: return "the Secret Service"
        }
    }

    /// How to unlock it.
    var unlockFix: String {
        switch self {
        case .gnomeKeyring:
            return "log in to the desktop, or run `gnome-keyring-daemon --replace --unlock --components=secrets`, "
                + "type the keyring's password, then Ctrl-D"
        case .keePassXC:
            return "unlock the database in KeePassXC (without a display: `QT_QPA_PLATFORM=offscreen keepassxc --pw-stdin DATABASE.kdbx`)"
        case .kWallet:
            return "open the wallet: log in to Plasma (pam_kwallet5 opens it), or run `kwallet-query -l kdewallet` "
                + "and type its password"
        case .unknown:
            return "unlock it in the program that provides your keyring"
        }
    }

    /// How to get it answering again.
    var restartFix: String {
        switch self {
        case .gnomeKeyring: return "restart it (`gnome-keyring-daemon --replace --components=secrets`)"
        case .keePassXC: return "close any open KeePassXC dialog, or restart KeePassXC"
        case .kWallet: return "restart it (`kquitapp5 kwalletd5`; it starts again when needed)"
        case .unknown: return "restart the program that provides it"
        }
    }

    /// How to give it a default collection to store into.
    var collectionFix: String {
        switch self {
        case .gnomeKeyring:
            return "create one: start `gnome-keyring-daemon --unlock --components=secrets` and type a new password, then Ctrl-D"
        case .keePassXC:
            return "in KeePassXC, open Database > Database Settings > Secret Service Integration and expose a group"
        case .kWallet:
            return "enable KWallet's Secret Service (`apiEnabled=true` under [org.freedesktop.secrets] in kwalletrc) and open the wallet"
        case .unknown:
            return "create a default collection (keyring) in the program that provides it"
        }
    }
}

/// Why a keyring call showed a prompt.
public enum KeyringPromptPurpose: String, Sendable, CaseIterable {
    /// To unlock the collection (a keyring password, an open database).
    case unlock
    /// To grant access to items in an unlocked collection (KeePassXC's "allow access?").
    case access
    /// To store an item.
    case store
    /// To delete an item.
    case delete

    /// What a person is asked to do, on `provider`, when this prompt is not answered.
    func fix(_ provider: SecretServiceProvider) -> String {
        switch (self, provider) {
        case (.unlock, _):
            return provider.unlockFix
        case (.access, .keePassXC):
            return "allow git-credential-azdo in KeePassXC's access dialog (tick Remember), or turn off "
                + "'Confirm when passwords are retrieved by clients' (Tools > Settings > Secret Service Integration)"
        case (.delete, .keePassXC):
            return "confirm the deletion in KeePassXC, or turn off 'Confirm when clients request entry deletion' "
                + "(Tools > Settings > Secret Service Integration)"
        case (.store, .keePassXC):
            return "answer KeePassXC's dialog, or check Tools > Settings > Secret Service Integration"
        default:
            return "answer \(provider.name)'s dialog on the desktop, or unlock \(provider.name) first"
        }
    }
}
