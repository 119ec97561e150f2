import Foundation
import Testing
import WaybillHTTP
import WaybillTestSupport

/// A disk that fills up under a working station: the database and the spool on a small file system
/// of the test's own (a tmpfs), filled while the agent packs and prints in autonomous mode. `waybill
/// status`, `/healthz` and `/metrics` say so at once (nearly full, then full), and once space is freed
/// the problem clears, the station finishes by itself and every label prints once.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DiskFullTests {
    @Test(.enabled(if: SmallFileSystem.mountingAllowed, "mounting a tmpfs is not allowed here: this test needs root (or CAP_SYS_ADMIN)"))
    func aDiskFillingDuringAnAutonomousRun_isReportedEverywhere_andClears_andEveryLabelPrintsOnce() async throws {
        let station = try await AutonomousStation.start(orders: 60)
        defer { station.stop() }
        // The station's folder (configuration, database, spool) on a file system of 2,200 MiB: far
        // from the nearly-full mark (100 MiB or 5 %) until the test takes its space.
        let configuration = try String(contentsOfFile: station.station.configPath, encoding: .utf8)
        let disk = try SmallFileSystem(at: station.station.folder.path, megabytes: 2200)
        defer { disk.unmount() }
        try configuration.write(toFile: station.station.configPath, atomically: true, encoding: .utf8)
        // The agent's log off the small disk: a full disk would cut it short.
        let logs = try TemporaryDirectory()
        let agent = try station.startAgent(log: logs.file("agent.log"))
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let store = try station.store()
        try await agent.poll("the station never shipped its first orders") {
            try station.stationOrders(store).filter { $0.state == .shipped }.count >= 3
        }
        let before = try await observe(station, agent)
        #expect(!before.kinds.contains("disk_low") && !before.kinds.contains("disk_full"), "\(before.kinds)")
        #expect(before.metrics["waybill_disk_free_bytes{volume=\"database\"}"] ?? 0 > Double(1 << 30))

        // Nearly full: a warning while commits and labels still fit, on the very next look.
        try disk.fill(leaving: 50 << 20)
        let low = try await observe(station, agent)
        #expect(low.code == 3 && low.kinds.filter { $0 == "disk_low" }.count == 2, "database and spool: \(low.kinds)")
        #expect(low.healthz.status == 503 && low.healthz.body.contains("disk nearly full (spool)"), "\(low.healthz.body)")
        #expect(low.metrics["waybill_health_problems{kind=\"disk_low\"}"] == 2 && low.metrics["waybill_health_ok"] == 0)

        // Full, while the autopilot works: said at once, and the station's writes start failing.
        // Each look follows a fill at once; the agent's own work can free a little space between the
        // three surfaces, so the disk is filled again until one look finds all three saying so.
        var full = try await observe(station, agent)
        try await agent.poll("the three surfaces never said the disk is full together: \(full.kinds), \(full.healthz.body)") {
            try disk.fill(leaving: 0)
            full = try await observe(station, agent)
            return full.kinds.filter { $0 == "disk_full" }.count == 2 && full.healthz.body.contains("disk full (database)")
                && full.metrics["waybill_health_problems{kind=\"disk_full\"}"] == 2
        }
        #expect(full.healthz.status == 503 && full.healthz.body.contains("disk full (database)"), "\(full.healthz.body)")
        #expect(full.healthz.body.contains("free space there or move store.path to a larger disk"))
        #expect(
            full.metrics["waybill_health_problems{kind=\"disk_full\"}"] == 2
                && full.metrics["waybill_disk_free_bytes{volume=\"spool\"}"] ?? 1e9 < Double(1 << 20)
        )
        // New work arrives while it is full (the first orders may all be done by now).
        let sku = try #require(try station.stationOrders(store).first?.lines.first?.skuID)
        var created: [String] = []
        for _ in 0..<3 { created.append(try await station.createOrder(sku: sku)) }
        try await agent.poll("nothing the agent wrote failed on the full disk") {
            agent.log.contains("No space left on device") || agent.log.contains("database or disk is full")
        }

        // Space freed: the disk problems are gone on the next look, and the station finishes alone.
        disk.freeAll()
        let freed = try await observe(station, agent)
        #expect(!freed.kinds.contains("disk_full") && !freed.kinds.contains("disk_low"), "\(freed.kinds)")
        #expect(freed.metrics["waybill_health_problems{kind=\"disk_full\"}"] == 0)
        var last = freed
        try await agent.poll(timeout: .seconds(90), "the station never became healthy again and drained") {
            last = try await observe(station, agent)
            let drained = try station.drained(store) && created.allSatisfy { (try? store.order(id: $0))??.state == .shipped }
            return last.code == 0 && last.healthz.status == 200 && last.metrics["waybill_health_ok"] == 1 && drained
        }
        #expect(last.healthz.body == "ok\n")
        #expect(agent.log.contains("Health problem cleared"), "the agent's log says when a problem clears")
        try await AutopilotTests.expectEachLabelOnceAndEachOperationOnce(station, store, orders: try station.stationOrders(store))
        #expect(agent.stop() == 0)
    }

    /// What each surface says now: `waybill status --json` (exit code and problem kinds), `/healthz`
    /// and `/metrics`.
    private func observe(
        _ station: AutonomousStation,
        _ agent: AgentProcess
    ) async throws -> (code: Int32?, kinds: [String], healthz: (status: Int, body: String), metrics: [String: Double]) {
        let status = try await station.waybill(["status", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any] ?? [:]
        let kinds = (object["health"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        let code: Int32? = if case .exited(let code) = status.status { code } else { nil }
        let healthz = try await station.http.send(HTTPRequest(url: try await agent.httpBase() + "/healthz"))
        return (code, kinds, (healthz.status, healthz.text), try await station.metrics(agent))
    }
}
