/// An error from the station's SQLite store. Match on ``code``; show ``description`` to people.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for callers that react differently to each case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case cannotOpen, migration, stationMismatch, notFound, invalidTransition, invalidInput, withdrawn, database
        }
        private let value: Value

        /// The database file could not be created or opened.
        public static let cannotOpen = Code(value: .cannotOpen)
        /// A schema migration failed; the database was left at its previous version.
        public static let migration = Code(value: .migration)
        /// The database belongs to another station than the configured one.
        public static let stationMismatch = Code(value: .stationMismatch)
        /// The entity named in the request is not in the replica.
        public static let notFound = Code(value: .notFound)
        /// The requested change breaks an order-state rule; nothing was written.
        public static let invalidTransition = Code(value: .invalidTransition)
        /// A value given to the store is out of range (a weight, a reason); nothing was written.
        public static let invalidInput = Code(value: .invalidInput)
        /// A document was withdrawn (replaced by a new issue, or voided) before its print job was
        /// recorded: it does not print; nothing was written.
        public static let withdrawn = Code(value: .withdrawn)
        /// SQLite reported an error while reading or writing.
        public static let database = Code(value: .database)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What happened and what to do about it.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
