import ArgumentParser
import Foundation
import WaybillStore

extension WaybillCommand {
    /// `waybill conflicts`: every conflict is visible, and a person decides those that need one.
    struct Conflicts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, show and resolve conflicts between local work and central changes.",
            subcommands: [List.self, Show.self, Resolve.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List conflicts (those needing a person, or --all).")
            @OptionGroup var global: GlobalOptions
            @Flag(help: "Include auto-resolved and resolved conflicts.") var all = false

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                let conflicts = try WaybillStore.open(atPath: configuration.storePath).conflicts(openOnly: !all)
                if global.json {
                    try CommandJSON.print(conflicts)
                } else {
                    for conflict in conflicts {
                        print("#\(conflict.id)  \(conflict.state)  \(conflict.rule)  \(conflict.entity) \(conflict.entityID): \(conflict.reason)")
                    }
                    if conflicts.isEmpty { print(all ? "no conflicts" : "no conflicts need a person") }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one conflict with its local and central versions.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The conflict id.") var id: Int64

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                guard let conflict = try WaybillStore.open(atPath: configuration.storePath).conflict(id: id) else {
                    throw ValidationError("there is no conflict #\(id); list them with `waybill conflicts list --all`")
                }
                if global.json {
                    try CommandJSON.print(conflict)
                    return
                }
                print("conflict #\(conflict.id): \(conflict.rule) on \(conflict.entity) \(conflict.entityID) (\(conflict.state))")
                print("reason:  \(conflict.reason)")
                print("local:   \(conflict.localData ?? "-")")
                print("central: \(conflict.centralData ?? "-")")
                if let resolution = conflict.resolution {
                    print("resolved keeping \(resolution) by \(conflict.resolvedBy ?? "?")\(conflict.note.map { ": \($0)" } ?? "")")
                }
            }
        }

        struct Resolve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Resolve a conflict, keeping the local or the central side.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The conflict id.") var id: Int64
            @Option(help: "local or central.") var keep: String
            @Option(help: "Why (kept with the resolution).") var note: String?

            func validate() throws {
                guard ConflictResolution(rawValue: keep) != nil else { throw ValidationError("--keep must be local or central") }
            }

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                let person = ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "operator"
                let resolved = try WaybillStore.open(atPath: configuration.storePath)
                    .resolveConflict(id: id, keep: ConflictResolution(rawValue: keep)!, by: person, note: note)
                ControlSocket.nudge(storePath: configuration.storePath)
                print("conflict #\(resolved.id) resolved keeping \(keep) by \(person)")
            }
        }
    }
}
