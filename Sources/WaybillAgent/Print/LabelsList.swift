import ArgumentParser
import WaybillStore

extension WaybillCommand.Labels {
    /// `waybill labels list`: recent print jobs, newest first.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recent labels and where each print job stands.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "At most this many.") var limit = 50

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            let jobs = try WaybillStore.open(atPath: configuration.storePath).recentPrintJobs(limit: limit)
            if global.json {
                try CommandJSON.print(object: jobs.map(\.json))
                return
            }
            for job in jobs {
                let reprint = job.reprintOf.map { "  reprint of \($0): \(job.reprintReason ?? "")" } ?? ""
                print("\(job.labelID)  \(job.state.rawValue)  \(job.printer)  \(job.format.rawValue)\(reprint)\(job.reason.map { "  \($0)" } ?? "")")
            }
            if jobs.isEmpty { print("no labels yet") }
        }
    }
}
