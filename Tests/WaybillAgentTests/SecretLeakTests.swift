import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// Logs never contain the station secret or the tokens the hub hands out, even at trace level.
@Suite(.timeLimit(.minutes(5))) struct SecretLeakTests {
    @Test func fullAgentRunAtTraceLevel_logsNoSecretAndNoToken() async throws {
        let station = try await SyncedStation.start()
        defer { station.stop() }
        try station.writeConfig(logLevel: "trace")
        let secret = try String(contentsOfFile: station.secretPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.count >= 16)

        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Connectivity changed")
        // Local work that must be pushed: sign-in, pull and push all happen in this run.
        let store = try WaybillStore.open(atPath: station.storePath)
        try await agent.poll("the replica never got its orders") { try store.orderCounts()[.assigned, default: 0] >= 2 }
        let orders = try store.replicaVersions(of: .order).keys.sorted().filter { try store.order(id: $0)?.state == .assigned }.prefix(2)
        for order in orders {
            try store.recordOrderTransition(orderID: order, to: .claimed, kind: .claim)
        }
        let status = try await WaybillBinary.run(["sync", "--wait", "--timeout", "30", "--config", station.configPath])
        #expect(status.status == .exited(0), "\(status.standardError)")
        #expect(agent.stop() == 0)
        let ledger = try await station.hub.ledger().filter { $0.stationID == "station-1" }
        #expect(ledger.count == orders.count, "the run pushed its work, so it used its tokens")

        let logs = agent.log + status.standardOutput + status.standardError
        #expect(logs.contains("Sync cycle"), "the run logged its debug lines")
        #expect(!logs.contains(secret), "the station secret is in the logs")
        // Access tokens are JWTs (they start with the base64 of {"alg":...}); refresh tokens are four base-36 groups.
        #expect(!logs.contains("eyJ"), "an access token is in the logs")
        #expect(!logs.contains("Bearer"), "an Authorization header is in the logs")
        let refreshShape = try Regex(#"\b[0-9a-z]{8,}-[0-9a-z]{8,}-[0-9a-z]{8,}-[0-9a-z]{8,}\b"#)
        #expect(logs.firstMatch(of: refreshShape) == nil, "a refresh token is in the logs")
    }
}
