import ArgumentParser
import WaybillCore
import WaybillStore

extension WaybillCommand {
    /// `waybill ship ORDER_ID`: hands a labelled order to the carrier on a manual station.
    struct Ship: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a labelled order shipped once every box's carrier label has printed; the agent pushes it to the hub.",
            discussion: """
                The order moves to shipped with a `ship` operation in the outbox, in one transaction. When it is \
                not ready the command exits 1 and says what is missing: a box plan, the label request, a box's \
                carrier label from the hub, or a print that has not completed (a packing slip only when \
                `printers.document` is configured, here or in the agent as it last started or reloaded). An order already shipped exits 0.
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The order id (from `waybill orders list --state labelled`).") var orderID: String

        func run() async throws {
            let (configuration, store) = try await global.openStore()
            // As the autonomous mode: packing slips count only where they print, by the agent's
            // configuration (recorded when it last started or reloaded) or this one.
            let agentPrintsSlips = try store.syncState()[.documentPrinter].map { !$0.isEmpty } ?? false
            let outcome = try store.shipOrder(orderID, slips: agentPrintsSlips || configuration.documentPrinter != nil)
            ControlSocket.nudge(storePath: configuration.storePath)
            switch outcome {
            case .shipped(let operation):
                if global.json {
                    print(
                        "{\"order_id\":\(JSONStringLiteral.quote(orderID)),\"shipped\":true,\"idempotency_key\":\(JSONStringLiteral.quote(operation.idempotencyKey))}"
                    )
                } else {
                    print("order \(orderID) shipped; the ship operation is in the outbox (the agent pushes it)")
                }
            case .alreadyShipped:
                print(
                    global.json
                        ? "{\"order_id\":\(JSONStringLiteral.quote(orderID)),\"shipped\":true,\"already\":true}"
                        : "order \(orderID) was already shipped"
                )
            }
        }
    }
}
