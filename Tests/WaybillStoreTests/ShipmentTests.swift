import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// Box plans: the shipment and its boxes commit with their outbox entries, and re-planning has rules.
@Suite struct ShipmentTests {
    let folder: TemporaryDirectory
    let store: WaybillStore

    init() throws {
        (folder, store) = try WaybillStore.fixture()
        try store.upsertOrder(ReplicaOrder(id: "O-1", version: 3, state: .assigned, lines: [OrderLine(skuID: "SKU-1", quantity: 2)]))
    }

    @Test func anAssignedOrder_isClaimedAndPacked_withItsPlan_inOneTransaction() throws {
        let (shipment, operations) = try store.recordShipment(orderID: "O-1", boxes: [.sample(1), .sample(2)], plannedBy: "auto")
        #expect(operations.map(\.kind) == [.claim, .pack])
        #expect(shipment.revision == 1 && shipment.totalCost == 20)
        #expect(try store.order(id: "O-1")?.state == .packed)
        #expect(try store.shipment(orderID: "O-1") == shipment)
        #expect(try store.outboxEntries().map(\.operation.kind) == [.claim, .pack])
    }

    @Test func replanning_needsTheFlag_andAddsARevisionAndAPackOperation() throws {
        try store.recordShipment(orderID: "O-1", boxes: [.sample(1)], plannedBy: "auto")
        #expect(throws: StoreError.self) { try store.recordShipment(orderID: "O-1", boxes: [.sample(1), .sample(2)], plannedBy: "ana") }
        let (again, operations) = try store.recordShipment(orderID: "O-1", boxes: [.sample(1), .sample(2)], plannedBy: "ana", replan: true)
        #expect(again.revision == 2 && again.boxes.count == 2 && again.plannedBy == "ana")
        #expect(operations.map(\.kind) == [.pack])
        #expect(try store.shipment(orderID: "O-1")?.revision == 2)
    }

    @Test func aFailedPlan_leavesNothingBehind() throws {
        #expect(throws: StoreError.self) { try store.recordShipment(orderID: "O-1", boxes: [], plannedBy: "auto") }
        #expect(try store.order(id: "O-1")?.state == .assigned)
        #expect(try store.outboxEntries().isEmpty)
        #expect(try store.shipment(orderID: "O-1") == nil)
    }

    @Test func quotes_areCachedByEverythingThatDecidesTheirPrice() throws {
        let key = QuoteKey(service: "GROUND", zone: 4, billableLb: 3, dims: "12x10x8", flags: "residential", tableVersion: 1)
        let quote = try JSONDecoder().decode(
            RateQuote.self,
            from: Data(
                #"{"service":"GROUND","zone":4,"billable_lb":3,"dim_weight_lb":2,"actual_lb":3,"base":9,"surcharges":{"fuel":0.5},"total":9.5}"#.utf8
            )
        )
        #expect(try store.cachedQuote(key) == nil)
        try store.cacheQuote(quote, for: key)
        #expect(try store.cachedQuote(key) == quote)
        var otherTable = key
        otherTable.tableVersion = 2
        #expect(try store.cachedQuote(otherTable) == nil)
        var otherZone = key
        otherZone.zone = 5
        try store.cacheQuotes([(otherTable, quote), (otherZone, quote)])
        #expect(try store.cachedQuote(otherTable) == quote && store.cachedQuote(otherZone) == quote)
    }
}
