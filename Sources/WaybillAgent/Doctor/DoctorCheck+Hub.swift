import Foundation
import WaybillHTTP

extension DoctorCheck {
    /// The station's clock may differ from the hub's by this much before tokens and backoff go wrong.
    static let maximumClockSkew: TimeInterval = 60

    /// `hub reachable`: `GET central.url/healthz` answers (any status counts as reachable), through
    /// the same TLS and proxy settings as sync; then `clock skew` against the answer's `Date` header.
    static func hub(_ configuration: StationConfiguration) async -> [DoctorCheck] {
        let client = CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                connectTimeout: .seconds(5),
                requestTimeout: .seconds(10),
                verifyTLS: configuration.verifyTLS,
                caFile: configuration.caFile,
                proxy: configuration.proxy,
                userAgent: "waybill/\(WaybillVersion.current) doctor"
            )
        )
        let url = configuration.centralURL + "/healthz"
        let sent = Date()
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(url: url))
        } catch {
            return [
                DoctorCheck(
                    name: "hub reachable",
                    ok: false,
                    detail: "no answer from \(url): \(error); check central.url, the network, central.proxy and central.ca_file"
                ),
                DoctorCheck(name: "clock skew", ok: false, detail: "not checked: the hub did not answer"),
            ]
        }
        let received = Date()
        let milliseconds = Int(received.timeIntervalSince(sent) * 1000)
        return [
            DoctorCheck(name: "hub reachable", ok: true, detail: "HTTP \(response.status) from \(url) in \(milliseconds) ms"),
            clockSkew(dateHeader: response.header("Date"), sent: sent, received: received),
        ]
    }

    /// Compares the hub's `Date` header (RFC 9110 IMF-fixdate, one-second resolution) with the
    /// midpoint of the request; fails beyond ``maximumClockSkew``.
    static func clockSkew(dateHeader: String?, sent: Date, received: Date) -> DoctorCheck {
        guard let dateHeader else {
            return DoctorCheck(name: "clock skew", ok: true, detail: "not checked: the hub sent no Date header")
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let hubTime = formatter.date(from: dateHeader) else {
            return DoctorCheck(name: "clock skew", ok: false, detail: "the hub's Date header '\(dateHeader)' is not an HTTP date")
        }
        let local = sent.addingTimeInterval(received.timeIntervalSince(sent) / 2)
        // The header drops fractions of a second: allow the one second it may lose.
        let skew = local.timeIntervalSince(hubTime)
        let seconds = Int(skew.rounded())
        let direction = seconds >= 0 ? "ahead of" : "behind"
        guard abs(skew) <= maximumClockSkew + 1 else {
            return DoctorCheck(
                name: "clock skew",
                ok: false,
                detail: "this station's clock is \(abs(seconds)) s \(direction) the hub's; turn on time sync (timedatectl set-ntp true)"
            )
        }
        return DoctorCheck(name: "clock skew", ok: true, detail: "\(abs(seconds)) s \(direction) the hub's clock")
    }
}
