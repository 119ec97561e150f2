import Foundation
import Testing
import WaybillHTTP
import WaybillStore
import WaybillTestSupport

/// What wakes the sync loop, and for what: a change made at the station (a packer opening an
/// order: claim and pack) is pushed at once without reading the feed again; `waybill sync` reads it.
@Suite(.timeLimit(.minutes(5))) struct SyncCadenceTests {
    @Test func aLocalChange_isPushedAtOnce_withoutAPull_andWaybillSyncPulls() async throws {
        let station = try await SyncedStation.start(orders: 5)
        defer { station.stop() }
        try station.writeConfig(pollInterval: "1h")
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        let store = try WaybillStore.open(atPath: station.storePath)
        try await agent.poll("the first pull never reached the end of the feed") { try store.syncState()[.lastPullAt] != nil }
        let firstPull = try store.syncState()[.lastPullAt]

        let http = CurlHTTPClient(configuration: .init(connectTimeout: .seconds(2), requestTimeout: .seconds(30)))
        let base = try await agent.httpBase()
        let opened = try await http.send(HTTPRequest(url: base + "/station/orders/O-000001", headers: [("Accept", "application/json")]))
        #expect(opened.status == 200, "\(opened.text)")
        try await agent.poll("the claim and pack of the opened order never reached the hub") {
            let ledger = try await station.hub.ledger().filter { $0.entityID == "O-000001" }
            return ledger.contains { $0.type == "claim" } && ledger.contains { $0.type == "pack" }
        }
        try await agent.poll("the outbox never drained") { try store.status().outboxDepth == 0 }
        #expect(try store.syncState()[.lastPullAt] == firstPull, "a local change is pushed without reading the feed")

        let synced = try await WaybillBinary.run(["sync", "--wait", "--timeout", "30", "--config", station.configPath])
        #expect(synced.status == .exited(0), "\(synced.standardError)")
        #expect(try store.syncState()[.lastPullAt] != firstPull, "waybill sync reads the feed")
        #expect(agent.stop() == 0)
    }
}
