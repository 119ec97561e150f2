import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

@testable import WaybillSync

/// The `POST /v1/ops` body goes through the contract's types, and still carries every stored payload
/// byte for byte: a retry is byte-identical to the first attempt, in any process.
@Suite struct PushBodyTests {
    @Test func theBody_decodesAsTheContractsBatch_andCarriesEachStoredPayloadAsItWasStored() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        try store.upsertOrder(ReplicaOrder(id: "O-1", version: 4, state: .assigned, lines: [OrderLine(skuID: "SKU-1", quantity: 2)]))
        try store.recordSampleTransition(orderID: "O-1", to: .claimed, kind: .claim)
        try store.recordShipment(orderID: "O-1", boxes: [.sample(1), .sample(2)], plannedBy: "Zoë \"the packer\" / night")
        try store.recordStockDeltas(count: 2, sku: "SKU-1", location: "A")
        let operations = try store.outboxEntries().map(\.operation)
        #expect(operations.map(\.kind) == [.claim, .pack, .stockDelta, .stockDelta])

        let body = try PushEngine.body(of: operations)
        #expect(try PushEngine.body(of: operations) == body)
        let text = String(decoding: body, as: UTF8.self)
        for operation in operations {
            #expect(text.contains(#""payload":"# + operation.payload), "\(operation.kind) payload changed on the way out")
        }
        let batch = try JSONDecoder().decode(CentralAPI.OperationBatch.self, from: Data(body))
        #expect(batch.ops.map(\.idempotencyKey) == operations.map(\.idempotencyKey))
        #expect(batch.ops.map(\.seq) == [1, 2, 3, 4])
        #expect(batch.ops.map(\.baseVersion) == [4, 4, nil, nil])
        // Each payload decodes as its type's, as the central API decodes it.
        for (operation, sent) in zip(operations, batch.ops) {
            _ = try operation.kind.decodePayload(fromRequest: try sent.canonicalRequest())
        }
        // The canonical form: re-encoding what was decoded gives the same bytes.
        #expect(Array(try CanonicalJSON.encode(batch)) == body)
    }
}
