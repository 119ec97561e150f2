import ArgumentParser
import Foundation
import Subprocess
import SystemPackage
import WaybillHubStore

/// `waybill-bench scans`: scan -> feedback on the station screen, measured in a real Chromium.
///
/// An agent process in manual mode serves the screen on loopback for a seeded hub's orders; a
/// Selenium script (`Resources/scan_feedback.py`) opens them one by one and types the barcode of
/// every unit of their first box and Enter into the scan field, as a wedge scanner does, every
/// tenth scan a wrong item (the next box would want this one weighed first, which is no scan).
/// The page times each scan from the Enter to the frame that shows its answer. The peer, measured
/// in the same page after every scan: a bare request the agent answers from memory
/// (`GET /station/session`), timed to its frame the same way, so the difference is the station's
/// own work on a scan (the replica read, the pack rules, the gesture and its outbox entry
/// committed, the panel rendered).
///
/// The hub runs in this process. A real centre is another machine, so the first run puts the hub's
/// database on a RAM disk (`/dev/shm`) and the floor applies to it; the second puts it on the
/// station's own disk, whose fsyncs then queue behind the hub's (measured here: about one fsync in
/// ten over 50 ms under that load), and is printed as the harder case. The station's database is on
/// the disk in both runs.
struct ScanBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scans",
        abstract: "Scan -> feedback on the station screen in Chromium, p50/p99, beside a bare request in the same page (floor: p99 <= 50 ms)."
    )

    @Option(help: "Scans to make (every tenth a wrong item).") var scans = 400
    @Option(help: "The waybill binary (default: beside this one).") var waybill: String?

    func run() async throws {
        let browser = ["/usr/bin/chromium", "/usr/bin/chromedriver", "/usr/bin/python3"]
        guard browser.allSatisfy(FileManager.default.isExecutableFile) else {
            throw BenchError("this bench needs Chromium, chromedriver and python3-selenium: packaging/dev.sh test installs them")
        }
        guard let script = Bundle.module.path(forResource: "scan_feedback", ofType: "py") else {
            throw BenchError("the bench's browser script is missing beside waybill-bench (Resources/scan_feedback.py)")
        }
        // The central system runs on another machine: its database goes on a RAM disk, so its
        // fsyncs do not queue on the station's disk. The second run shares the disk, as a harder case.
        let centres: [(name: String, folder: String?)] =
            FileManager.default.fileExists(atPath: "/dev/shm")
            ? [("centre on a disk of its own (tmpfs)", "/dev/shm"), ("centre on the station's disk", nil)]
            : [("centre on the station's disk", nil)]
        var floor: Double?
        for centre in centres {
            let result = try await measure(script: script, centreFolder: centre.folder)
            let scanTimes = result.scanMs.sorted()
            let peerTimes = result.peerMs.sorted()
            guard !scanTimes.isEmpty, !peerTimes.isEmpty else { throw BenchError("the browser made no scans") }
            let (scanP50, scanP99) = (Self.percentile(scanTimes, 0.5), Self.percentile(scanTimes, 0.99))
            let (peerP50, peerP99) = (Self.percentile(peerTimes, 0.5), Self.percentile(peerTimes, 0.99))
            print(
                String(
                    format:
                        "%@: scan -> feedback on screen over %d scans (%d refused) in %d orders: p50 %.1f ms, p99 %.1f ms, max %.1f ms   (floor: p99 <= 50 ms)",
                    centre.name,
                    scanTimes.count,
                    result.refused,
                    result.orders,
                    scanP50,
                    scanP99,
                    scanTimes.last ?? 0
                )
            )
            print(
                String(
                    format:
                        "  peer, a bare GET /station/session in the same page after each scan: p50 %.1f ms, p99 %.1f ms; scan / bare x%.2f at p50, x%.2f at p99",
                    peerP50,
                    peerP99,
                    scanP50 / max(peerP50, 0.001),
                    scanP99 / max(peerP99, 0.001)
                )
            )
            floor = floor ?? scanP99
        }
        if let floor, floor > 50 { throw BenchError(String(format: "the p99 of scan -> feedback is %.1f ms, above the 50 ms floor", floor)) }
    }

    /// One run: a hub whose database is in `centreFolder` (a temporary folder when nil), an agent
    /// whose database is in a temporary folder, and the browser script.
    private func measure(script: String, centreFolder: String?) async throws -> BrowserResult {
        let hub = try await BenchHub.start(orders: scans, maxLines: 4, under: centreFolder)
        defer { hub.stop() }
        let hubStore = try HubStore.open(path: hub.folder + "/hub.sqlite")
        let port = 19_400 + Int.random(in: 0..<500)
        let folder = NSTemporaryDirectory() + "waybill-bench-scans-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try hub.writeAgentConfiguration(folder: folder, listen: "127.0.0.1:\(port)", pollInterval: "1s")
        let orders = scans
        return try await Subprocess.run(
            .path(FilePath(BenchHub.waybillBinary(waybill))),
            arguments: ["agent", "--config", config],
            input: .none,
            output: .discarded,
            error: .discarded
        ) { execution -> BrowserResult in
            defer { try? execution.send(signal: .terminate) }
            let store = try await MistakesBench.waitForReplica(path: folder + "/station.sqlite", orders: orders)
            let ids = try MistakesBench.stationOrders(store)
            let used = Set(try ids.flatMap { id in try store.packingInputs(orderID: id).order.lines.map(\.sku) })
            guard let wrong = try MistakesBench.strangerCodes(hubStore).first(where: { !used.contains($0.sku) }) else {
                throw BenchError("every SKU of the seed is in some order: no wrong item to scan")
            }
            let scenario = folder + "/scenario.json"
            try JSONSerialization.data(withJSONObject: [
                "base": "http://127.0.0.1:\(port)", "orders": ids, "scans": scans, "wrong_code": wrong.code, "out": folder,
            ]).write(to: URL(fileURLWithPath: scenario))
            let run = try await Subprocess.run(
                .path("/usr/bin/python3"),
                arguments: [script, scenario],
                output: .discarded,
                error: .string(limit: 1 << 20)
            )
            guard let data = FileManager.default.contents(atPath: folder + "/result.json") else {
                throw BenchError("the browser script wrote no result: \(run.standardError)")
            }
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let result = try decoder.decode(BrowserResult.self, from: data)
            guard result.ok else { throw BenchError("the browser run failed: \(result.error ?? "") \(run.standardError)") }
            return result
        }.closureResult
    }

    /// What the browser script wrote into `result.json`.
    struct BrowserResult: Decodable, Sendable {
        var ok: Bool
        var error: String?
        var scanMs: [Double]
        var peerMs: [Double]
        var refused: Int
        var orders: Int
    }

    /// The value at `share` of sorted `values` (nearest rank).
    static func percentile(_ values: [Double], _ share: Double) -> Double {
        values[min(values.count - 1, max(0, Int((Double(values.count) * share).rounded(.up)) - 1))]
    }
}
