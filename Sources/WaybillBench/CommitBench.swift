import ArgumentParser
import Foundation
import WaybillCore
import WaybillStore

/// `waybill-bench commit`: a durable local action (the change and its outbox entry) against a raw
/// SQLite commit of the same rows with the same pragmas.
struct CommitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Durable local action p50/p99 vs a raw SQLite commit (floor: 1.5x)."
    )

    @Option(help: "How many commits each.") var count = 2000

    func run() async throws {
        let folder = NSTemporaryDirectory() + "waybill-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try WaybillStore.open(atPath: folder + "/station.sqlite")
        _ = try store.identity(for: StationID(rawValue: "bench")!)
        for index in 0..<count { try store.upsertOrder(ReplicaOrder(id: "O-\(index)", version: 1, state: .assigned)) }
        let clock = ContinuousClock()
        var actions: [Duration] = []
        for index in 0..<count {
            let start = clock.now
            try store.recordOrderTransition(orderID: "O-\(index)", to: .claimed, kind: .claim)
            actions.append(clock.now - start)
        }
        let raw = try WaybillStore.rawCommitBaseline(path: folder + "/raw.sqlite", count: count).sorted()
        actions.sort()
        let ratio50 = percentile(actions, 0.5).seconds / percentile(raw, 0.5).seconds
        let ratio99 = percentile(actions, 0.99).seconds / percentile(raw, 0.99).seconds
        print("durable local action: p50 \(milliseconds(percentile(actions, 0.5))), p99 \(milliseconds(percentile(actions, 0.99)))")
        print("raw SQLite commit:    p50 \(milliseconds(percentile(raw, 0.5))), p99 \(milliseconds(percentile(raw, 0.99)))")
        print(String(format: "ratio: p50 %.2fx, p99 %.2fx   (floor: 1.5x; synchronous=FULL, WAL)", ratio50, ratio99))
    }
}
