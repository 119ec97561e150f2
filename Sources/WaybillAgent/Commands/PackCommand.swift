import ArgumentParser
import Foundation
import WaybillCore

extension WaybillCommand {
    /// `waybill pack`: plans an order's boxes at the lowest shipping cost.
    struct Pack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan an order's boxes, items and carrier service at the lowest total cost.",
            discussion: """
                With --instance FILE, plans a packing-bench instance and writes the plan (the solution schema) to \
                --output or stdout; with --instance DIR --output DIR, plans every *.json in the folder.
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "An order of the replica to plan (not wired yet).") var orderID: String?
        @Option(help: ArgumentHelp("A packing-bench instance file, or a folder of them.", valueName: "path")) var instance: String?
        @Option(help: ArgumentHelp("Rate model file (default: the built-in packing-bench model).", valueName: "path")) var rates: String?
        @Option(help: ArgumentHelp("Where to write the plan: a file, or a folder with --instance DIR.", valueName: "path"))
        var output: String?
        @Option(name: .customLong("budget-ms"), help: "Time to search for cheaper plans, per order.") var budgetMs = 50
        @Option(help: "Seed of the planner's randomised restarts.") var seed: UInt64 = 1
        @Flag(help: "Plan again an order whose boxes exist (before labels).") var replan = false

        func validate() throws {
            if orderID != nil, instance != nil { throw ValidationError("give an ORDER_ID or --instance, not both") }
            if orderID == nil, instance == nil { throw ValidationError("give an ORDER_ID or --instance FILE.json") }
            if budgetMs < 0 { throw ValidationError("--budget-ms must be 0 or more") }
            var isFolder: ObjCBool = false
            if let instance, FileManager.default.fileExists(atPath: instance, isDirectory: &isFolder), isFolder.boolValue, output == nil {
                throw ValidationError("--instance DIR needs --output DIR (plans are written as same-named files)")
            }
        }

        func run() async throws {
            guard let instance else {
                throw PackError(.notWired, path: "", "planning a replica order is not wired yet; use --instance FILE.json")
            }
            let planner = PackingPlanner(rates: try PackFiles.rates(at: rates), budget: .milliseconds(budgetMs), seed: seed)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: instance, isDirectory: &isFolder), isFolder.boolValue {
                try planFolder(instance, planner: planner)
            } else {
                try PackFiles.write(planner.plan(try PackFiles.instance(at: instance)), to: output)
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
