import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

@Suite(.timeLimit(.minutes(5))) struct ResyncCommandTests {
    @Test func recover_replaysUnconfirmedWorkUnderANewEpoch_andLosesNothing() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await HubProcess.start(databasePath: hubFolder.file("hub.sqlite"), orders: 60)
        defer { hub.stop() }
        let (folder, config, storePath) = try ConfigFixture.stationConfig(hub: hub, hubFolder: hubFolder)
        defer { withExtendedLifetime(folder) {} }
        #expect(try await WaybillBinary.run(["sync", "--wait", "--config", config]).status == .exited(0))
        let store = try WaybillStore.open(atPath: storePath)
        let orders = try store.replicaVersions(of: .order).keys.sorted().filter { try store.order(id: $0)?.state == .assigned }.prefix(3)
        for id in orders { try store.recordOrderTransition(orderID: id, to: .claimed, kind: .claim) }

        let resync = try await WaybillBinary.run(["resync", "--mode", "recover", "--yes", "--config", config])
        #expect(resync.status == .exited(0), "\(resync.standardOutput) \(resync.standardError)")
        #expect(resync.standardOutput.contains("epoch 2"))
        #expect(try store.storedIdentity()?.epoch == 2)
        #expect(try store.status().outboxDepth == 0)
        let claims = try await hub.ledger().filter { $0.type == "claim" }
        #expect(Set(claims.map(\.entityID)) == Set(orders))
        #expect(claims.allSatisfy { $0.epoch == 2 })
        for id in orders { #expect(try store.order(id: id)?.state == .claimed) }
        #expect(try store.replicaVersions(of: .order) == (try await hub.view(station: "station-1")))
    }

    @Test func discard_exportsUnconfirmedWorkToJSONFirst() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await HubProcess.start(databasePath: hubFolder.file("hub.sqlite"), orders: 60)
        defer { hub.stop() }
        let (folder, config, storePath) = try ConfigFixture.stationConfig(hub: hub, hubFolder: hubFolder)
        #expect(try await WaybillBinary.run(["sync", "--wait", "--config", config]).status == .exited(0))
        let store = try WaybillStore.open(atPath: storePath)
        let id = try #require(try store.replicaVersions(of: .order).keys.sorted().first { try store.order(id: $0)?.state == .assigned })
        let recorded = try store.recordOrderTransition(orderID: id, to: .claimed, kind: .claim)

        let resync = try await WaybillBinary.run(["resync", "--mode", "discard", "--yes", "--config", config])
        #expect(resync.status == .exited(0), "\(resync.standardError)")
        let export = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("unconfirmed-") })
        let exported = try JSONDecoder().decode([OutboxOperation].self, from: Data(contentsOf: URL(fileURLWithPath: folder.file(export))))
        #expect(exported.map(\.idempotencyKey) == [recorded.idempotencyKey])
        #expect(resync.standardOutput.contains(export))
        #expect(try await hub.ledger().isEmpty)
        #expect(try store.status().outboxDepth == 0)
    }

    @Test func resync_withoutYesOffATerminal_refuses() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await HubProcess.start(databasePath: hubFolder.file("hub.sqlite"), orders: 10)
        defer { hub.stop() }
        let (folder, config, _) = try ConfigFixture.stationConfig(hub: hub, hubFolder: hubFolder)
        defer { withExtendedLifetime(folder) {} }
        let resync = try await WaybillBinary.run(["resync", "--config", config])
        #expect(resync.status != .exited(0))
        #expect(resync.standardError.contains("--yes"))
    }
}
