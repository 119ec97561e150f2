import GRDB

extension StoreMigrations {
    /// A print job the conflict rules withdrew after it reached CUPS (or may have): the reason is
    /// kept until the spooler has cancelled the job in CUPS, or found that CUPS printed it first.
    static func addPrintWithdrawals(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE print_jobs ADD COLUMN withdrawal TEXT")
    }
}
