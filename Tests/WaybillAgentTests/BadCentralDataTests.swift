import Foundation
import Testing
import WaybillHTTP
import WaybillTestSupport

/// A central system with a bug: the hub serves bad orders of every kind the station's edge checks
/// (`POST /admin/changes/raw`) on the same page as good ones. The running station quarantines each
/// bad one with its reason and packs, prints and ships the good ones; `waybill orders list`,
/// `waybill status`, `/events` and `waybill doctor` keep working, and nothing else is wrong.
@Suite(.serialized, .timeLimit(.minutes(5))) struct BadCentralDataTests {
    @Test func badOrdersOfEveryKind_areQuarantined_whileTheGoodOnesOfTheirPagePackPrintAndShip() async throws {
        let station = try await AutonomousStation.start(orders: 20)
        defer { station.stop() }
        let before = try await createOrder(station)
        for bad in BadCentralChanges.orders {
            let body: [String: Any] = ["station_id": "station-1", "entity": "order", "id": bad.id, "version": 1, "op": "upsert", "data": bad.data]
            let answer = try await station.http.send(
                HTTPRequest(
                    method: "POST",
                    url: station.station.hub.base + "/admin/changes/raw",
                    headers: [(name: "Content-Type", value: "application/json")],
                    body: Array(try JSONSerialization.data(withJSONObject: body))
                )
            )
            #expect(answer.status == 200, "\(answer.text)")
        }
        let after = try await createOrder(station)

        let agent = try station.startAgent()
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let store = try station.store()
        let badIDs = Set(BadCentralChanges.orders.map(\.id))
        try await agent.poll(timeout: .seconds(60), "the good orders never shipped beside the quarantined ones") {
            let quarantined = Set(try store.quarantined().map(\.id))
            let shipped = try [before, after].allSatisfy { try store.order(id: $0)?.state == .shipped }
            let drained = try station.drained(store)
            return quarantined == badIDs && shipped && drained
        }
        let reasons = Dictionary(uniqueKeysWithValues: try store.quarantined().map { ($0.id, $0.reason) })
        for bad in BadCentralChanges.orders {
            #expect(reasons[bad.id]?.contains(bad.reason) == true, "\(bad.id): \(reasons[bad.id] ?? "not quarantined")")
        }

        let list = try await station.waybill(["orders", "list", "--json"])
        #expect(list.status == .exited(0) && list.standardOutput.contains(before) && list.standardOutput.contains(after), "\(list.standardError)")
        #expect(!badIDs.contains { list.standardOutput.contains("\"\($0)\"") }, "a quarantined order reached the list")
        let status = try await station.waybill(["status", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any] ?? [:]
        #expect(status.status == .exited(3))
        #expect(
            (object["health"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } == ["quarantined_changes"],
            "\(object["problems"] ?? "")"
        )
        #expect((object["problems"] as? [String] ?? []).first?.hasPrefix("\(badIDs.count) pulled changes are quarantined") == true)
        let events = try StreamingHTTPClient(port: try await agent.httpPort(), path: "/events")
        defer { events.close() }
        try await agent.poll("/events stopped answering") { events.received.contains("event: counts") && events.received.contains("\"shipped\":") }
        let doctor = try await station.waybill(["doctor"])
        #expect(doctor.standardOutput.contains("ok    replica contract"), "\(doctor.standardOutput)")
        try await AutopilotTests.expectEachLabelOnceAndEachOperationOnce(station, store, orders: try station.stationOrders(store))
        #expect(agent.stop() == 0)
    }

    /// An order for station-1 with the seed's kind of lines, created centrally; its id.
    private func createOrder(_ station: AutonomousStation) async throws -> String {
        let answer = try await station.http.send(
            HTTPRequest(
                method: "POST",
                url: station.station.hub.base + "/admin/orders",
                headers: [(name: "Content-Type", value: "application/json")],
                body: Array(#"{"station_id":"station-1"}"#.utf8)
            )
        )
        let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        return try #require(object?["id"] as? String, "\(answer.text)")
    }
}
