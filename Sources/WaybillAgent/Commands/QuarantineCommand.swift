import ArgumentParser
import Foundation
import WaybillStore

extension WaybillCommand {
    /// `waybill quarantine`: the pulled changes kept out of the replica, and why.
    struct Quarantine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List or show pulled changes kept out of the replica (invalid central data); a newer valid version replaces them.",
            subcommands: [List.self, Show.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List quarantined changes, newest first, with their reasons.")
            @OptionGroup var global: GlobalOptions
            @Option(help: "At most this many.") var limit = 100

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                let changes = try WaybillStore.open(atPath: configuration.storePath).quarantined(limit: limit)
                if global.json {
                    let rows: [[String: Any]] = changes.map {
                        [
                            "entity": $0.entity, "id": $0.id, "version": $0.version, "op": $0.op, "reason": $0.reason,
                            "received_at": ISO8601DateFormatter().string(from: $0.receivedAt),
                        ]
                    }
                    print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    for change in changes { print("\(change.entity) \(change.id) v\(change.version)  \(change.reason)") }
                    if changes.isEmpty { print("nothing is quarantined") }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one quarantined change with the data it arrived with.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The entity type (order, sku, stock, box, rate_table, rules, label).") var entity: String
            @Argument(help: "The entity's id, as `waybill quarantine list` shows it.") var id: String

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                guard let change = try WaybillStore.open(atPath: configuration.storePath).quarantined(entity: entity, id: id) else {
                    throw ValidationError("no \(entity) \(id) is quarantined; see `waybill quarantine list`")
                }
                let fields: [(String, String)] = [
                    ("entity", change.entity), ("id", change.id), ("version", "\(change.version)"), ("op", change.op), ("reason", change.reason),
                    ("received", ISO8601DateFormatter().string(from: change.receivedAt)), ("data", change.data ?? "-"),
                ]
                if global.json {
                    let object = Dictionary(uniqueKeysWithValues: fields)
                    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    // The data is the central system's text: shown escaped, so no control character reaches the terminal.
                    for (name, value) in fields {
                        print(
                            name.padding(toLength: 10, withPad: " ", startingAt: 0)
                                + value.unicodeScalars.map { $0.value < 0x20 ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
                        )
                    }
                }
            }
        }
    }
}
