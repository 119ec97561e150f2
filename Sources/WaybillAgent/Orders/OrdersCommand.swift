import ArgumentParser
import Foundation
import WaybillCore
import WaybillStore

extension WaybillCommand {
    /// `waybill orders list|show`: the replica's orders, for a manual station and for scripts.
    struct Orders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the replica's orders (counts by state, or one state) or show one with its box plan.",
            subcommands: [List.self, Show.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Counts by state, and the orders (of --state, or all).")
            @OptionGroup var global: GlobalOptions
            @Option(help: "Only orders in this state (assigned, claimed, packed, labelled, shipped, cancelled).") var state: String?
            @Option(help: "At most this many orders.") var limit = 500

            func validate() throws {
                if let state, OrderState(rawValue: state) == nil {
                    throw ValidationError("unknown state '\(state)'; use one of \(OrderState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }

            func run() async throws {
                let (_, store) = try await global.openStore()
                let counts = try store.orderCounts()
                let orders = try store.orderSummaries(state: state.flatMap(OrderState.init(rawValue:)), limit: limit)
                if global.json {
                    struct Listing: Encodable {
                        let counts: [String: Int]
                        let orders: [OrderSummary]
                    }
                    let listing = Listing(counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }), orders: orders)
                    try CommandJSON.print(listing)
                    return
                }
                print(OrderState.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: "  "))
                for order in orders {
                    let conflicts = order.openConflicts > 0 ? "  \(order.openConflicts) conflict(s) need a person" : ""
                    print("\(order.id)  \(order.state)  \(order.boxes) box(es)  \(order.reference)\(conflicts)")
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "One order: state, lines and its box plan.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The order id.") var orderID: String

            func run() async throws {
                let (_, store) = try await global.openStore()
                guard let order = try store.order(id: orderID) else {
                    throw ValidationError("order \(orderID) is not in the replica; run `waybill sync` or check the id with `waybill orders list`")
                }
                let shipment = try store.shipment(orderID: orderID)
                if global.json {
                    struct Detail: Encodable {
                        let id: String
                        let state: String
                        let version: Int
                        let order: String
                        let shipment: Shipment?
                    }
                    let detail = Detail(id: order.id, state: order.state.rawValue, version: order.version, order: order.data, shipment: shipment)
                    try CommandJSON.print(detail)
                    return
                }
                print("order \(order.id): \(order.state.rawValue) (central version \(order.version))")
                for line in order.lines { print("  \(line.quantity) x \(line.skuID)") }
                guard let shipment else {
                    print("no box plan yet; `waybill pack \(order.id)` plans one")
                    return
                }
                print(
                    String(
                        format: "plan revision %d by %@: %d box(es), %.2f total",
                        shipment.revision,
                        shipment.plannedBy,
                        shipment.boxes.count,
                        shipment.totalCost
                    )
                )
                for line in shipment.boxLines { print(line) }
            }
        }
    }
}
