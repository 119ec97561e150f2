import ArgumentParser
import Foundation
import WaybillCore
import WaybillStore

/// `waybill-bench commit`: a durable local action (the change and its outbox entry) against a raw
/// SQLite commit of the same rows in the same database file, in alternating rounds (each side first
/// in every other round, each round on rows of its own); the ratios reported are the medians of the
/// rounds' ratios.
struct CommitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Durable local action p50/p99 vs a raw SQLite commit, median of alternating rounds (floor: 1.5x)."
    )

    @Option(help: "How many commits each side makes in each round.") var count = 1000
    @Option(help: "Rounds, alternating which side goes first.") var rounds = 5

    func run() async throws {
        let folder = NSTemporaryDirectory() + "waybill-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try WaybillStore.open(atPath: folder + "/station.sqlite")
        _ = try store.identity(for: StationID(rawValue: "bench")!)
        let rounds = max(1, rounds)
        for index in 0..<(count * rounds) { try store.upsertOrder(ReplicaOrder(id: "O-\(index)", version: 1, state: .assigned)) }
        let clock = ContinuousClock()
        var ratios50: [Double] = []
        var ratios99: [Double] = []
        var allActions: [Duration] = []
        var allRaw: [Duration] = []
        for round in 0..<rounds {
            func actions() throws -> [Duration] {
                var durations: [Duration] = []
                for index in (round * count)..<((round + 1) * count) {
                    let start = clock.now
                    try store.recordOrderTransition(orderID: "O-\(index)", to: .claimed, kind: .claim)
                    durations.append(clock.now - start)
                }
                return durations.sorted()
            }
            func raw() throws -> [Duration] {
                try store.rawCommitBaseline(count: count, tag: "\(round)").sorted()
            }
            let action: [Duration]
            let baseline: [Duration]
            if round % 2 == 0 {
                action = try actions()
                baseline = try raw()
            } else {
                baseline = try raw()
                action = try actions()
            }
            ratios50.append(percentile(action, 0.5).seconds / percentile(baseline, 0.5).seconds)
            ratios99.append(percentile(action, 0.99).seconds / percentile(baseline, 0.99).seconds)
            allActions += action
            allRaw += baseline
            print(
                String(
                    format: "round %d (%@ first): ratio p50 %.2fx, p99 %.2fx",
                    round + 1,
                    round % 2 == 0 ? "action" : "raw",
                    ratios50.last!,
                    ratios99.last!
                )
            )
        }
        allActions.sort()
        allRaw.sort()
        print(
            "durable local action: p50 \(milliseconds(percentile(allActions, 0.5))), p99 \(milliseconds(percentile(allActions, 0.99))) (all rounds)"
        )
        print("raw SQLite commit:    p50 \(milliseconds(percentile(allRaw, 0.5))), p99 \(milliseconds(percentile(allRaw, 0.99))) (all rounds)")
        print(
            String(
                format: "ratio, median of %d rounds: p50 %.2fx (%.2f–%.2fx), p99 %.2fx (%.2f–%.2fx)   (floor: 1.5x; synchronous=FULL, WAL)",
                rounds,
                Rounds.median(ratios50),
                ratios50.min() ?? 0,
                ratios50.max() ?? 0,
                Rounds.median(ratios99),
                ratios99.min() ?? 0,
                ratios99.max() ?? 0
            )
        )
    }
}
