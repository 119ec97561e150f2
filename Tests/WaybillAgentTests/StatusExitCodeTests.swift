import Foundation
import Testing
import WaybillTestSupport

/// `waybill status` exits 0 for a healthy station and 3 for a degraded one, saying why.
@Suite(.timeLimit(.minutes(5))) struct StatusExitCodeTests {
    @Test func status_exits0WhenSynced_and3WithTheReasonWhenTheHubIsGone() async throws {
        let station = try await SyncedStation.start()
        let synced = try await WaybillBinary.run(["sync", "--wait", "--timeout", "30", "--config", station.configPath])
        #expect(synced.status == .exited(0), "\(synced.standardError)")
        let healthy = try await WaybillBinary.run(["status", "--config", station.configPath])
        #expect(healthy.status == .exited(0), "\(healthy.standardOutput)")
        #expect(healthy.standardOutput.hasPrefix("State       ok\n"))

        station.stop()
        for _ in 0..<3 {
            _ = try await WaybillBinary.run(["sync", "--timeout", "2", "--config", station.configPath])
        }
        let degraded = try await WaybillBinary.run(["status", "--json", "--config", station.configPath])
        #expect(degraded.status == .exited(3))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(degraded.standardOutput.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "degraded")
        let problems = try #require(object["problems"] as? [String])
        #expect(problems.contains { $0.hasPrefix("offline since ") && $0.contains("waybill doctor") }, "\(problems)")
    }
}
