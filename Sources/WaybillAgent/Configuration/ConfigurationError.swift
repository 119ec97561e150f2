/// The configuration could not be used. Start-up stops with ``description``, which names the file,
/// the key and what is expected.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, for callers (and tests) that tell the cases apart.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case fileNotFound, unreadable, malformed, unknownKey, wrongType, missingKey, insecureSecretFile, missingSecretFile
        }
        private let value: Value

        /// No configuration file at the given path, or none in the lookup order.
        public static let fileNotFound = Code(value: .fileNotFound)
        /// The file exists but cannot be read.
        public static let unreadable = Code(value: .unreadable)
        /// The file is not valid YAML, or its top level is not a mapping.
        public static let malformed = Code(value: .malformed)
        /// A key that Waybill does not know, most often a typo.
        public static let unknownKey = Code(value: .unknownKey)
        /// A value of the wrong type or format.
        public static let wrongType = Code(value: .wrongType)
        /// A required key has no value.
        public static let missingKey = Code(value: .missingKey)
        /// The secrets file can be read by group or others.
        public static let insecureSecretFile = Code(value: .insecureSecretFile)
        /// The secrets file does not exist or cannot be read.
        public static let missingSecretFile = Code(value: .missingSecretFile)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// Where the problem is: a file path, or `environment variable NAME`.
    public let source: String
    /// The key involved, when one is.
    public let key: String?
    /// What is wrong and what is expected.
    public let message: String

    public init(_ code: Code, source: String, key: String? = nil, _ message: String) {
        self.code = code
        self.source = source
        self.key = key
        self.message = message
    }

    public var description: String {
        if let key { return "\(source): \(key): \(message)" }
        return "\(source): \(message)"
    }
}
