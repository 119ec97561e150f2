import Foundation
import Testing
import WaybillCore
import WaybillHTTP
import WaybillHubStore
import WaybillStore
import WaybillTestSupport

/// A station that buys its carrier labels from a shipping provider's API (`shipping.*`: the hub's
/// ShipEngine emulator over loopback) runs unattended on real parts, through lost answers and a
/// SIGKILL: every box gets one label, bought once, and the provider's document prints once: ZPL on
/// the label printer, or with `shipping.label_format: pdf` a PDF on the document printer.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ShippingProviderStationTests {
    @Test(arguments: [LabelFormat.zpl, .pdf])
    func anAutonomousStation_buysEachBoxsLabelOnceFromTheProvider_andPrintsItsDocumentOnce(format: LabelFormat) async throws {
        let keys = try TemporaryDirectory()
        let hubKey = keys.file("emulator.key")
        let stationKey = keys.file("shipengine.key")
        for path in [hubKey, stationKey] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data("TEST_station_key\n".utf8), attributes: [.posixPermissions: 0o600]))
        }
        let station = try await AutonomousStation.start(
            orders: 40,
            faults: "shipping:lost:0.1",
            // A larger account than the default 200 a minute, so the run is not a minute of pacing.
            hubArguments: ["--emulate", "shipping", "--emulator-key-file", hubKey, "--shipping-requests-per-minute", "6000"]
        ) { base in
            """
            shipping:
              url: \(base)/shipengine
              api_key_file: \(stationKey)
              carrier_id: se-1001
              warehouse_id: se-2002
              service_codes: SIM_GROUND=sim_ground,SIM_POSTAL=sim_postal
              requests_per_minute: 6000
              label_format: \(format.rawValue)
            """
        }
        defer { station.stop() }
        let http = CurlHTTPClient()
        func sold() async throws -> [EmulatedLabel] {
            struct View: Decodable { let labels: [EmulatedLabel] }
            let response = try await http.send(HTTPRequest(url: station.station.hub.base + "/admin/emulators/shipping"))
            return try JSONDecoder().decode(View.self, from: Data(response.body)).labels
        }

        var agent = try station.startAgent()
        try await agent.waitForLog("Agent started")
        try await agent.poll(timeout: .seconds(45), "the provider sold no label") { try await !sold().isEmpty }
        #expect(agent.kill(), "the agent was not running when killed")
        agent = try station.startAgent()
        defer { agent.kill() }
        let store = try station.store()
        do {
            try await agent.poll(timeout: .seconds(90), "not every order of the station was shipped and printed") { try station.drained(store) }
        } catch {
            Issue.record("the agent's log ends: \(agent.log.suffix(4000)); refused labels: \(try store.labelRefusals())")
            throw error
        }

        let labels = try await sold()
        let orders = try station.stationOrders(store)
        #expect(orders.count >= 10)
        var boxes = 0
        for order in orders {
            let count = try #require(try store.shipment(orderID: order.id)).boxes.count
            boxes += count
            let bought = try store.carrierLabels(orderID: order.id)
            #expect(bought.count == count, "\(order.id): \(bought.count) carrier labels for \(count) boxes")
            #expect(Set(bought.map(\.boxNo)) == Set(1...count))
        }
        #expect(labels.count == boxes, "the provider sold \(labels.count) labels for \(boxes) boxes: some were bought twice")
        #expect(Set(labels.compactMap(\.externalShipmentID)).count == labels.count)
        #expect(labels.allSatisfy { !$0.voided })
        let injected = try await station.station.hub.injectedFaults()
        #expect((injected["lost"] ?? 0) >= 1, "no answer was lost: \(injected)")
        try await station.station.hub.setFaults("")
        // Each label's document, as the provider drew it, reached the printer once.
        for label in labels {
            let captured = station.cupsd.captured(label.labelID.uppercased())
            #expect(captured.count == 1, "\(label.labelID) printed \(captured.count) times")
            let document =
                format == .zpl
                ? Array(label.zpl.utf8)
                : try await http.send(HTTPRequest(url: station.station.hub.base + "/shipengine/v1/downloads/\(label.labelID).pdf")).body
            #expect(captured.first == document, "\(label.labelID): not the provider's \(format.rawValue) as it drew it")
            #expect(try store.printJob(labelID: label.labelID.uppercased())?.printer == (format == .zpl ? "label" : "document"))
        }
        let status = try await station.waybill(["status", "--json"])
        #expect(status.standardOutput.contains(#""provider":"shipengine""#), "\(status.standardOutput)")
        #expect(status.standardOutput.contains(#""prices":"live""#) && status.standardOutput.contains(#""format":"\#(format.rawValue)""#))
        // The agent asked the provider for its prices as it planned (shipping.live_rates is on by default).
        struct Requests: Decodable { let requests: [String: Int] }
        let seen = try JSONDecoder().decode(
            Requests.self,
            from: Data(try await http.send(HTTPRequest(url: station.station.hub.base + "/admin/emulators/shipping")).body)
        )
        #expect(seen.requests["rates", default: 0] > 0, "\(seen.requests)")
        #expect(agent.stop() == 0)
    }
}
