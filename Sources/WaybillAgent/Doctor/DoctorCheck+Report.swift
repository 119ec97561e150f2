import Foundation
import WaybillHTTP

extension DoctorCheck {
    /// `smtp`: the shift report's server is reachable, its TLS certificate verifies and it accepts
    /// the login (connect, STARTTLS, AUTH and `NOOP`, sending nothing); none without `report.to`.
    static func reportMail(_ configuration: StationConfiguration) async -> [DoctorCheck] {
        guard let report = configuration.report else { return [] }
        do {
            var settings = try report.smtp()
            settings.timeout = .seconds(15)
            try await SMTPMailer(settings: settings).check()
            let tls = settings.url.hasPrefix("smtps://") ? "TLS verified" : settings.allowPlaintext ? "TLS only if offered" : "STARTTLS verified"
            let login = settings.username.map { ", login \($0) accepted" } ?? ", no login"
            return [DoctorCheck(name: "smtp", ok: true, detail: "\(settings.url) answers (\(tls)\(login))")]
        } catch {
            return [DoctorCheck(name: "smtp", ok: false, detail: "\(report.smtpURL): \(error); check smtp.* in \(configuration.sourceFile)")]
        }
    }
}
