import ArgumentParser
import Foundation
import WaybillCore
import WaybillStore

/// `waybill-bench backlog`: time to get N queued operations confirmed by the hub.
struct BacklogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backlog", abstract: "Confirm a backlog of N outbox entries (floor: 10,000 in 5 s).")

    @Option(help: "How many entries.") var entries = 10_000

    func run() async throws {
        let hub = try await BenchHub.start(orders: 100)
        defer { hub.stop() }
        let (store, engine) = try hub.station()
        _ = await engine.cycle()
        try store.recordStockDeltas(count: entries, sku: "SKU-0001", location: "A")
        let start = ContinuousClock.now
        var report = await engine.cycle()
        while !(report.pushed?.drained ?? false) || report.error != nil { report = await engine.cycle() }
        let elapsed = ContinuousClock.now - start
        let depth = try store.status().outboxDepth
        print(
            "backlog of \(entries) entries confirmed in \(String(format: "%.2f", elapsed.seconds)) s (\(Int(Double(entries) / elapsed.seconds)) entries/s), \(depth) left   (floor: 10000 in 5 s)"
        )
    }
}
