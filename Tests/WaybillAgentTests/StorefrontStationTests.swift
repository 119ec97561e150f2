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
    @Test func aStorefrontStation_fulfilsEachOrderOnce_withEveryBoxsTrackingNumber() async throws {
        let station = try await AutonomousStation.startStorefront(orders: 40, faults: "storefront:lost:0.15,shipping:lost:0.05")
        defer { station.stop() }
        let hub = station.station.hub
        var agent = try station.startAgent()
        try await agent.waitForLog("Agent started")
        try await agent.poll(timeout: .seconds(45), "the station fulfilled no order") { try await !hub.emulatedStorefront().fulfillments.isEmpty }
        #expect(agent.kill(), "the agent was not running when killed")
        agent = try station.startAgent()
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
        let done = try await hub.emulatedStorefront().fulfillments
        let labels = try await hub.emulatedLabels()
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
        let injected = try await hub.injectedFaults()
        #expect((injected["lost"] ?? 0) >= 1, "no answer was lost: \(injected)")
        #expect(agent.stop() == 0)
    }
}
