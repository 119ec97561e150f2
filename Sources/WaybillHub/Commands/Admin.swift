import ArgumentParser
import Foundation
import WaybillHTTP

extension HubCommand {
    /// `waybill-hub admin ...`: the admin API from the command line.
    struct Admin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mutate orders, stations and faults on a running hub, and dump its ledger (admin API over loopback).",
            subcommands: [
                Ledger.self, Faults.self, CreateOrder.self, Cancel.self, Address.self, Lines.self, Reassign.self, Revoke.self, Compact.self,
            ]
        )

        struct Options: ParsableArguments {
            @Option(help: "The hub's base URL.")
            var url = "http://127.0.0.1:8700"

            func call(_ method: String, _ path: String, _ body: String? = nil) async throws {
                let request = HTTPRequest(
                    method: method,
                    url: url + "/admin/" + path,
                    headers: [(name: "Content-Type", value: "application/json")],
                    body: Array((body ?? "").utf8),
                    timeout: .seconds(30)
                )
                let response = try await CurlHTTPClient().send(request)
                print(String(decoding: response.body, as: UTF8.self))
                if !(200..<300).contains(response.status) { throw ExitCode.failure }
            }
        }

        struct Ledger: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print every applied effect as JSON.")
            @OptionGroup var options: Options
            func run() async throws { try await options.call("GET", "ledger") }
        }

        struct Faults: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set the fault spec ('' clears it), or print it when no spec is given.")
            @OptionGroup var options: Options
            @Argument(help: "The fault spec, e.g. mixed:0.3.") var spec: String?
            func run() async throws {
                guard let spec else { return try await options.call("GET", "faults") }
                try await options.call("PUT", "faults", try jsonObject(["spec": spec]))
            }
        }

        struct CreateOrder: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "create-order", abstract: "Create an order for a station.")
            @OptionGroup var options: Options
            @Option(help: "The station to assign it to.") var station: String
            func run() async throws { try await options.call("POST", "orders", try jsonObject(["station_id": station])) }
        }

        struct Cancel: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Cancel an order centrally.")
            @OptionGroup var options: Options
            @Argument var order: String
            func run() async throws { try await options.call("POST", "orders/\(order)/cancel") }
        }

        struct Address: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Replace an order's ship-to address (JSON).")
            @OptionGroup var options: Options
            @Argument var order: String
            @Argument(help: "The address as JSON: name, street1, city, region, postal_code, country.") var json: String
            func run() async throws { try await options.call("POST", "orders/\(order)/address", json) }
        }

        struct Lines: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Replace an order's lines (JSON array of {line_no, sku, quantity}).")
            @OptionGroup var options: Options
            @Argument var order: String
            @Argument var json: String
            func run() async throws { try await options.call("POST", "orders/\(order)/lines", "{\"lines\":\(json)}") }
        }

        struct Reassign: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Assign an order to another station.")
            @OptionGroup var options: Options
            @Argument var order: String
            @Option(help: "The new station.") var station: String
            func run() async throws { try await options.call("POST", "orders/\(order)/reassign", try jsonObject(["station_id": station])) }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a station.")
            @OptionGroup var options: Options
            @Argument var station: String
            func run() async throws { try await options.call("POST", "stations/\(station)/revoke") }
        }

        struct Compact: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Compact the changes feed: older cursors then get 410 Gone.")
            @OptionGroup var options: Options
            func run() async throws { try await options.call("POST", "compact") }
        }
    }
}

private func jsonObject(_ values: [String: String]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]), as: UTF8.self)
}
