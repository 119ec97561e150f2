import Foundation
import Subprocess
import Testing
import WaybillCore
import WaybillHTTP
import WaybillStore
import WaybillTestSupport

/// `waybill status`, `waybill doctor` and the agent's printer metrics against a real private cupsd:
/// each configured queue's state and reasons, held labels, auto mode, and cupsd going away.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrintingStatusTests {
    struct Station {
        let cupsd: PrivateCupsd
        let fixture: ConfigFixture
        let store: WaybillStore

        /// Queue `label` exists, `document` is configured too; the station looks synced and online.
        init(documentQueue: Bool = false, extra: String = "") async throws {
            cupsd = try await PrivateCupsd()
            try cupsd.addQueue("label")
            if documentQueue { try cupsd.addQueue("document") }
            fixture = try ConfigFixture(extra: "cups:\n  server: \(cupsd.server)\nprinters:\n  label: label\n  document: document\n" + extra)
            store = try WaybillStore.open(atPath: fixture.folder.file("db/waybill.sqlite"))
            _ = try store.identity(for: StationID(rawValue: "station-7")!)
            try store.recordSyncState([.connectivity: "online", .lastPullAt: "\(Date().timeIntervalSince1970)"])
        }

        func run(_ arguments: [String]) async throws -> WaybillBinary.Output {
            try await WaybillBinary.run(arguments + ["--config", fixture.configPath])
        }

        func statusJSON() async throws -> (code: TerminationStatus, json: [String: Any]) {
            let output = try await run(["status", "--json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any], "\(output)")
            return (output.status, json)
        }

        func doctor() async throws -> [String: (ok: Bool, detail: String)] {
            let output = try await run(["doctor", "--json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
            let checks = try #require(json["checks"] as? [[String: Any]])
            return Dictionary(
                uniqueKeysWithValues: checks.map { ($0["name"] as? String ?? "", ($0["ok"] as? Bool ?? false, $0["detail"] as? String ?? "")) }
            )
        }
    }

    static func printers(_ json: [String: Any]) -> [String: [String: Any]] {
        let printing = json["printing"] as? [String: Any] ?? [:]
        let list = printing["printers"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0) })
    }

    @Test func status_isOk_withHealthyQueues_andDegraded_byAHeldLabelOrAFault() async throws {
        let station = try await Station(documentQueue: true)
        let healthy = try await station.statusJSON()
        #expect(healthy.code == .exited(0), "\(healthy.json["problems"] ?? "")")
        #expect((healthy.json["printing"] as? [String: Any])?["auto_mode"] as? String == "off")
        #expect(Self.printers(healthy.json)["label"]?["state"] as? String == "idle")
        #expect(Self.printers(healthy.json)["document"]?["accepting"] as? Bool == true)
        let text = try await station.run(["status"])
        #expect(text.standardOutput.contains("Printer     label [label]: idle"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("Auto mode   off"))

        // A label held by a printer fault: degraded, with the label and its reason.
        let label = LabelToPrint(labelID: "BX-O-1-1", orderID: "O-1", boxNo: 1, kind: .box, format: .zpl, bytes: Array("^XA^XZ".utf8))
        try station.store.recordLabel(label)
        try station.store.insertPrintJob(
            PrintJobRecord(
                labelID: label.labelID,
                printer: "label",
                format: .zpl,
                spoolPath: "/nowhere",
                state: .held,
                attempts: 1,
                reason: "printer label is out of labels",
                createdAt: 1,
                updatedAt: 1
            )
        )
        let held = try await station.statusJSON()
        #expect(held.code == .exited(3))
        let heldJobs = (held.json["printing"] as? [String: Any])?["held_jobs"] as? [[String: Any]] ?? []
        let firstHeld = try #require(heldJobs.first)
        #expect(firstHeld["label_id"] as? String == "BX-O-1-1")
        #expect(firstHeld["reason"] as? String == "printer label is out of labels")
        #expect((held.json["problems"] as? [String] ?? []).contains { $0.contains("1 labels held (BX-O-1-1") })
        #expect(try await station.run(["status"]).standardOutput.contains("Held        BX-O-1-1 on label: printer label is out of labels"))

        // A queue that rejects jobs: degraded, and the status says what to run.
        try station.store.savePrintJob(
            PrintJobRecord(labelID: label.labelID, printer: "label", format: .zpl, spoolPath: "/nowhere", state: .printed, createdAt: 1, updatedAt: 2)
        )
        try station.cupsd.reject("document")
        let rejecting = try await station.statusJSON()
        #expect(rejecting.code == .exited(3))
        #expect(Self.printers(rejecting.json)["document"]?["accepting"] as? Bool == false)
        #expect((rejecting.json["problems"] as? [String] ?? []).contains { $0.contains("cupsaccept document") })
    }

    @Test func status_and_doctor_nameAMissingQueue_andAStoppedCupsd() async throws {
        let station = try await Station(documentQueue: false)
        let missing = try await station.statusJSON()
        #expect(missing.code == .exited(3))
        #expect(Self.printers(missing.json)["document"]?["state"] as? String == "missing")
        #expect((missing.json["problems"] as? [String] ?? []).contains { $0.contains("the CUPS queue document does not exist") })
        let checks = try await station.doctor()
        #expect(checks["cups reachable"]?.ok == true)
        #expect(checks["printer label"]?.ok == true && checks["printer label"]?.detail.contains("accepting") == true)
        #expect(checks["printer document"]?.ok == false && checks["printer document"]?.detail.contains("lpadmin -p document") == true)
        #expect(checks["document fonts"]?.ok == true && checks["document fonts"]?.detail.contains("DejaVuSans") == true)

        station.cupsd.stop()
        let started = ContinuousClock.now
        let down = try await station.statusJSON()
        #expect(ContinuousClock.now - started < .seconds(20), "status must not hang on a stopped cupsd")
        #expect(down.code == .exited(3))
        #expect(Self.printers(down.json)["label"]?["state"] as? String == "unreachable")
        let downChecks = try await station.doctor()
        #expect(downChecks["cups reachable"]?.ok == false)
        #expect(downChecks["printer label"]?.ok == false)
    }

    @Test func agentMetrics_reportEachPrintersState_andFollowAFault() async throws {
        let port = try HubProcess.freePort()
        let station = try await Station(documentQueue: true, extra: "")
        let config = try String(contentsOfFile: station.fixture.configPath, encoding: .utf8)
            .replacingOccurrences(of: "listen: off", with: "listen: 127.0.0.1:\(port)")
        try station.fixture.write(config)
        let agent = try AgentProcess.start(config: station.fixture.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let http = CurlHTTPClient(configuration: .init(connectTimeout: .seconds(2), requestTimeout: .seconds(10)))
        func samples() async throws -> [String: Double] {
            try PrometheusText.parse(try await http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics")).text)
        }
        try await agent.poll("no printer state gauge for label") {
            try await samples()["waybill_printer_state{printer=\"label\",state=\"idle\"}"] == 1
        }
        let idle = try await samples()
        #expect(idle["waybill_printer_state{printer=\"document\",state=\"idle\"}"] == 1)
        #expect(idle["waybill_printer_state{printer=\"label\",state=\"offline\"}"] == 0)
        #expect(idle["waybill_print_jobs{state=\"held\"}"] == 0)

        try station.cupsd.disable("label")
        try await agent.poll(timeout: .seconds(20), "the label printer never showed as stopped") {
            try await samples()["waybill_printer_state{printer=\"label\",state=\"stopped\"}"] == 1
        }
        station.cupsd.stop()
        try await agent.poll(timeout: .seconds(30), "the printers never showed as offline with cupsd stopped") {
            try await samples()["waybill_printer_state{printer=\"document\",state=\"offline\"}"] == 1
        }
        #expect(agent.stop() == 0)
    }
}
