import ArgumentParser
import Foundation
import WaybillCore
import WaybillStation
import WaybillStore

#if canImport(Glibc)
    import Glibc
#endif

extension WaybillCommand {
    /// `waybill packers`: the people who sign in at the station's screen.
    struct Packers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, list or remove the packers who sign in at the station's screen (name and PIN).",
            discussion: """
                Once a station has packers, its screen asks who packs, also at the station itself, and records their \
                name with every scan, weight and override. Off loopback the screen always asks.
                """,
            subcommands: [Add.self, List.self, Remove.self]
        )

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a packer. The PIN (4 to 12 digits) is asked twice on a terminal, or read as one line from standard input."
            )
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The packer's name (\(PackerName.expectation)).") var name: String
            @Flag(help: "The packer may accept a box whose weight does not match, with a reason.") var supervisor = false
            @Flag(help: "Give an existing packer this new PIN and role.") var replace = false

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                let checked: PackerName
                do {
                    checked = try PackerName(name)
                } catch {
                    throw ValidationError(error.description)
                }
                let pin = try Self.readPIN()
                let hash = PINHash.make(pin)
                try WaybillStore.open(atPath: configuration.storePath).addPacker(
                    name: checked.rawValue,
                    pinHash: hash,
                    supervisor: supervisor,
                    replacing: replace
                )
                print("\(replace ? "updated" : "added") \(checked)\(supervisor ? " (supervisor)" : ""): they sign in at /station/sign-in")
            }

            /// The PIN, asked twice without echo on a terminal, or one line of standard input.
            static func readPIN() throws -> PackerPIN {
                do {
                    guard isatty(STDIN_FILENO) == 1 else { return try PackerPIN(readLine(strippingNewline: true) ?? "") }
                    let first = try PackerPIN(prompt("PIN (4 to 12 digits): "))
                    guard try PackerPIN(prompt("The same PIN again: ")).digits == first.digits else {
                        throw ValidationError("the two PINs differ; nothing was added")
                    }
                    return first
                } catch let error as PackerInputError {
                    throw ValidationError(error.description + "; nothing was added")
                }
            }

            private static func prompt(_ text: String) -> String {
                guard let line = getpass(text) else { return "" }
                return String(cString: line)
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the packers (never their PINs).")
            @OptionGroup var global: GlobalOptions

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                let packers = try WaybillStore.open(atPath: configuration.storePath).packers()
                if global.json {
                    let rows: [[String: Any]] = packers.map {
                        ["name": $0.name, "supervisor": $0.supervisor, "added_at": ISO8601DateFormatter().string(from: $0.addedAt)]
                    }
                    try CommandJSON.print(object: rows)
                } else {
                    for packer in packers { print(packer.name + (packer.supervisor ? "  supervisor" : "")) }
                    if packers.isEmpty { print("no packers: the screen works at the station itself only; add one with waybill packers add NAME") }
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a packer; they can no longer sign in.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The packer's name.") var name: String

            func run() async throws {
                let configuration = try await global.loadConfiguration()
                guard try WaybillStore.open(atPath: configuration.storePath).removePacker(name: name) else {
                    throw ValidationError("no packer is named \(name); see waybill packers list")
                }
                print("removed \(name)")
            }
        }
    }
}
