/// A request that got no usable HTTP response. Match on ``code``; show ``description`` to people.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// Why no response arrived.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidRequest, connect, tls, timeout, transport, cancelled
        }
        private let value: Value

        /// The request itself is malformed (a bad URL or header); retrying will not help.
        public static let invalidRequest = Code(value: .invalidRequest)
        /// The server could not be resolved or reached.
        public static let connect = Code(value: .connect)
        /// TLS failed, typically certificate verification; check the CA file and the server's certificate.
        public static let tls = Code(value: .tls)
        /// The request ran out of time.
        public static let timeout = Code(value: .timeout)
        /// The connection broke or the response was cut short.
        public static let transport = Code(value: .transport)
        /// The calling task was cancelled.
        public static let cancelled = Code(value: .cancelled)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What happened, with libcurl's explanation.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether trying the same request again later may succeed.
    public var isRetryable: Bool { code != .invalidRequest && code != .cancelled && code != .tls }

    public var description: String { "\(code): \(message)" }
}
