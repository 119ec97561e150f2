public import WaybillCore
public import WaybillPrint
public import WaybillStore

/// The print spooler's job ledger, kept in the station's SQLite store (`print_jobs`).
public struct StorePrintJobLedger: PrintJobLedger {
    let store: WaybillStore

    public init(store: WaybillStore) {
        self.store = store
    }

    public func insert(_ job: PrintJobRecord) async throws(PrintError) {
        try wrap { try store.insertPrintJob(job) }
    }

    public func insert(_ jobs: [PrintJobRecord]) async throws(PrintError) {
        try wrap { try store.insertPrintJobs(jobs) }
    }

    public func save(_ job: PrintJobRecord) async throws(PrintError) {
        try wrap { try store.savePrintJob(job) }
    }

    public func save(_ jobs: [PrintJobRecord]) async throws(PrintError) {
        try wrap { try store.savePrintJobs(jobs) }
    }

    public func job(labelID: String) async throws(PrintError) -> PrintJobRecord? {
        try wrap { try store.printJob(labelID: labelID) }
    }

    public func openJobs() async throws(PrintError) -> [PrintJobRecord] {
        try wrap { try store.openPrintJobs() }
    }

    private func wrap<T>(_ body: () throws -> T) throws(PrintError) -> T {
        do {
            return try body()
        } catch let error as StoreError where error.code == .withdrawn {
            throw PrintError(.withdrawn, printer: nil, error.message)
        } catch {
            throw PrintError(.ledger, printer: nil, "the station database failed: \(error)")
        }
    }
}
