import Foundation
import Testing
import WaybillCore
import WaybillHubStore
import WaybillStore
import WaybillTestSupport

/// The autonomous station mode end to end: a real hub, a real private cupsd and the real agent pack,
/// label, print and ship every order of the station, each label printed once and each operation
/// confirmed once; `waybill auto pause` holds new orders back and `resume` packs them.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AutopilotTests {
    @Test func autoMode_shipsEveryOrder_printsEachLabelOnce_andPauseHoldsNewOrders() async throws {
        let station = try await AutonomousStation.start(orders: 60)
        defer { station.stop() }
        let agent = try station.startAgent()
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let store = try station.store()

        // A deadline for liveness, not a speed figure: about 30 s here alone, more on a loaded machine.
        try await agent.poll(timeout: .seconds(120), "not every order of the station was shipped and confirmed") {
            try Self.drained(station, store)
        }
        let orders = try station.stationOrders(store)
        #expect(orders.count >= 20, "the seed gives station-1 about 27 orders")
        #expect(!agent.log.contains("cannot be planned automatically"))
        try await Self.expectEachLabelOnceAndEachOperationOnce(station, store, orders: orders)

        // Paused: an order created centrally reaches the replica but stays assigned across rounds.
        #expect(try await station.waybill(["auto", "pause"]).standardOutput.contains("paused"))
        var pausedRounds = 0.0
        try await agent.poll("the agent never ran a paused round") {
            pausedRounds = try await station.metrics(agent)["waybill_autopilot_rounds_total{outcome=\"paused\"}"] ?? 0
            return pausedRounds >= 1
        }
        let sku = try #require(orders.first?.lines.first?.skuID)
        let created = try await station.createOrder(sku: sku)
        try await agent.poll("the new order \(created) never reached the replica") { try store.order(id: created) != nil }
        try await agent.poll("the agent stopped running rounds while paused") {
            (try await station.metrics(agent)["waybill_autopilot_rounds_total{outcome=\"paused\"}"] ?? 0) >= pausedRounds + 3
        }
        #expect(try store.order(id: created)?.state == .assigned, "a paused station packed \(created)")
        #expect(station.captureCounts().keys.allSatisfy { !$0.contains(created) })
        let status = try await station.waybill(["status", "--json"])
        #expect(status.standardOutput.contains("\"auto_mode\":\"paused\""), "\(status.standardOutput)")

        // Resumed: the order is packed, printed and shipped like the others.
        #expect(try await station.waybill(["auto", "resume"]).standardOutput.contains("running"))
        try await agent.poll(timeout: .seconds(60), "the resumed station never shipped \(created)") {
            try store.order(id: created)?.state == .shipped && (try Self.drained(station, store))
        }
        try await Self.expectEachLabelOnceAndEachOperationOnce(station, store, orders: try station.stationOrders(store))
        #expect(agent.stop() == 0)
    }

    /// Every order of the station shipped, every print job printed, and the outbox empty.
    static func drained(_ station: AutonomousStation, _ store: WaybillStore) throws -> Bool {
        try station.drained(store)
    }

    /// Each box label, packing slip and carrier label of `orders` captured exactly once; the hub's
    /// ledger holds each operation once, one `printed` per print job and one `ship` per order.
    static func expectEachLabelOnceAndEachOperationOnce(_ station: AutonomousStation, _ store: WaybillStore, orders: [ReplicaOrder]) async throws {
        let captures = station.captureCounts()
        let duplicates = try captures.filter { $0.value > 1 }.map { labelID, count in
            "\(labelID) \(count) times, jobs \(station.cupsd.capturedFiles().filter { $0.name == labelID }.map(\.jobID)), record \(String(describing: try store.printJob(labelID: labelID)))"
        }
        #expect(duplicates.isEmpty, "labels captured more than once: \(duplicates)")
        for order in orders {
            let boxes = try #require(try store.shipment(orderID: order.id)).boxes.count
            for prefix in ["BX-", "PS-"] {
                let printed = captures.keys.filter { $0.hasPrefix(prefix) && $0.contains(order.id) }.count
                #expect(printed == boxes, "\(order.id): \(printed) \(prefix) labels printed for \(boxes) boxes")
            }
        }
        let jobs = try store.recentPrintJobs(limit: 100_000)
        let carrier = jobs.filter { $0.labelID.hasPrefix("CL-") }
        #expect(carrier.count >= orders.count, "every order has at least one carrier label")
        #expect(Set(jobs.map(\.labelID)) == Set(captures.keys), "every print job's label was captured, and nothing else")

        let ledger = try await station.ledger()
        let keys = ledger.map(\.idempotencyKey)
        #expect(Set(keys).count == keys.count, "an operation took effect twice at the hub")
        let printed = ledger.filter { $0.type == OperationKind.printed.rawValue }
        #expect(printed.count == jobs.count, "\(printed.count) printed operations for \(jobs.count) print jobs")
        let shipped = ledger.filter { $0.type == OperationKind.ship.rawValue }.map(\.entityID)
        #expect(shipped.sorted() == orders.map(\.id).sorted(), "one ship operation per order")
    }
}
