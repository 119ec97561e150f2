/// `waybill pack` could not plan. The ``description`` names the file and what is wrong.
public struct PackError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, for callers (and tests) that tell the cases apart.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case fileNotFound, unreadable, malformed, invalidInstance, unwritable, unplannable
        }
        private let value: Value

        /// The instance or rate file (or folder) does not exist.
        public static let fileNotFound = Code(value: .fileNotFound)
        /// The file exists but cannot be read.
        public static let unreadable = Code(value: .unreadable)
        /// The file is not JSON of the expected schema.
        public static let malformed = Code(value: .malformed)
        /// The instance decodes but breaks the schema's rules (dimensions, zones, duplicate ids).
        public static let invalidInstance = Code(value: .invalidInstance)
        /// The plan could not be written.
        public static let unwritable = Code(value: .unwritable)
        /// A replica order cannot be planned automatically (a unit no box and service can carry, a SKU
        /// the replica lacks): a person packs it.
        public static let unplannable = Code(value: .unplannable)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The file or folder involved.
    public let path: String
    /// What is wrong and what to do.
    public let message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
