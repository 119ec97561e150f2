import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

@Suite(.timeLimit(.minutes(5))) struct ControlSocketTests {
    /// With the agent running, `waybill sync --wait` goes through the control socket (mode 0660),
    /// wakes the agent's sync loop and returns once everything is confirmed.
    @Test func syncWait_withARunningAgent_usesTheControlSocket() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await HubProcess.start(databasePath: hubFolder.file("hub.sqlite"), orders: 60)
        defer { hub.stop() }
        let (folder, config, storePath) = try ConfigFixture.stationConfig(
            hub: hub,
            hubFolder: hubFolder,
            extra: "sync: {poll_interval: 1h, retry_base: 10ms, retry_cap: 100ms}"
        )
        defer { withExtendedLifetime(folder) {} }
        #expect(try await WaybillBinary.run(["sync", "--wait", "--config", config]).status == .exited(0))
        let store = try WaybillStore.open(atPath: storePath)
        let order = try #require(try store.replicaVersions(of: .order).keys.sorted().first { try store.order(id: $0)?.state == .assigned })

        let agent = try AgentProcess.start(config: config)
        defer { agent.stop() }
        try await agent.waitForLog("Agent started")
        // The control service binds its socket beside the other services' start: wait for the file.
        try await agent.poll("the control socket never appeared") { FileManager.default.fileExists(atPath: storePath + ".sock") }
        let mode = try FileManager.default.attributesOfItem(atPath: storePath + ".sock")[.posixPermissions] as? Int
        try store.recordOrderTransition(orderID: order, to: .claimed, kind: .claim)
        // The poll interval is an hour: only the control socket can make this return.
        let sync = try await WaybillBinary.run(["sync", "--wait", "--timeout", "30", "--config", config])
        #expect(sync.status == .exited(0), "\(sync.standardOutput) \(sync.standardError)")
        #expect(sync.standardOutput.contains("outbox: 0 pending"))
        #expect(mode == 0o660)
        #expect(agent.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: storePath + ".sock"))
        #expect(try await hub.ledger().contains { $0.entityID == order && $0.type == "claim" })
    }
}
