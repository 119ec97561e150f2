import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

@Suite struct OutboxTests {
    let station = StationID(rawValue: "station-1")!
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
    }

    private func storeWithOrder(state: OrderState = .assigned) throws -> (TemporaryDirectory, WaybillStore) {
        let store = try WaybillStore.open(atPath: folder.file("station.sqlite"))
        _ = try store.identity(for: station)
        try store.upsertOrder(ReplicaOrder(id: "O-1", version: 4, state: state, lines: [OrderLine(skuID: "SKU-1", quantity: 2)]))
        return (folder, store)
    }

    @Test func transition_writesTheChangeAndItsOutboxEntry_andTheRowRoundTrips() throws {
        let (_, store) = try storeWithOrder()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let recorded = try store.recordOrderTransition(orderID: "O-1", to: .claimed, kind: .claim, now: now)

        #expect(try store.order(id: "O-1")?.state == .claimed)
        let entries = try store.outboxEntries()
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.operation == recorded)
        #expect(entry.operation.stationID == station)
        #expect(entry.operation.epoch == 1)
        #expect(entry.operation.seq == 1)
        #expect(entry.operation.idempotencyKey.hasPrefix("station-1:"))
        #expect(entry.operation.kind == .claim)
        #expect(entry.operation.entityID == "O-1")
        #expect(entry.operation.baseVersion == 4)
        #expect(entry.operation.payload == "{}")
        #expect(entry.state == .pending)
        #expect(entry.attempts == 0)
        #expect(entry.createdAt == now)
    }

    /// An entry tried before without an answer may have been applied: a central API with a sequence
    /// (the hub) cannot dead-letter it; one without (a storefront, which reads its side before each
    /// retry) can, and a person sees it as a conflict.
    @Test func anEntryTriedBefore_isDeadLetteredOnlyForASourceWithoutASequence() throws {
        let (_, store) = try storeWithOrder()
        let key = try store.recordOrderTransition(orderID: "O-1", to: .claimed, kind: .claim).idempotencyKey
        for _ in 0..<2 { try store.recordPushFailure(idempotencyKeys: [key], error: "no answer", retryAt: Date()) }

        #expect(throws: StoreError.self) { try store.deadLetterRefused(idempotencyKey: key, reason: "refused") }
        #expect(try store.outboxEntries().first?.state == .pending)
        try store.deadLetterFailed(idempotencyKey: key, reason: "Shopify could not take it")
        #expect(try store.outboxEntries().isEmpty)
        #expect(try store.outboxEntries(state: .dead).map(\.operation.idempotencyKey) == [key])
        #expect(try store.conflicts(openOnly: true).map(\.rule) == ["operation_refused"])
        #expect(try store.duePushEntries(limit: 10, now: .distantFuture).isEmpty, "a dead letter is due again")
    }

    @Test func aPayloadOfAnotherOperationType_isRefused_andNothingIsWritten() throws {
        let (_, store) = try storeWithOrder(state: .packed)
        #expect(throws: StoreError.self) {
            try store.recordOrderTransition(
                orderID: "O-1",
                to: .labelled,
                kind: .labelRequest,
                payload: CentralAPI.StockDeltaPayload(sku: "S", location: "A", delta: 1)
            )
        }
        #expect(try store.order(id: "O-1")?.state == .packed)
        #expect(try store.outboxEntries().isEmpty)
        let recorded = try store.recordOrderTransition(
            orderID: "O-1",
            to: .labelled,
            kind: .labelRequest,
            payload: CentralAPI.LabelRequestPayload(boxes: 3)
        )
        #expect(recorded.payload == #"{"boxes":3}"#)
    }

    @Test func sequenceNumbers_growByOneAndSurviveReopen() throws {
        let (folder, store) = try storeWithOrder()
        try store.recordSampleTransition(orderID: "O-1", to: .claimed, kind: .claim)
        let reopened = try WaybillStore.open(atPath: folder.file("station.sqlite"))
        try reopened.recordSampleTransition(orderID: "O-1", to: .packed, kind: .pack)
        #expect(try reopened.outboxEntries().map(\.operation.seq) == [1, 2])
    }

    @Test func refusedTransition_writesNeitherTheChangeNorAnOutboxEntry() throws {
        let (_, store) = try storeWithOrder(state: .shipped)
        let error = #expect(throws: StoreError.self) {
            try store.recordSampleTransition(orderID: "O-1", to: .packed, kind: .pack)
        }
        #expect(error?.code == .invalidTransition)
        #expect(try store.order(id: "O-1")?.state == .shipped)
        #expect(try store.outboxEntries().isEmpty)
        #expect(try store.status().outboxDepth == 0)
    }

    @Test func transitionOfAnUnknownOrder_isNotFound() throws {
        let (_, store) = try storeWithOrder()
        let error = #expect(throws: StoreError.self) {
            try store.recordSampleTransition(orderID: "missing", to: .claimed, kind: .claim)
        }
        #expect(error?.code == .notFound)
    }

    @Test func status_countsPendingEntriesAndTheirAge() throws {
        let (_, store) = try storeWithOrder()
        let then = Date(timeIntervalSince1970: 1_800_000_000)
        try store.recordOrderTransition(orderID: "O-1", to: .claimed, kind: .claim, now: then)
        let status = try store.status(now: then.addingTimeInterval(42))
        #expect(status.outboxDepth == 1)
        #expect(status.oldestPendingAge == 42)
        #expect(status.identity == StationIdentity(stationID: station, epoch: 1))
        #expect(status.printJobs.count == PrintJobState.allCases.count)
    }

    @Test func olderCentralVersion_doesNotOverwriteTheReplica() throws {
        let (_, store) = try storeWithOrder()
        #expect(try store.upsertOrder(ReplicaOrder(id: "O-1", version: 3, state: .cancelled)) == false)
        #expect(try store.order(id: "O-1")?.state == .assigned)
        #expect(try store.order(id: "O-1")?.lines == [OrderLine(skuID: "SKU-1", quantity: 2)])
    }
}
