import Foundation
import Testing
import WaybillHTTP
import WaybillTestSupport

/// SIGTERM while the sync loop is stuck in a request the hub never answers: exit 0 within 5 s.
@Suite(.timeLimit(.minutes(5))) struct AgentShutdownTests {
    @Test func sigterm_duringAHangingSyncRequest_exitsZeroWithinFiveSeconds() async throws {
        let station = try await SyncedStation.start()
        defer { station.stop() }
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Connectivity changed")
        let admin = CurlHTTPClient()
        let hang = try await admin.send(
            HTTPRequest(method: "PUT", url: station.hub.base + "/admin/faults", body: Array(#"{"spec":"changes:hang:1.0:8000"}"#.utf8))
        )
        #expect(hang.status == 200)
        // Wait until a changes request is in flight and hanging (the hub counts the injected fault);
        // it hangs 8 s, so the agent stops while it is still waiting for the answer.
        try await agent.poll("the hub never hung a changes request") {
            let view = try await admin.send(HTTPRequest(url: station.hub.base + "/admin/faults"))
            return view.text.contains("hang\":")
        }
        let signalled = ContinuousClock.now
        #expect(agent.stop() == 0)
        let took = ContinuousClock.now - signalled
        print("shutdown during a hanging request took \(took)")
        #expect(took < .seconds(5))
    }
}
