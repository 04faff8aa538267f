/// The systemd user units that run `refresh` daily: a oneshot service and its timer.
/// `refresher enable` writes them with the installed executable's path;
/// `make install` writes the packaged ones from this same text (`refresher write-units`).
public enum SystemdUnits {
    /// The service unit's file name.
    public static let serviceName = "git-credential-azdo-refresh.service"
    /// The timer unit's file name.
    public static let timerName = "git-credential-azdo-refresh.timer"

    /// The service, running `executable refresh`.
    public static func service(executable: String) -> String {
        """
        [Unit]
        Description=Warn about and renew expiring Azure DevOps PATs (git-credential-azdo)
        Documentation=man:git-credential-azdo(1)

        [Service]
        Type=oneshot
        ExecStart=\(executable) refresh
        Nice=10
        IOSchedulingClass=idle
        NoNewPrivileges=yes

        """
    }

    /// The timer: daily, catching up on runs missed while the machine was off, with a
    /// random delay so many machines do not call Azure DevOps at the same moment.
    public static let timer = """
        [Unit]
        Description=Daily renewal check of Azure DevOps PATs (git-credential-azdo)
        Documentation=man:git-credential-azdo(1)

        [Timer]
        OnCalendar=daily
        OnStartupSec=10min
        Persistent=true
        RandomizedDelaySec=1h

        [Install]
        WantedBy=timers.target

        """
}
