import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

@Suite(.timeLimit(.minutes(5))) struct OperationsTests {
    private func push(_ hub: RunningHub, _ ops: [CentralAPI.Operation], token: String) async throws -> CentralAPI.OperationBatchResult {
        let response = try await hub.authorized("POST", "/v1/ops", token: token, body: try encode(CentralAPI.OperationBatch(ops: ops)))
        #expect(response.status == 200, "\(response.text)")
        return try decode(CentralAPI.OperationBatchResult.self, response)
    }

    @Test func sameBatchTwice_isAppliedOnce_andAnsweredDuplicateWithTheOriginalResult() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let batch = [
            op(seq: 1, "claim", "O-000001", base: 1),
            op(seq: 2, "pack", "O-000001", base: 2),
            op(seq: 3, "stock_delta", "SKU-0001", payload: .object(["sku": .string("SKU-0001"), "location": .string("A"), "delta": .number(-2)])),
        ]
        let first = try await push(hub, batch, token: token)
        #expect(first.results.map(\.status) == [.applied, .applied, .applied])
        let second = try await push(hub, batch, token: token)
        #expect(second.results.map(\.status) == [.duplicate, .duplicate, .duplicate])
        #expect(second.results.map(\.originalStatus) == [.applied, .applied, .applied])
        #expect(second.results.map(\.version) == first.results.map(\.version))
        let ledger = try await hub.ledger()
        #expect(ledger.count == 3)
        #expect(Set(ledger.map(\.idempotencyKey)).count == 3)
        #expect(ledger.map(\.seq) == [1, 2, 3])
        #expect(ledger.allSatisfy { $0.stationID == "station-1" && $0.epoch == 1 })
        // Every delivery is recorded, not only the first: three applied, then three duplicates.
        let deliveries = try hub.store.deliveries()
        #expect(deliveries.map(\.outcome) == [.applied, .applied, .applied, .duplicate, .duplicate, .duplicate])
        #expect(deliveries.map(\.idempotencyKey) == batch.map(\.idempotencyKey) + batch.map(\.idempotencyKey))
        await hub.stop()
    }

    /// A stock delta that would leave a quantity the contract refuses (every station would quarantine
    /// the stock) or that overflows is rejected, and the stock stays as it was.
    @Test func aStockDeltaPastTheContractsRange_isRejected() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        func delta(_ seq: Int, _ amount: Double, sku: String = "SKU-0001", location: String = "A") -> CentralAPI.Operation {
            op(
                seq: seq,
                key: "d-\(seq)",
                "stock_delta",
                sku,
                payload: .object(["sku": .string(sku), "location": .string(location), "delta": .number(amount)])
            )
        }
        let result = try await push(
            hub,
            [
                delta(1, 20_000_000), delta(2, -3), delta(3, 1, sku: "SKU/../1"),
                // Below zero at a new location (applied), and a location that makes the stock's id no identifier.
                delta(4, -5, location: "Z"), delta(5, 1, location: "A/B"),
            ],
            token: token
        )
        #expect(result.results.map(\.status) == [.rejected, .applied, .rejected, .applied, .rejected])
        #expect(result.results.allSatisfy { $0.status == .applied || $0.reason == "invalid_payload" })
        // Int.min more at that location, written as a whole number: refused, not summed. The hub
        // reads a payload's numbers as Doubles, so it does not decode as an Int; the overflow check
        // behind that is defence in depth that no request reaches.
        let overflow = try encode(CentralAPI.OperationBatch(ops: [delta(6, 987_654_321, location: "Z")]))
            .replacingOccurrences(of: "987654321", with: "\(Int.min)")
        let response = try await hub.authorized("POST", "/v1/ops", token: token, body: overflow)
        let answer = try decode(CentralAPI.OperationBatchResult.self, response)
        #expect(answer.results.map(\.status) == [.rejected] && answer.results.first?.reason == "invalid_payload", "\(response.text)")
        await hub.stop()
    }

    @Test func seqGap_isRefusedAndNothingAfterItIsApplied() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let result = try await push(
            hub,
            [op(seq: 1, "claim", "O-000001"), op(seq: 3, "pack", "O-000001"), op(seq: 4, "ship", "O-000001")],
            token: token
        )
        #expect(result.results.map(\.seq) == [1])
        #expect(result.error?.code == "seq_gap")
        #expect(result.error?.details?["expected_seq"]?.intValue == 2)
        #expect(try await hub.ledger().count == 1)
        // A new epoch starts again at 1.
        let reset = try await push(hub, [op(epoch: 2, seq: 1, "pack", "O-000001")], token: token)
        #expect(reset.results.first?.status == .applied)
        await hub.stop()
    }

    @Test func claimByASecondStation_conflicts() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let one = try await hub.tokens(for: "station-1").accessToken
        let two = try await hub.tokens(for: "station-2").accessToken
        // O-000010 sits in the warehouse pool: both stations see it, the first claim wins.
        #expect(try await push(hub, [op(seq: 1, "claim", "O-000010")], token: one).results.first?.status == .applied)
        let lost = try #require(try await push(hub, [op("station-2", seq: 1, "claim", "O-000010")], token: two).results.first)
        #expect(lost.status == .conflict)
        #expect(lost.reason == "claimed_by_other")
        #expect(lost.entity?["claimed_by"]?.stringValue == "station-1")
        // station-2 cannot work on station-1's order either.
        let foreign = try await push(hub, [op("station-2", seq: 2, "claim", "O-000001")], token: two).results.first
        #expect(foreign?.reason == "assigned_elsewhere")
        await hub.stop()
    }

    @Test func workOnACancelledOrEditedOrder_conflicts() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        var results = try await push(hub, [op(seq: 1, "claim", "O-000001", base: 1)], token: token)
        _ = try await hub.send("POST", "/admin/orders/O-000001/cancel")
        results = try await push(hub, [op(seq: 2, "pack", "O-000001", base: 2)], token: token)
        #expect(results.results.first?.status == .conflict)
        #expect(results.results.first?.reason == "order_cancelled")
        #expect(results.results.first?.entity?["state"]?.stringValue == "cancelled")

        results = try await push(
            hub,
            [op(seq: 3, "claim", "O-000003", base: 1), op(seq: 4, "pack", "O-000003", base: 2), op(seq: 5, "label_request", "O-000003", base: 3)],
            token: token
        )
        #expect(results.results.map(\.status) == [.applied, .applied, .applied])
        _ = try await hub.send(
            "POST",
            "/admin/orders/O-000003/address",
            body: #"{"name":"New","street1":"2 St","city":"X","region":"CA","postal_code":"90001","country":"US"}"#
        )
        results = try await push(hub, [op(seq: 6, "ship", "O-000003", base: 4)], token: token)
        #expect(results.results.first?.reason == "order_edited")
        await hub.stop()
    }

    @Test func backwardsTransitionAndUnknownType_areRejected() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let results = try await push(
            hub,
            [op(seq: 1, "ship", "O-000001"), op(seq: 2, "teleport", "O-000001"), op(seq: 3, "claim", "O-999999")],
            token: token
        )
        #expect(results.results.map(\.status) == [.rejected, .rejected, .rejected])
        #expect(results.results.map(\.reason) == ["invalid_transition", "unknown_type", "unknown_entity"])
        #expect(try await hub.ledger().isEmpty)
        await hub.stop()
    }

    @Test func aKeyReusedForAnotherRequest_isRejected_whileTheSameRequestInAnotherEpochIsADuplicate() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let delta: JSONValue = .object(["sku": .string("SKU-0001"), "location": .string("A"), "delta": .number(-2)])
        let first = try await push(hub, [op(seq: 1, key: "k-1", "stock_delta", "SKU-0001", payload: delta)], token: token)
        #expect(first.results.map(\.status) == [.applied])
        // The same key asking for another delta: refused, nothing applied, and the seq is taken so the next one follows.
        let changed: JSONValue = .object(["sku": .string("SKU-0001"), "location": .string("A"), "delta": .number(-3)])
        let reused = try await push(
            hub,
            [op(seq: 2, key: "k-1", "stock_delta", "SKU-0001", payload: changed), op(seq: 3, key: "k-2", "claim", "O-000001")],
            token: token
        )
        #expect(reused.results.map(\.status) == [.rejected, .applied])
        #expect(reused.results.first?.reason == "idempotency_key_reused")
        // Another base version is another request too.
        let rebased = try await push(hub, [op(seq: 4, key: "k-2", "claim", "O-000001", base: 7)], token: token)
        #expect(rebased.results.first?.reason == "idempotency_key_reused")
        // The same request replayed after a client reset (new epoch and seq) is the original's duplicate.
        let replay = try await push(hub, [op(epoch: 2, seq: 1, key: "k-1", "stock_delta", "SKU-0001", payload: delta)], token: token)
        #expect(replay.results.map(\.status) == [.duplicate])
        #expect(try await hub.ledger().map(\.idempotencyKey) == ["k-1", "k-2"])
        let deliveries = try hub.store.deliveries()
        #expect(deliveries.map(\.outcome) == [.applied, .refused, .applied, .refused, .duplicate])
        #expect(deliveries.map(\.reason) == [nil, "idempotency_key_reused", nil, "idempotency_key_reused", nil])
        await hub.stop()
    }

    @Test func anOperationWhosePayloadIsNotItsTypes_isRejected_andTheNextOneApplies() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let results = try await push(
            hub,
            [
                op(seq: 1, "claim", "O-000001", base: 1),
                op(seq: 2, "pack", "O-000001", base: 2, payload: .object([:])),
                op(
                    seq: 3,
                    "stock_delta",
                    "SKU-0001",
                    payload: .object(["sku": .string("SKU-0001"), "location": .string("A"), "delta": .string("-1")])
                ),
                op(seq: 4, "label_request", "O-000001", payload: .object(["boxes": .number(1.5)])),
                op(seq: 5, "pack", "O-000001", base: 2),
            ],
            token: token
        )
        #expect(results.results.map(\.status) == [.applied, .rejected, .rejected, .rejected, .applied])
        #expect(results.results.map(\.reason) == [nil, "invalid_payload", "invalid_payload", "invalid_payload", nil])
        #expect(try await hub.ledger().map(\.seq) == [1, 5])
        await hub.stop()
    }
}
