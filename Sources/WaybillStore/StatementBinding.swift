import GRDB
import GRDBSQLite

/// Direct SQLite bindings on GRDB's prepared statements, for the few hot paths (applying a pulled
/// page) where building `StatementArguments` cost more than SQLite's own work (measured: GRDB's
/// argument and row machinery was about 80 % of a resync's apply time).
///
/// ``Statement/executeBound()`` and ``Statement/fetchBoundRow(_:)`` step the statement themselves:
/// the store registers no transaction observer that GRDB's own execution would have told.
extension Statement {
    /// Prepares the statement for ``bind(_:at:)`` calls: GRDB then treats the bound values as its arguments.
    func useDirectBindings() {
        setUncheckedArguments(StatementArguments())
    }

    /// Resets the statement so new values can be bound (SQLite refuses bindings on a stepped statement).
    func resetForBinding() {
        sqlite3_reset(sqliteStatement)
    }

    /// Binds text (or NULL) to the 1-based parameter `index`.
    func bind(_ text: String?, at index: Int32) {
        guard var text else {
            check(sqlite3_bind_null(sqliteStatement, index))
            return
        }
        text.withUTF8 { bytes in
            if let base = bytes.baseAddress {
                base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    check(sqlite3_bind_text(sqliteStatement, index, $0, Int32(bytes.count), transientDestructor))
                }
            } else {
                check(sqlite3_bind_text(sqliteStatement, index, "", 0, transientDestructor))
            }
        }
    }

    /// Binds JSON text to the 1-based parameter `index`, from its bytes (no `String` is built).
    func bind(_ text: JSONText, at index: Int32) {
        text.bytes.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { text in
                if let base = text.baseAddress {
                    check(sqlite3_bind_text(sqliteStatement, index, base, Int32(text.count), transientDestructor))
                } else {
                    check(sqlite3_bind_text(sqliteStatement, index, "", 0, transientDestructor))
                }
            }
        }
    }

    /// Binds an integer (or NULL) to the 1-based parameter `index`.
    func bind(_ value: Int64?, at index: Int32) {
        check(value.map { sqlite3_bind_int64(sqliteStatement, index, $0) } ?? sqlite3_bind_null(sqliteStatement, index))
    }

    /// Binds a real number to the 1-based parameter `index`.
    func bind(_ value: Double, at index: Int32) {
        check(sqlite3_bind_double(sqliteStatement, index, value))
    }

    /// A binding fails only when misused (a stepped statement, a wrong index): a programming error, as in GRDB.
    private func check(_ code: Int32) {
        precondition(code == SQLITE_OK, "SQLite refused a binding (code \(code)) for: \(sql)")
    }

    /// Runs a statement whose parameters were bound with ``bind(_:at:)`` (one that returns no rows),
    /// stepping it as ``fetchBoundRow(_:)`` does, without GRDB's per-statement bookkeeping
    /// (measured: 0.04 s of the 0.44 s of CPU that applying a 100k-order resync took). Skipped with
    /// it: telling transaction observers (the store registers none; one added later would not see
    /// these writes), GRDB's check for a transaction SQLite aborted (the error is thrown here and
    /// the write rolls back), its mapping of an interrupt to cancellation (store writes are
    /// synchronous), and the arguments in error messages.
    func executeBound() throws {
        defer { sqlite3_reset(sqliteStatement) }
        let code = sqlite3_step(sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(sqliteStatement))),
                sql: sql
            )
        }
    }

    /// Runs a single-row query whose parameters were bound with ``bind(_:at:)``, reading the row with `read`
    /// (columns are 0-based); `nil` when there is no row.
    func fetchBoundRow<T>(_ read: (SQLiteRow) -> T) throws -> T? {
        defer { sqlite3_reset(sqliteStatement) }
        switch sqlite3_step(sqliteStatement) {
        case SQLITE_ROW: return read(SQLiteRow(statement: sqliteStatement))
        case SQLITE_DONE: return nil
        case let code:
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(sqliteStatement))),
                sql: sql
            )
        }
    }
}

/// The current row of a stepped statement.
struct SQLiteRow {
    let statement: SQLiteStatement

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: pointer)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
}

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
