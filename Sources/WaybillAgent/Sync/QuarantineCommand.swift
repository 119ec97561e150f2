import ArgumentParser
import Foundation
import WaybillStore
import WaybillSync

extension WaybillCommand {
    /// `waybill quarantine`: the pulled changes kept out of the replica, and why.
    struct Quarantine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List, show or retry pulled changes kept out of the replica (invalid central data); a newer valid version replaces them.",
            subcommands: [List.self, Show.self, Retry.self]
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
                    try CommandJSON.print(object: rows)
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
                    try CommandJSON.print(object: object)
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

        struct Retry: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check quarantined changes again with this waybill's rules and apply those that pass.",
                discussion: """
                    For after an upgrade, or once the central system says the data is fixed where it stands: each \
                    change is checked as a pull checks it; one that passes and is newer than the replica's copy \
                    applies (one the replica has already replaced just leaves the quarantine); one that still fails \
                    stays with its reason. Data longer than the 16 KiB the quarantine keeps cannot be checked \
                    again: `waybill resync` fetches it anew. Exit code 3 when something stays quarantined.
                    """
            )
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The entity type, as `waybill quarantine list` shows it.") var entity: String?
            @Argument(help: "The entity's id.") var id: String?
            @Flag(help: "Retry every quarantined change.") var all = false

            func validate() throws {
                guard all != (entity != nil) else { throw ValidationError("name one change (ENTITY ID) or use --all") }
                guard entity == nil || id != nil else { throw ValidationError("name the change's id after its entity type") }
            }

            func run() async throws {
                let (configuration, store) = try await global.openStore()
                var targets: [QuarantinedChange]
                if let entity, let id {
                    guard let change = try store.quarantined(entity: entity, id: id) else {
                        throw ValidationError("no \(entity) \(id) is quarantined; see `waybill quarantine list`")
                    }
                    targets = [change]
                } else {
                    targets = try store.quarantined(limit: Int.max)
                }
                var checked: [PulledChange] = []
                var lines: [String] = []
                for change in targets {
                    let name = "\(change.entity) \(change.id) v\(change.version)"
                    if change.isTruncated {
                        lines.append("\(name)  stays: its data is longer than the quarantine keeps; `waybill resync` fetches it again")
                        continue
                    }
                    let rechecked = try FeedPageParser.recheck(
                        entity: change.entity,
                        id: change.id,
                        version: change.version,
                        op: change.op,
                        data: change.data
                    )
                    checked.append(rechecked)
                    lines.append("\(name)  " + (rechecked.problem.map { "stays: \($0)" } ?? "passes"))
                }
                let outcome = try store.applyRetriedChanges(checked)
                ControlSocket.nudge(storePath: configuration.storePath)
                let left = try store.quarantined(limit: Int.max).count
                for line in lines { print(line) }
                print("\(outcome.applied) applied, \(outcome.stale) already replaced in the replica, \(left) still quarantined")
                let stays = try targets.contains { target in try store.quarantined(entity: target.entity, id: target.id) != nil }
                if stays { throw ExitCode(3) }
            }
        }
    }
}
