import Foundation
import Testing
import WaybillCore
import WaybillHTTP
import WaybillStore
import WaybillTestSupport

/// `/metrics`, `/healthz` and `/events` of a running agent, over loopback, with a real hub.
@Suite(.timeLimit(.minutes(5))) struct LocalHTTPTests {
    let http = CurlHTTPClient(configuration: .init(connectTimeout: .seconds(2), requestTimeout: .seconds(10)))

    @Test func metrics_parseAsPrometheusText_andCoverTheSyncEngine() async throws {
        let station = try await SyncedStation.start()
        defer { station.stop() }
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let base = try await agent.httpBase()
        var samples: [String: Double] = [:]
        try await agent.poll("the agent never finished a sync cycle that pulled the feed") {
            let response = try await http.send(HTTPRequest(url: base + "/metrics"))
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            samples = try PrometheusText.parse(response.text)
            return (samples["waybill_sync_cycles_total"] ?? 0) >= 1 && samples["waybill_pull_lag_changes"] != nil
        }
        for name in [
            "waybill_outbox_depth", "waybill_outbox_oldest_pending_age_seconds", "waybill_pull_lag_changes", "waybill_last_pull_age_seconds",
            "waybill_conflicts_open", "waybill_print_jobs{state=\"spooled\"}", "waybill_print_jobs{state=\"failed\"}",
            "waybill_sync_cycle_duration_seconds_count",
        ] {
            #expect(samples[name] != nil, "/metrics lacks \(name)")
        }
        #expect(samples["waybill_resync_duration_seconds_count"] == 1, "the first pull downloaded the whole replica")
        #expect(samples["waybill_outbox_depth"] == 0)
        #expect(samples["waybill_pull_lag_changes"] == 0, "the station caught up with the feed")
        #expect(agent.stop() == 0)
    }

    @Test func metrics_countFailedCyclesByReasonAndStatus_whenTheHubIsDown() async throws {
        let station = try await SyncedStation.start()
        station.stop()
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let base = try await agent.httpBase()
        try await agent.poll("no failure counted") {
            let samples = try PrometheusText.parse(try await http.send(HTTPRequest(url: base + "/metrics")).text)
            return (samples["waybill_sync_failures_total{reason=\"transport\"}"] ?? 0) >= 1
                && (samples["waybill_http_retries_total{status=\"transport\"}"] ?? 0) >= 1
        }
        #expect(agent.stop() == 0)
    }

    /// `/healthz` is `waybill status`'s verdict: 503 with the same sentences whenever the station is
    /// not ok, and each central problem clears when its cause does.
    @Test func healthz_is200WhenSynced_503WhileTheHubFailsOrIsGone_andSayingWhyWhenSyncIsOff() async throws {
        let station = try await SyncedStation.start()
        defer { station.stop() }
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let url = try await agent.httpBase() + "/healthz"
        var answer = try await http.send(HTTPRequest(url: url))
        try await agent.poll("/healthz never said ok once synced: \(answer.status) \(answer.text)") {
            answer = try await http.send(HTTPRequest(url: url))
            return answer.status == 200
        }
        #expect(answer.text == "ok\n")

        // The hub answers with errors: degraded, then ok again once it stops.
        try await station.hub.setFaults("changes:503:1.0,ops:503:1.0")
        try await agent.poll("/healthz never said the central API fails: \(answer.text)") {
            answer = try await http.send(HTTPRequest(url: url))
            return answer.status == 503 && answer.text.hasPrefix("degraded since ") && answer.text.contains("answers with errors")
        }
        let status = try await WaybillBinary.run(["status", "--json", "--config", station.configPath])
        #expect(status.standardOutput.contains(#""kind":"central_failing""#), "\(status.standardOutput)")
        try await station.hub.setFaults("")
        try await agent.poll("/healthz stayed degraded after the hub healed: \(answer.text)") {
            answer = try await http.send(HTTPRequest(url: url))
            return answer.status == 200
        }

        // The hub is gone: offline, then ok again once it is back.
        #expect(station.hub.crash())
        try await agent.poll("/healthz never said the hub is gone: \(answer.text)") {
            answer = try await http.send(HTTPRequest(url: url))
            return answer.status == 503 && answer.text.hasPrefix("offline since ") && answer.text.contains("waybill doctor")
        }
        try await station.hub.restart()
        try await agent.poll("/healthz stayed offline after the hub came back: \(answer.text)") {
            answer = try await http.send(HTTPRequest(url: url))
            return answer.status == 200
        }
        #expect(agent.log.contains("Health problem cleared"))
        #expect(agent.stop() == 0)

        try FileManager.default.removeItem(atPath: station.secretPath)
        let withoutSecret = try AgentProcess.start(config: station.configPath)
        defer { withoutSecret.kill() }
        try await withoutSecret.waitForLog("Agent started")
        let unhealthy = try await http.send(HTTPRequest(url: try await withoutSecret.httpBase() + "/healthz"))
        #expect(unhealthy.status == 503)
        #expect(unhealthy.text.contains("sync is off"))
        #expect(unhealthy.text.contains(station.secretPath))
        #expect(withoutSecret.stop() == 0)
    }

    @Test func events_sendCounts_andAChangeSoonAfterAnOrderChangesState() async throws {
        let station = try await SyncedStation.start()
        defer { station.stop() }
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let store = try WaybillStore.open(atPath: station.storePath)
        try await agent.poll("the replica never got its orders") { try store.orderCounts()[.assigned, default: 0] > 0 }

        let events = try StreamingHTTPClient(port: try await agent.httpPort(), path: "/events")
        defer { events.close() }
        try await agent.poll("no counts event") { events.received.contains("event: counts") && events.received.contains("\"assigned\":") }
        try await agent.poll("no station event") {
            events.received.contains("event: station") && events.received.contains("\"connectivity\":\"online\"")
        }
        #expect(events.received.contains("Content-Type: text/event-stream") || events.received.contains("content-type: text/event-stream"))

        // Another process (this test) moves an order, as `waybill` commands do.
        let order = try #require(try store.replicaVersions(of: .order).keys.sorted().first { try store.order(id: $0)?.state == .assigned })
        let changed = ContinuousClock.now
        try store.recordOrderTransition(orderID: order, to: .claimed, kind: .claim)
        try await agent.poll("no change event for \(order)") {
            events.received.contains("event: change") && events.received.contains("\"order_id\":\"\(order)\",\"state\":\"claimed\"")
        }
        print("events: change event for \(order) arrived \(ContinuousClock.now - changed) after the commit")
        let stopping = ContinuousClock.now
        #expect(agent.stop() == 0, "the agent stops cleanly with an /events client connected")
        #expect(ContinuousClock.now - stopping < .seconds(5), "SIGTERM ends the /events stream and the agent within 5 s")
    }
}

extension LocalHTTPTests {
    @Test func agent_whoseHTTPPortIsTaken_exitsSayingWhatToDo() async throws {
        let station = try await SyncedStation.start(httpPort: try LoopbackPort.free())
        defer { station.stop() }
        let squatter = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(squatter) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(station.httpPort).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(squatter, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        try #require(bound && listen(squatter, 1) == 0)
        let output = try await WaybillBinary.run(["agent", "--config", station.configPath])
        #expect(output.status != .exited(0))
        #expect(output.standardError.contains("cannot serve http.listen 127.0.0.1:\(station.httpPort)"))
        #expect(output.standardError.contains("set http.listen: off"))
    }
}
