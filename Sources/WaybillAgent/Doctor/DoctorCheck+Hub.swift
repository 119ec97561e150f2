import Foundation
import WaybillCore
import WaybillHTTP

extension DoctorCheck {
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

    /// Compares the hub's `Date` header with the midpoint of the request (``ClockSkew``); fails
    /// beyond ``HealthRules/maximumClockSkew``, the rule the health model applies to sync's answers.
    static func clockSkew(dateHeader: String?, sent: Date, received: Date) -> DoctorCheck {
        guard let dateHeader else {
            return DoctorCheck(name: "clock skew", ok: true, detail: "not checked: the hub sent no Date header")
        }
        guard let skew = ClockSkew.measure(dateHeader: dateHeader, sent: sent, received: received) else {
            return DoctorCheck(name: "clock skew", ok: false, detail: "the hub's Date header '\(dateHeader)' is not an HTTP date")
        }
        if let problem = HealthRules.clockSkew(skew) {
            return DoctorCheck(name: "clock skew", ok: false, detail: "\(problem.cause); \(problem.action)")
        }
        let seconds = Int(skew.rounded())
        return DoctorCheck(name: "clock skew", ok: true, detail: "\(abs(seconds)) s \(seconds >= 0 ? "ahead of" : "behind") the hub's clock")
    }
}
