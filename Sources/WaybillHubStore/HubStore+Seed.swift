public import Foundation
import GRDB
public import WaybillCore

extension HubStore {
    /// What `seed` made.
    public struct SeedSummary: Sendable {
        public let orders: Int
        public let skus: Int
        public let labelsBoughtAhead: Int
        /// Each station's secret, also written to `secrets/<station>.secret` (mode 0600) beside the database.
        public let secrets: [String: String]
    }

    /// Seeds a deterministic catalog and `orders` orders spread over stations `station-1` ... `station-K`.
    ///
    /// The same `seed` gives the same data. Station secrets are derived from the seed too, so a
    /// re-seeded hub keeps working with the secret files already handed out.
    ///
    /// `maxLines` caps the lines per order (40 by default); `poolShare` puts one order in ten in the
    /// warehouse pool. Benchmarks use `maxLines: 8` (about 2-3 lines per order) and no pool.
    public func seed(orders: Int, stations: Int, seed: UInt64, maxLines: Int = 40, poolShare: Bool = true, now: Date = Date()) throws -> SeedSummary {
        var random = SeededRandom(seed: seed)
        let stationIDs = (1...max(1, stations)).map { "station-\($0)" }
        var secrets: [String: String] = [:]
        for id in stationIDs {
            secrets[id] = (0..<4).map { _ in String(random.next(), radix: 16) }.joined()
            try addStation(id: id, warehouse: "WH1", secret: secrets[id]!, now: now)
        }
        try writeSecrets(secrets)

        let skuCount = max(200, min(2000, orders / 20))
        let rates = try Self.bundledRates()
        var labels = 0
        try writer.write { db in
            let skus = (1...skuCount).map { SeedData.sku(index: $0, random: &random) }
            for sku in skus {
                try Self.record(db, entity: .sku, id: sku.id, data: try Self.json(sku), audiences: [nil])
                let stock = CentralAPI.StockData(sku: sku.id, location: sku.location, quantity: Int.random(in: 20...500, using: &random))
                try Self.record(db, entity: .stock, id: "\(sku.id)@\(sku.location)", data: try Self.json(stock), audiences: [nil])
            }
            for box in SeedData.boxes {
                try Self.record(db, entity: .box, id: box.id, data: try Self.json(box), audiences: [nil])
            }
            try Self.record(db, entity: .rateTable, id: "default", data: rates, audiences: [nil])
            try Self.record(db, entity: .rules, id: "default", data: try Self.json(SeedData.rules), audiences: [nil])

            let skuIDs = skus.map(\.id)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for number in 1...max(1, orders) where orders > 0 {
                // One order in ten goes to the warehouse pool, visible to every station; first claim wins.
                let station: String? = poolShare && number % 10 == 0 ? nil : stationIDs[(number - 1) % stationIDs.count]
                let order = SeedData.order(number: number, stationID: station, skus: skuIDs, maxLines: maxLines, random: &random)
                let data = String(decoding: try encoder.encode(order), as: UTF8.self)
                try Self.record(db, entity: .order, id: order.id, data: data, audiences: [station])
                if Int.random(in: 0..<20, using: &random) == 0 {
                    let label = Self.carrierLabel(
                        for: order,
                        boxNo: 1,
                        boxCount: 1,
                        service: "SIM_GROUND",
                        cost: 11.5,
                        tracking: "1ZSIM\(String(format: "%010d", number))"
                    )
                    try Self.record(db, entity: .label, id: label.labelID, data: try Self.json(label), audiences: [order.stationID])
                    labels += 1
                }
            }
        }
        return SeedSummary(orders: max(0, orders), skus: skuCount, labelsBoughtAhead: labels, secrets: secrets)
    }

    /// The rate file the hub serves as the `rate_table` entity (packing-bench `rates.json`).
    static func bundledRates() throws -> String {
        guard let url = Bundle.module.url(forResource: "rates", withExtension: "json") else {
            throw HubStoreError("internal", "rates.json is missing from the hub's resources")
        }
        let data = try Data(contentsOf: url)
        // Checked once as every station checks it (a table a station would quarantine leaves it
        // without rates); the feed serves the file's JSON as is.
        if let problem = CentralValidation.problem(entity: CentralAPI.Entity.rateTable.rawValue, data: data) {
            throw HubStoreError("internal", "the hub's rates.json breaks the contract: \(problem)")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The rate model the hub quotes with.
    public static func rateModel() throws -> RateModel {
        try JSONDecoder().decode(RateModel.self, from: Data(try bundledRates().utf8))
    }

    private func writeSecrets(_ secrets: [String: String]) throws {
        try FileManager.default.createDirectory(atPath: secretsDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for (station, secret) in secrets {
            let file = secretsDirectory + "/\(station).secret"
            _ = FileManager.default.createFile(atPath: file, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }
}
