import ArgumentParser
import Foundation
import Subprocess
import WaybillCore
import WaybillHTTP
import WaybillStore
import WaybillSync

/// `waybill-bench resync`: a full resync of N orders from the hub over loopback, beside curl
/// downloading the same pages, in alternating rounds (each side first in every other round, each
/// waybill round into a fresh replica); the ratio reported is the median of the rounds' ratios.
struct ResyncBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resync",
        abstract: "Full resync of N orders (about 3 lines each) vs curl on the same pages."
    )

    @Option(help: "How many orders.") var orders = 100_000
    @Option(help: "Changes per page.") var pageSize = 5000
    @Option(help: "How often the breakdown parses and applies the pages (the fastest run is shown).") var applyRuns = 3
    @Option(help: "Rounds of waybill and curl, alternating which goes first.") var rounds = 5

    func run() async throws {
        let hub = try await BenchHub.start(orders: orders)
        defer { hub.stop() }
        // Warm the hub's page cache, and learn the page URLs for curl, with a first resync.
        let (warmStore, warmEngine) = try hub.station(pageSize: pageSize)
        _ = await warmEngine.cycle()
        let cursor = try warmStore.cursor() ?? "?"
        // Its log is copied into the database file now, not in the background during the runs below.
        try warmStore.checkpoint()
        print("seeded and warmed: \(try warmStore.replicaVersions(of: .order).count) orders, feed cursor \(cursor)")

        let token = try await Self.token(hub)
        var waybillTimes: [Double] = []
        var curlTimes: [Double] = []
        var ratios: [Double] = []
        var cpuTimes: [Double] = []
        var hubCPUTimes: [Double] = []
        var count = 0
        var pages = 0
        for round in 1...max(1, rounds) {
            func resync() async throws -> Double {
                let (store, engine) = try hub.station(pageSize: pageSize)
                let start = ContinuousClock.now
                let cpu = Self.processCPUSeconds()
                // As the agent's sync service runs it: on the blocking lane, its commits off the pool.
                let report = await withTaskExecutorPreference(BlockingExecutor.shared) { await engine.cycle() }
                let elapsed = (ContinuousClock.now - start).seconds
                cpuTimes.append(Self.processCPUSeconds() - cpu)
                guard report.error == nil else { throw BenchError("resync failed: \(report.error!)") }
                count = try store.replicaVersions(of: .order).count
                try store.checkpoint()  // not in the background while curl runs
                return elapsed
            }
            func download() async throws -> Double {
                let start = ContinuousClock.now
                let cpu = Self.processCPUSeconds()
                pages = try await Self.curlPages(hub: hub, token: token, pageSize: pageSize)
                hubCPUTimes.append(Self.processCPUSeconds() - cpu)  // curl is a process of its own
                return (ContinuousClock.now - start).seconds
            }
            let waybill: Double
            let curl: Double
            if round % 2 == 1 {
                waybill = try await resync()
                curl = try await download()
            } else {
                curl = try await download()
                waybill = try await resync()
            }
            waybillTimes.append(waybill)
            curlTimes.append(curl)
            ratios.append(waybill / curl)
            print(String(format: "round %d: waybill %.2f s, curl %.2f s, ratio %.2fx", round, waybill, curl, waybill / curl))
        }

        // The hub serves from this process: its CPU is in the figure too (the machine's cores are shared).
        print(String(format: "CPU of this process (hub and station) during the waybill resyncs: median %.2f s", Rounds.median(cpuTimes)))
        print(String(format: "CPU of this process (the hub alone) while curl downloads: median %.2f s", Rounds.median(hubCPUTimes)))
        try await breakdown(hub: hub, token: token)
        let waybill = Rounds.median(waybillTimes)
        let curl = Rounds.median(curlTimes)
        print(
            "waybill resync: \(count) orders, median \(String(format: "%.2f", waybill)) s = \(Int(Double(count) / waybill)) orders/s (\(pages) pages, stored in SQLite)"
        )
        print("curl, same \(pages) pages: median \(String(format: "%.2f", curl)) s = \(Int(Double(count) / curl)) orders/s")
        print(Rounds.ratioLine("waybill/curl", ratios, digits: 2, floor: "floors: 150000 orders/s, at most 1.25x curl"))
    }

    /// Where a resync's time goes: fetching the pages, parsing them, applying them to SQLite.
    func breakdown(hub: BenchHub, token: String) async throws {
        let fetchStart = ContinuousClock.now
        let bodies = try await Self.pages(hub: hub, token: token, pageSize: pageSize)
        let fetched = ContinuousClock.now - fetchStart
        var pages: [FeedPage] = []
        var parsed = Duration.seconds(1_000_000)
        var parsedCPU = Double.infinity
        for _ in 0..<max(1, applyRuns) {
            pages = []
            let parseStart = ContinuousClock.now
            let parseCPU = Self.processCPUSeconds()
            pages = try bodies.map { try FeedPageParser.parse($0) }
            parsed = min(parsed, ContinuousClock.now - parseStart)
            parsedCPU = min(parsedCPU, Self.processCPUSeconds() - parseCPU)
        }
        // Applied into fresh replicas `applyRuns` times; the fastest run (the least disturbed by the
        // rest of the machine) is shown.
        var applied = Duration.seconds(1_000_000)
        var appliedCPU = Double.infinity
        for _ in 0..<max(1, applyRuns) {
            let (store, _) = try hub.station(pageSize: pageSize)
            let applyStart = ContinuousClock.now
            let applyCPU = Self.processCPUSeconds()
            for page in pages { _ = try store.applyPulledBatch(page.changes, cursor: page.nextCursor) }
            applied = min(applied, ContinuousClock.now - applyStart)
            appliedCPU = min(appliedCPU, Self.processCPUSeconds() - applyCPU)
            try store.checkpoint()
        }
        print(
            String(
                format:
                    "breakdown: fetch %.2f s, parse %.3f s (CPU %.3f s), apply to SQLite %.3f s (CPU %.3f s); parse and apply: fastest of \(max(1, applyRuns))",
                fetched.seconds,
                parsed.seconds,
                parsedCPU,
                applied.seconds,
                appliedCPU
            )
        )
    }

    /// The feed's pages, fetched one after the other with the agent's HTTP client (not parsed).
    static func pages(hub: BenchHub, token: String, pageSize: Int) async throws -> [[UInt8]] {
        let client = CurlHTTPClient(configuration: .init(requestTimeout: .seconds(120)))
        var cursor = "0"
        var bodies: [[UInt8]] = []
        while true {
            let response = try await client.send(
                HTTPRequest(
                    url: "\(hub.base)/v1/changes?cursor=\(cursor)&limit=\(pageSize)",
                    headers: [(name: "Authorization", value: "Bearer \(token)")]
                )
            )
            bodies.append(response.body)
            let tail = String(decoding: response.body.suffix(200), as: UTF8.self)
            guard let range = tail.range(of: "\"next_cursor\":\"") else { throw BenchError("no next_cursor") }
            cursor = String(tail[range.upperBound...].prefix { $0 != "\"" })
            if !tail.contains("\"has_more\":true") { return bodies }
        }
    }

    /// CPU time this process has used, in seconds (all threads).
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func token(_ hub: BenchHub) async throws -> String {
        let body = try JSONEncoder().encode(CentralAPI.TokenRequest(stationID: "station-1", secret: hub.secrets["station-1"]!))
        let response = try await CurlHTTPClient().send(
            HTTPRequest(
                method: "POST",
                url: hub.base + "/v1/auth/token",
                headers: [(name: "Content-Type", value: "application/json")],
                body: Array(body)
            )
        )
        return try JSONDecoder().decode(CentralAPI.TokenResponse.self, from: Data(response.body)).accessToken
    }

    /// curl pages through the feed the way a plain client would: one request per page, following next_cursor.
    static func curlPages(hub: BenchHub, token: String, pageSize: Int) async throws -> Int {
        var cursor = "0"
        var pages = 0
        while true {
            let result = try await Subprocess.run(
                .name("curl"),
                arguments: ["-s", "-H", "Authorization: Bearer \(token)", "\(hub.base)/v1/changes?cursor=\(cursor)&limit=\(pageSize)"],
                output: .bytes(limit: 64 << 20),
                error: .discarded
            )
            pages += 1
            let tail = String(decoding: result.standardOutput.suffix(200), as: UTF8.self)
            guard let range = tail.range(of: "\"next_cursor\":\"") else { throw BenchError("curl got no page") }
            cursor = String(tail[range.upperBound...].prefix { $0 != "\"" })
            if !tail.contains("\"has_more\":true") { return pages }
        }
    }
}
