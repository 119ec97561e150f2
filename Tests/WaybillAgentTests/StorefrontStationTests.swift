import Foundation
import Testing
import WaybillCore
import WaybillHTTP
import WaybillHubStore
import WaybillStore
import WaybillTestSupport

/// A station in storefront mode (`central.kind: storefront`) on real parts: its orders are a Shopify
/// store's fulfillment orders and its labels ShipEngine's (both the hub's emulators, over loopback),
/// printed through a private cupsd. Through lost answers on both APIs and a SIGKILL, every order is
/// fulfilled once with all its boxes' tracking numbers, every box's label bought once and printed once.
@Suite(.serialized, .timeLimit(.minutes(5))) struct StorefrontStationTests {
    struct Storefront: Decodable { let fulfillments: [EmulatedFulfillment] }
    struct Shipping: Decodable { let labels: [EmulatedLabel] }

    @Test func aStorefrontStation_fulfilsEachOrderOnce_withEveryBoxsTrackingNumber() async throws {
        let keys = try TemporaryDirectory()
        let hubKey = keys.file("emulator.key")
        let stationKey = keys.file("station.key")
        for path in [hubKey, stationKey] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data("TEST_station_key\n".utf8), attributes: [.posixPermissions: 0o600]))
        }
        let catalog = keys.file("catalog.json")
        let station = try await AutonomousStation.start(
            orders: 40,
            faults: "storefront:lost:0.15,shipping:lost:0.05",
            hubArguments: [
                "--emulate", "storefront,shipping", "--emulator-key-file", hubKey, "--shipping-requests-per-minute", "6000",
                "--storefront-restore-rate", "1000",
            ]
        ) { base in
            """
            storefront:
              url: \(base)/shopify
              token_file: \(stationKey)
              location_id: 1
              catalog_file: \(catalog)
            shipping:
              url: \(base)/shipengine
              api_key_file: \(stationKey)
              carrier_id: se-1001
              warehouse_id: se-2002
              requests_per_minute: 6000
            """
        }
        defer { station.stop() }
        let http = CurlHTTPClient()
        let base = station.station.hub.base
        try Data(try await http.send(HTTPRequest(url: base + "/admin/emulators/storefront/catalog?station=station-1")).body)
            .write(to: URL(fileURLWithPath: catalog))
        let environment = ["WAYBILL_CENTRAL_KIND": "storefront"]

        var agent = try station.startAgent(environment: environment)
        try await agent.waitForLog("Agent started")
        func fulfillments() async throws -> [EmulatedFulfillment] {
            let response = try await http.send(HTTPRequest(url: base + "/admin/emulators/storefront"))
            return try JSONDecoder().decode(Storefront.self, from: Data(response.body)).fulfillments
        }
        try await agent.poll(timeout: .seconds(45), "the station fulfilled no order") { try await !fulfillments().isEmpty }
        #expect(agent.kill(), "the agent was not running when killed")
        agent = try station.startAgent(environment: environment)
        defer { agent.kill() }
        let store = try station.store()
        do {
            try await agent.poll(timeout: .seconds(90), "not every order of the station was shipped and printed") { try station.drained(store) }
        } catch {
            Issue.record("the agent's log ends: \(agent.log.suffix(4000))")
            throw error
        }

        let orders = try station.stationOrders(store)
        #expect(orders.count >= 10)
        #expect(orders.allSatisfy { $0.id.hasPrefix("FO-") }, "orders are the storefront's fulfillment orders")
        let done = try await fulfillments()
        let labels = try JSONDecoder().decode(
            Shipping.self,
            from: Data(try await http.send(HTTPRequest(url: base + "/admin/emulators/shipping")).body)
        ).labels
        var boxes = 0
        for order in orders {
            let number = try #require(Int(order.id.dropFirst(3)))
            let bought = try store.carrierLabels(orderID: order.id)
            boxes += bought.count
            let mine = done.filter { $0.fulfillmentOrder == number }
            #expect(mine.count == 1, "\(order.id) fulfilled \(mine.count) times")
            #expect(Set(mine.first?.trackingNumbers ?? []) == Set(bought.map(\.trackingNumber)), "\(order.id): tracking numbers")
            #expect(bought.count == (try #require(try store.shipment(orderID: order.id)).boxes.count))
        }
        #expect(labels.count == boxes, "ShipEngine sold \(labels.count) labels for \(boxes) boxes")
        for label in labels {
            #expect(station.cupsd.captured(label.labelID.uppercased()).count == 1, "\(label.labelID) printed once")
        }
        let injected = try await station.station.hub.injectedFaults()
        #expect((injected["lost"] ?? 0) >= 1, "no answer was lost: \(injected)")
        #expect(agent.stop() == 0)
    }
}
