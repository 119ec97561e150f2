public import Foundation
public import WaybillCore
import WaybillHTTP

/// The shift report's settings (`report.*`) and the SMTP server it goes through (`smtp.*`); the
/// station sends no report without `report.to`.
public struct ReportSettings: Sendable {
    /// `report.to`: who receives the report.
    public var to: [String]
    /// `report.from`: the sender address.
    public var from: String
    /// `report.schedule`: when a report is due.
    public var schedule: ShiftSchedule
    /// `report.time_zone`: the time zone of the schedule and of the times in the report (the
    /// system's when unset).
    public var timeZone: TimeZone
    /// `report.retry_base`: the first wait after a failed send (doubling up to an hour).
    public var retryBase: Duration
    /// `smtp.url`: `smtp://host:587` (STARTTLS) or `smtps://host:465`.
    public var smtpURL: String
    /// `smtp.user`: the login; with `smtp.password_file` (mode 0600).
    public var smtpUser: String?
    public var smtpPasswordFile: String?
    /// `smtp.ca_file`: a PEM bundle to verify the server with instead of the system's.
    public var smtpCAFile: String?
    /// `smtp.allow_plaintext`: whether mail may go to a server that offers no STARTTLS.
    public var smtpAllowPlaintext: Bool

    /// The calendar the schedule runs on.
    public var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The SMTP settings, the password read from its file.
    /// - Throws: ``ConfigurationError`` when the password file is missing, empty or readable by others.
    func smtp() throws(ConfigurationError) -> SMTPSettings {
        SMTPSettings(
            url: smtpURL,
            username: smtpUser,
            password: try smtpPasswordFile.map { path throws(ConfigurationError) in
                try SecretFile.read(path: path, key: ConfigurationKey.smtpPasswordFile.name)
            },
            caFile: smtpCAFile,
            allowPlaintext: smtpAllowPlaintext
        )
    }
}
