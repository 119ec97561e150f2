import ArgumentParser
import Foundation
import WaybillHubStore

extension HubCommand {
    /// `waybill-hub seed`.
    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seed deterministic, realistic data: a catalog, stock, boxes, rates and N orders over K stations."
        )

        @Option(help: "The hub's SQLite database (created when absent).")
        var db: String

        @Option(help: "How many orders.")
        var orders = 1000

        @Option(help: "How many stations (station-1 ... station-K).")
        var stations = 2

        @Option(help: "The seed: the same seed gives the same data.")
        var seed: UInt64 = 7

        func validate() throws {
            guard orders >= 0, orders <= 5_000_000 else { throw ValidationError("--orders must be 0 to 5,000,000") }
            guard (1...1000).contains(stations) else { throw ValidationError("--stations must be 1 to 1000") }
        }

        func run() async throws {
            let store = try HubStore.open(path: db)
            let summary = try store.seed(orders: orders, stations: stations, seed: seed)
            print("seeded \(summary.orders) orders, \(summary.skus) SKUs, \(summary.labelsBoughtAhead) labels bought ahead")
            print(
                "station secrets (mode 0600): \(store.secretsDirectory)/<station>.secret for \(summary.secrets.keys.sorted().joined(separator: ", "))"
            )
        }
    }

    /// `waybill-hub station`.
    struct Station: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Manage stations.", subcommands: [Add.self])

        /// `waybill-hub station add ID --db PATH`.
        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Register a station and print its secret (shown once).")

            @Argument(help: "The station id.")
            var id: String

            @Option(help: "The hub's SQLite database.")
            var db: String

            func run() async throws {
                print(try HubStore.open(path: db).addStation(id: id))
            }
        }
    }
}
