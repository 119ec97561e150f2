import Foundation
import Testing
import WaybillHTTP
import WaybillTestSupport

/// The agent speaks systemd's notify protocol to a real datagram socket, as systemd would receive it.
@Suite(.timeLimit(.minutes(5))) struct SystemdNotifyTests {
    @Test func agent_withNotifySocket_sendsReadyStatusWatchdogAndStopping() async throws {
        let fixture = try ConfigFixture(extra: "sync:\n  poll_interval: 1h")
        let (receiver, agent) = try startAgentWithWatchdog(config: fixture.configPath, folder: fixture.folder)
        defer { receiver.close() }
        defer { agent.kill() }
        try await agent.poll("no READY=1") { receiver.count("READY=1") == 1 }
        try await agent.poll("no STATUS= line from the sync loop") {
            receiver.messages.contains { $0.hasPrefix("STATUS=") && $0.contains("pending") }
        }
        // WATCHDOG_USEC is 200 ms: the sync loop pings every 100 ms while it waits out its backoff.
        try await agent.poll("fewer than 5 WATCHDOG=1") { receiver.count("WATCHDOG=1") >= 5 }
        #expect(receiver.count("STOPPING=1") == 0)
        #expect(agent.stop() == 0)
        try await agent.poll("no STOPPING=1 after SIGTERM") { receiver.count("STOPPING=1") == 1 }
        let ready = try #require(receiver.messages.firstIndex { $0.contains("READY=1") })
        let stopping = try #require(receiver.messages.firstIndex { $0.contains("STOPPING=1") })
        #expect(ready < stopping)
    }

    @Test func agent_withAbstractNotifySocketAndNoWatchdog_sendsReadyButNoWatchdog() async throws {
        let fixture = try ConfigFixture(extra: "sync:\n  poll_interval: 1h")
        let receiver = try DatagramReceiver(abstractName: "waybill-test-\(UUID().uuidString)")
        defer { receiver.close() }
        let agent = try AgentProcess.start(config: fixture.configPath, environment: ["NOTIFY_SOCKET": receiver.address])
        defer { agent.kill() }
        try await agent.poll("no READY=1 on the abstract socket") { receiver.count("READY=1") == 1 }
        try await agent.poll("no STATUS= line") { receiver.messages.contains { $0.hasPrefix("STATUS=") && $0.contains("pending") } }
        #expect(agent.stop() == 0)
        try await agent.poll("no STOPPING=1 after SIGTERM") { receiver.count("STOPPING=1") == 1 }
        #expect(receiver.count("WATCHDOG=1") == 0, "WATCHDOG_USEC was not set")
    }

    @Test func agent_withoutStationSecret_stillFeedsTheWatchdog() async throws {
        let fixture = try ConfigFixture()
        try FileManager.default.removeItem(atPath: fixture.secretPath)
        let (receiver, agent) = try startAgentWithWatchdog(config: fixture.configPath, folder: fixture.folder)
        defer { receiver.close() }
        defer { agent.kill() }
        try await agent.poll("fewer than 3 WATCHDOG=1 with sync off") { receiver.count("WATCHDOG=1") >= 3 }
        try await agent.poll("no STATUS= line saying sync is off") {
            receiver.messages.contains { $0.hasPrefix("STATUS=degraded: sync is off") && $0.contains("; sync off (no station secret), ") }
        }
        #expect(agent.stop() == 0)
    }

    /// The watchdog is fed by the sync loop itself: while a request to the hub hangs, systemd hears nothing.
    @Test func watchdog_fallsSilentWhileASyncCycleHangs_andResumesAfter() async throws {
        let station = try await SyncedStation.start()
        defer { station.stop() }
        let (receiver, agent) = try startAgentWithWatchdog(config: station.configPath, folder: station.folder)
        defer { receiver.close() }
        defer { agent.kill() }
        try await agent.poll("no WATCHDOG=1 before the hang") { receiver.count("WATCHDOG=1") >= 3 }
        let calm = receiver.longestGap(between: "WATCHDOG=1", after: .now - .seconds(60))

        let admin = CurlHTTPClient()
        let hang = try await admin.send(
            HTTPRequest(method: "PUT", url: station.hub.base + "/admin/faults", body: Array(#"{"spec":"changes:hang:1.0:2500"}"#.utf8))
        )
        #expect(hang.status == 200)
        let hangStarted = ContinuousClock.now
        try await agent.poll("no silence of 2 s while the changes feed hangs (longest before: \(calm))") {
            receiver.longestGap(between: "WATCHDOG=1", after: hangStarted) >= .seconds(2)
        }
        _ = try await admin.send(HTTPRequest(method: "DELETE", url: station.hub.base + "/admin/faults"))
        let pings = receiver.count("WATCHDOG=1")
        try await agent.poll("the watchdog did not resume after the hang") { receiver.count("WATCHDOG=1") >= pings + 3 }
        #expect(agent.stop() == 0)
    }

    /// Binds a notify socket, `notify.sock` in `folder`, and starts the agent on `config` with it as
    /// `NOTIFY_SOCKET` and a 200 ms watchdog (`WATCHDOG_USEC`). The caller closes the receiver and
    /// kills the agent; if the agent cannot start, the receiver is closed here.
    private func startAgentWithWatchdog(config: String, folder: TemporaryDirectory) throws -> (DatagramReceiver, AgentProcess) {
        let receiver = try DatagramReceiver(path: folder.file("notify.sock"))
        do {
            let agent = try AgentProcess.start(config: config, environment: ["NOTIFY_SOCKET": receiver.address, "WATCHDOG_USEC": "200000"])
            return (receiver, agent)
        } catch {
            receiver.close()
            throw error
        }
    }
}
