import ArgumentParser
import Foundation
import WaybillCore
import WaybillStore

extension WaybillCommand {
    /// `waybill outbox`: see and steer the outbound operation log.
    struct Outbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, show, retry or discard outbox entries.",
            subcommands: [List.self, Show.self, Retry.self, Discard.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List entries in a state (pending, held, dead, confirmed).")
            @OptionGroup var global: GlobalOptions
            @Option(help: "pending, held, dead or confirmed.") var state = "pending"
            @Option(help: "At most this many.") var limit = 50

            func validate() throws {
                guard OutboxState(rawValue: state) != nil else { throw ValidationError("--state must be pending, held, dead or confirmed") }
            }

            func run() async throws {
                let (_, store) = try await global.openStore()
                let entries = try store.outboxEntries(state: OutboxState(rawValue: state)!, limit: limit)
                if global.json {
                    let rows: [[String: Any]] = entries.map {
                        [
                            "idempotency_key": $0.operation.idempotencyKey, "epoch": $0.operation.epoch, "seq": $0.operation.seq,
                            "type": $0.operation.kind.rawValue, "entity_id": $0.operation.entityID, "attempts": $0.attempts,
                            "state": $0.state.rawValue, "last_error": $0.lastError ?? NSNull(),
                            "age_s": Int(Date().timeIntervalSince($0.createdAt)),
                        ]
                    }
                    try CommandJSON.print(object: rows)
                } else {
                    for entry in entries {
                        let op = entry.operation
                        print(
                            "\(op.epoch)/\(op.seq)  \(op.kind.rawValue)  \(op.entityID)  attempts \(entry.attempts)\(entry.lastError.map { "  \($0)" } ?? "")"
                        )
                    }
                    if entries.isEmpty { print("no \(state) entries") }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one entry, by idempotency key.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The entry's idempotency key (from `waybill outbox list --json`).") var key: String

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                guard let entry = try WaybillStore.open(atPath: configuration.storePath).outboxEntry(idempotencyKey: key) else {
                    throw ValidationError("no outbox entry has the key \(key)")
                }
                let op = entry.operation
                let fields: [(String, String)] = [
                    ("key", op.idempotencyKey), ("state", entry.state.rawValue), ("type", op.kind.rawValue), ("entity", op.entityID),
                    ("epoch/seq", "\(op.epoch)/\(op.seq)"), ("base version", op.baseVersion.map(String.init) ?? "-"),
                    ("attempts", "\(entry.attempts)"), ("next attempt", ISO8601DateFormatter().string(from: entry.nextAttemptAt)),
                    ("last error", entry.lastError ?? "-"), ("conflict", entry.conflictID.map { "#\($0)" } ?? "-"), ("payload", op.payload),
                ]
                if global.json {
                    try CommandJSON.print(object: Dictionary(uniqueKeysWithValues: fields))
                } else {
                    for (name, value) in fields { print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + value) }
                }
            }
        }

        struct Discard: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Discard a pending (never sent) or held entry, with a reason.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The entry's idempotency key.") var key: String
            @Option(help: "Why it must not reach the central API (recorded).") var reason: String

            func validate() throws {
                guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must say why") }
            }

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                try WaybillStore.open(atPath: configuration.storePath).discardOutboxEntry(idempotencyKey: key, reason: reason)
                print("discarded \(key)")
            }
        }

        struct Retry: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make every pending entry due now (skip the backoff).")
            @OptionGroup var global: GlobalOptions

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                let count = try WaybillStore.open(atPath: configuration.storePath).retryPendingNow()
                ControlSocket.nudge(storePath: configuration.storePath)
                print("\(count) pending entries are due now")
            }
        }
    }
}
