import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// `waybill pack ORDER_ID`: a replica order planned, stored and recorded in the outbox, pushed once.
@Suite(.timeLimit(.minutes(5))) struct PackCommandReplicaTests {
    @Test func packsAReplicaOrder_storesItsBoxes_andTheHubAppliesClaimAndPackOnce() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await HubProcess.start(databasePath: hubFolder.file("hub.sqlite"), orders: 30)
        defer { hub.stop() }
        let (folder, config, storePath) = try ConfigFixture.stationConfig(hub: hub, hubFolder: hubFolder)
        defer { withExtendedLifetime(folder) {} }
        #expect(try await WaybillBinary.run(["sync", "--wait", "--config", config]).status == .exited(0))
        let store = try WaybillStore.open(atPath: storePath)
        let id = try #require(try store.orderSummaries(state: .assigned).first?.id)

        let packed = try await WaybillBinary.run(["pack", id, "--json", "--config", config])
        #expect(packed.status == .exited(0), "\(packed.standardError)")
        let shipment = try JSONDecoder().decode(Shipment.self, from: Data(packed.standardOutput.utf8))
        #expect(shipment.orderID == id && shipment.revision == 1 && !shipment.boxes.isEmpty)
        #expect(try store.order(id: id)?.state == .packed)
        #expect(try store.shipment(orderID: id) == shipment)
        // Every unit of the order is in exactly one box.
        let units = try #require(try store.order(id: id)).lines.reduce(0) { $0 + $1.quantity }
        #expect(shipment.boxes.flatMap(\.items).count == units)

        let again = try await WaybillBinary.run(["pack", id, "--config", config])
        #expect(again.status != .exited(0))
        #expect(again.standardError.contains("--replan"))
        let replanned = try await WaybillBinary.run(["pack", id, "--replan", "--json", "--config", config])
        #expect(replanned.status == .exited(0), "\(replanned.standardError)")
        #expect(try store.shipment(orderID: id)?.revision == 2)

        #expect(try await WaybillBinary.run(["sync", "--wait", "--config", config]).status == .exited(0))
        let ledger = try await hub.ledger().filter { $0.entityID == id }
        #expect(ledger.filter { $0.type == "claim" }.count == 1)
        #expect(ledger.filter { $0.type == "pack" }.count == 2)
    }

    @Test func anUnknownOrder_failsSayingWhatToDo() async throws {
        let folder = try TemporaryDirectory()
        let config = folder.file("waybill.yaml")
        try """
        station: {id: station-1}
        central: {url: "http://127.0.0.1:9", secret_file: "\(folder.file("missing.secret"))"}
        store: {path: "\(folder.file("station.sqlite"))"}
        spool: {path: "\(folder.file("spool"))"}
        http: {listen: "off"}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await WaybillBinary.run(["pack", "O-NOPE", "--config", config])
        #expect(result.status == .exited(1))
        #expect(result.standardError.contains("O-NOPE") && result.standardError.contains("waybill sync"))
    }
}
