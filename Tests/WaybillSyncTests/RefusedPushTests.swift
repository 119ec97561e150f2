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
    /// push stops dead-lettering and waits as for any refused request, in later cycles and after a
    /// restart too, until something of the station's is applied again.
    @Test func threeRefusedInARow_stopTheDeadLettering_untilSomethingIsApplied() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 40)
        let first = try SyncHarness(hub: hub)
        try await first.settle()
        let orders = try first.ownOrders(6)
        try await hub.refuseOperations(on: Array(orders[0...3]))
        try first.recordLifecycles(of: orders, steps: SyncHarness.lifecycle[0...0])
        func dead(_ station: SyncHarness) throws -> Set<String> {
            Set(try station.store.outboxEntries(state: .dead).map(\.operation.entityID))
        }

        let cycle = await first.engine.cycle()
        #expect(cycle.error?.code == .refused && cycle.error?.refusesContent == true, "\(String(describing: cycle.error))")
        #expect(cycle.retryIn == .milliseconds(100), "the policy's cap: \(String(describing: cycle.retryIn))")
        #expect(try dead(first) == Set(orders[0...2]))
        // The fourth waits at the head, never counted as sent: nothing of it was applied.
        let head = try #require(try first.store.outboxEntries().first)
        #expect(head.operation.entityID == orders[3] && head.attempts == 0)
        #expect(try await hub.ledger().isEmpty)

        // A restart (a new store connection and engine) remembers the count: no more dead letters.
        let station = try SyncHarness(hub: hub, folder: first.folder)
        try await station.drive { report in report.error?.code == .refused }
        try await station.drive { report in report.error?.code == .refused }
        #expect(try dead(station) == Set(orders[0...2]))

        // The central API takes the fourth again: it and the two after it apply, and the count clears.
        try await hub.refuseOperations(on: Array(orders[0...2]))
        try await station.settle()
        #expect(try dead(station) == Set(orders[0...2]))
        #expect(try await hub.ledger().map(\.entityID) == Array(orders[3...5]))
        #expect(try await hub.ledger().map(\.seq) == [1, 2, 3])
        #expect(try station.store.syncState()[.pushRefusedInARow] == nil)
        await hub.stop()
    }

    /// An operation whose earlier request got no answer may have been applied: refused alone now, it
    /// is not dead-lettered (closing up the sequence behind it would jam the station on a seq gap);
    /// the push waits, and once the central API takes the batch again it answers it as a duplicate.
    @Test func aRefusedOperationThatMayHaveBeenApplied_waits_andIsNeverDeadLettered() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 40)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let orders = try station.ownOrders(3)
        try station.recordLifecycles(of: orders, steps: SyncHarness.lifecycle[0...0])
        try await hub.setFaults("ops:lost:1")
        let lost = await station.engine.cycle()
        #expect(lost.error != nil, "the answer was not lost")
        try await hub.setFaults("")
        #expect(try await hub.ledger().count == 3, "applied, answer lost")

        try await hub.refuseOperations(on: [orders[0]])
        try await station.drive { report in report.error?.code == .refused }
        #expect(try station.store.outboxEntries(state: .dead).isEmpty)
        #expect(try station.store.outboxEntries().count == 3)

        try await hub.refuseOperations(on: [])
        try await station.settle()
        #expect(try station.store.outboxEntries(state: .dead).isEmpty)
        #expect(try await hub.ledger().map(\.seq) == [1, 2, 3])
        let deliveries = try hub.store.deliveries().filter { $0.type == "claim" }
        #expect(deliveries.filter { $0.outcome == .applied }.count == 3)
        #expect(deliveries.filter { $0.outcome == .duplicate }.count >= 3)
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
