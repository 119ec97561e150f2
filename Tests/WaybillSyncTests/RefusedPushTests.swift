import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// A central API that refuses a whole ops batch for one operation in it (422 with its error body, as
/// `PUT /admin/ops/refuse` makes the hub do): the station halves the batch until that operation goes
/// alone, dead-letters it with a conflict a person sees, closes up the sequence, holds the entity's
/// later operations, and everything else is applied, in order, once.
@Suite(.timeLimit(.minutes(5))) struct RefusedPushTests {
    @Test func oneRefusedOperation_isDeadLettered_andTheRestOfTheBatchIsApplied() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 40)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let orders = try station.ownOrders(6)
        #expect(orders.count == 6)
        let refused = orders[2]
        try await hub.refuseOperations(on: [refused])
        // Claims 1-6, then packs 7-12: one batch, which the hub refuses as a whole.
        try station.recordLifecycles(of: orders, steps: SyncHarness.lifecycle[0...1])
        try await station.drive { report in report.error == nil && report.pushed?.drained == true }

        let dead = try station.store.outboxEntries(state: .dead)
        #expect(dead.map(\.operation.entityID) == [refused])
        #expect(dead.map(\.operation.kind) == [.claim])
        #expect(try station.store.outboxEntries(state: .held).map(\.operation.entityID) == [refused], "its pack waits for a person")
        let conflict = try #require(try station.store.conflicts(openOnly: true).first)
        #expect(conflict.rule == ConflictRule.operationRefused.rawValue)
        #expect(conflict.entityID == refused)
        #expect(
            conflict.reason.contains("claim was refused by the central API") && conflict.reason.contains("operation_refused"),
            "\(conflict.reason)"
        )
        #expect(try station.store.syncState()[.lastErrorCode] == nil, "the station is not stalled")

        // The other ten, applied once each, with no gap in the sequence the hub saw.
        let ledger = try await hub.ledger()
        #expect(ledger.map(\.seq) == Array(1...10).map(Optional.some))
        #expect(Set(ledger.map(\.entityID)) == Set(orders).subtracting([refused]))
        #expect(ledger.filter { $0.type == "claim" }.count == 5 && ledger.filter { $0.type == "pack" }.count == 5)
        await hub.stop()
    }

    /// Three operations refused alone in a row look like a central API that refuses everything: the
    /// push stops there and waits as for any refused request, instead of dead-lettering the outbox.
    @Test func threeRefusedInARow_stopThePush_andTheNextCycleGoesOn() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 40)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let orders = try station.ownOrders(6)
        try await hub.refuseOperations(on: Array(orders[0...3]))
        try station.recordLifecycles(of: orders, steps: SyncHarness.lifecycle[0...0])

        let first = await station.engine.cycle()
        #expect(first.error?.code == .refused && first.error?.refusesContent == true, "\(String(describing: first.error))")
        #expect(first.retryIn == .milliseconds(100), "the policy's cap: \(String(describing: first.retryIn))")
        #expect(Set(try station.store.outboxEntries(state: .dead).map(\.operation.entityID)) == Set(orders[0...2]))
        #expect(try await hub.ledger().isEmpty)

        try await station.drive { report in report.error == nil && report.pushed?.drained == true }
        #expect(Set(try station.store.outboxEntries(state: .dead).map(\.operation.entityID)) == Set(orders[0...3]))
        #expect(try await hub.ledger().map(\.entityID) == Array(orders[4...5]))
        #expect(try await hub.ledger().map(\.seq) == [1, 2])
        await hub.stop()
    }

    @Test func onlyARefusalOfTheContent_isNarrowedDown() {
        let body = CentralAPI.ErrorBody(code: "invalid_request", message: "no")
        #expect(SyncError(.refused, "", status: 422, centralError: body).refusesContent)
        #expect(SyncError(.refused, "", status: 400, centralError: body).refusesContent)
        #expect(!SyncError(.refused, "", status: 422).refusesContent, "a proxy's page, not the central API")
        #expect(!SyncError(.refused, "", status: 404, centralError: body).refusesContent, "a wrong address")
        #expect(!SyncError(.httpStatus, "", status: 503, centralError: body).refusesContent)
    }
}
