import ArgumentParser
import Foundation
import WaybillCore
import WaybillStore
import WaybillSync

extension WaybillCommand {
    /// `waybill pack`: plans an order's boxes at the lowest shipping cost.
    struct Pack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan an order's boxes, items and carrier service at the lowest total cost.",
            discussion: """
                With ORDER_ID, plans an order of the replica, stores its boxes (a shipment with its boxes and \
                items) and records claim and pack in the outbox; --replan plans a packed order again while it has \
                no carrier labels (its box labels and slips are replaced by the new plan's: the way to finish a resplit). With --instance FILE, plans a packing-bench instance and writes the plan (the solution \
                schema) to --output or stdout; with --instance DIR --output DIR, plans every *.json in the folder.
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "An order of the replica to plan.") var orderID: String?
        @Option(help: ArgumentHelp("A packing-bench instance file, or a folder of them.", valueName: "path")) var instance: String?
        @Option(help: ArgumentHelp("Rate model file (default: the built-in packing-bench model).", valueName: "path")) var rates: String?
        @Option(help: ArgumentHelp("Where to write the plan: a file, or a folder with --instance DIR.", valueName: "path"))
        var output: String?
        @Option(name: .customLong("budget-ms"), help: "Time to search for cheaper plans, per order (default: packing.budget, 50 ms).")
        var budgetMs: Int?
        @Option(help: "Seed of the planner's randomised restarts.") var seed: UInt64 = 1
        @Flag(help: "Plan again a packed order (before its carrier labels).") var replan = false

        func validate() throws {
            if orderID != nil, instance != nil { throw ValidationError("give an ORDER_ID or --instance, not both") }
            if orderID == nil, instance == nil { throw ValidationError("give an ORDER_ID or --instance FILE.json") }
            if let budgetMs, budgetMs < 0 { throw ValidationError("--budget-ms must be 0 or more") }
            if replan, orderID == nil { throw ValidationError("--replan plans a replica order again: give its ORDER_ID") }
            var isFolder: ObjCBool = false
            if let instance, FileManager.default.fileExists(atPath: instance, isDirectory: &isFolder), isFolder.boolValue, output == nil {
                throw ValidationError("--instance DIR needs --output DIR (plans are written as same-named files)")
            }
        }

        func run() async throws {
            guard let instance else {
                try await packReplicaOrder(orderID ?? "")
                return
            }
            let planner = PackingPlanner(rates: try PackFiles.rates(at: rates), budget: .milliseconds(budgetMs ?? 50), seed: seed)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: instance, isDirectory: &isFolder), isFolder.boolValue {
                try planFolder(instance, planner: planner)
            } else {
                try PackFiles.write(planner.plan(try PackFiles.instance(at: instance)), to: output)
            }
        }

        /// Plans a replica order and stores the plan with its outbox entries.
        private func packReplicaOrder(_ orderID: String) async throws {
            let (configuration, store) = try await global.openStore()
            var packer = OrderPacker(store: store, budget: budgetMs.map { .milliseconds($0) } ?? configuration.packingBudget)
            if rates != nil { packer.fallbackRates = try PackFiles.rates(at: rates) }
            packer.liveRates = liveRates(configuration, store)
            let shipment = try await packer.pack(
                orderID: orderID,
                plannedBy: ProcessInfo.processInfo.environment["USER"] ?? "operator",
                replan: replan
            )
            ControlSocket.nudge(storePath: configuration.storePath)
            if global.json {
                try CommandJSON.print(shipment)
                return
            }
            print(
                String(
                    format: "order %@ packed: %d box(es), %.2f total (revision %d)",
                    orderID,
                    shipment.boxes.count,
                    shipment.totalCost,
                    shipment.revision
                )
            )
            for line in shipment.boxLines { print(line) }
            print("the claim and pack operations are in the outbox; `waybill sync` sends them now")
        }

        /// The provider's live prices, asked as the agent asks them; when its settings cannot be
        /// read here (the API key file is the agent's), the rate table prices the boxes, and this says so.
        private func liveRates(_ configuration: StationConfiguration, _ store: WaybillStore) -> LiveRates? {
            guard configuration.shipping?.liveRates == true else { return nil }
            let logger = global.logger("waybill.pack", configuration: configuration)
            do {
                return try SyncComposition.commandLiveRates(configuration: configuration, store: store, logger: logger)
            } catch {
                FileHandle.standardError.write(Data("live rates unavailable here (\(error)); the rate table prices the boxes\n".utf8))
                return nil
            }
        }

        private func planFolder(_ folder: String, planner: PackingPlanner) throws {
            guard let output else { throw ValidationError("--instance DIR needs --output DIR (plans are written as same-named files)") }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
            } catch {
                throw PackError(.unreadable, path: folder, "cannot list the folder (\(error.localizedDescription))")
            }
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                throw PackError(.unwritable, path: output, "cannot create the output folder (\(error.localizedDescription))")
            }
            for name in names {
                let plan = planner.plan(try PackFiles.instance(at: (folder as NSString).appendingPathComponent(name)))
                try PackFiles.write(plan, to: (output as NSString).appendingPathComponent(name))
            }
            if !global.json { FileHandle.standardError.write(Data("planned \(names.count) instances into \(output)\n".utf8)) }
        }
    }
}
