import Foundation
import Testing
import WaybillHTTP
import WaybillTestSupport

/// The running agent's health model is what `waybill status`, `/healthz` and the station screen's
/// `/events` show: a printer fault from the agent's own printer poll appears on all three, dated from
/// when the agent first saw it, and clears on all three once the queue is fixed.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AgentHealthTests {
    @Test func aPrinterFault_appearsDatedInStatusHealthzAndEvents_andClears() async throws {
        let station = try await AutonomousStation.start(orders: 20)
        defer { station.stop() }
        // A manual station: printers configured and polled, nothing packed without a packer.
        let agent = try AgentProcess.start(config: station.station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let healthz = try await agent.httpBase() + "/healthz"
        var status: [String: Any] = [:]
        try await agent.poll("the station never read ok: \(status["problems"] ?? "")") {
            status = try await statusJSON(station)
            return status["state"] as? String == "ok"
        }

        let rejected = Date()
        try station.cupsd.reject("document")
        var fault: [String: Any] = [:]
        try await agent.poll("status never showed the rejecting queue: \(status["problems"] ?? "")") {
            status = try await statusJSON(station)
            fault = (status["health"] as? [[String: Any]] ?? []).first { $0["kind"] as? String == "printer_fault" } ?? [:]
            return !fault.isEmpty
        }
        #expect(fault["subject"] as? String == "document" && (fault["action"] as? String)?.contains("cupsaccept document") == true, "\(fault)")
        // Dated by the agent, which has watched the queue: no agent, no date for a printer fault.
        let since = try #require((fault["since"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }, "\(fault)")
        #expect(since >= rejected.addingTimeInterval(-1) && since <= Date())
        let answer = try await station.http.send(HTTPRequest(url: healthz))
        #expect(answer.status == 503 && answer.text.contains("printer document (document) cannot print since "), "\(answer.text)")
        let events = try StreamingHTTPClient(port: try await agent.httpPort(), path: "/events")
        defer { events.close() }
        try await agent.poll("the station screen's event never carried the fault") {
            events.received.contains("event: station") && events.received.contains(#""kind":"printer_fault""#)
        }

        try station.cupsd.accept("document")
        try await agent.poll("the fault never cleared: \(status["problems"] ?? "")") {
            status = try await statusJSON(station)
            return status["state"] as? String == "ok"
        }
        #expect(try await station.http.send(HTTPRequest(url: healthz)).status == 200)
        try await agent.poll("the station screen's event never said the station is ok again") {
            events.received.components(separatedBy: "event: station").last?.contains(#""state":"ok""#) == true
        }
        #expect(agent.log.contains("health.kind=printer_fault") && agent.log.contains("Health problem cleared"))
        #expect(agent.stop() == 0)
    }

    private func statusJSON(_ station: AutonomousStation) async throws -> [String: Any] {
        let output = try await WaybillBinary.run(["status", "--json", "--config", station.station.configPath])
        return try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any] ?? [:]
    }
}
