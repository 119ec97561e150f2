import GRDB

extension StoreMigrations {
    /// A box label or packing slip issued again (a relabel: it showed the old address) keeps its
    /// row, with why it was replaced; the parcel's readiness counts only the documents not replaced.
    static func addReplacedBoxDocuments(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE labels ADD COLUMN replaced TEXT;
                -- The readiness checks look an order's documents and their reprints up at every round.
                CREATE INDEX labels_by_order ON labels(order_id, box_no, kind);
                CREATE INDEX print_jobs_by_reprint ON print_jobs(reprint_of) WHERE reprint_of IS NOT NULL;
                """
        )
    }
}
