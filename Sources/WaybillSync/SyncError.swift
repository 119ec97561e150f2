public import WaybillCore

/// A sync step failed. Match on ``code``; show ``description`` to people and in logs.
public struct SyncError: Error, Sendable, CustomStringConvertible {
    /// Why the step failed.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case transport, httpStatus, refused, authentication, schema, feedUnreadable, cursorExpired, conflict
        }
        private let value: Value

        /// No HTTP response arrived (connect, TLS, timeout, broken connection).
        public static let transport = Code(value: .transport)
        /// The central API answered with a passing failure (5xx, 429, 408, 425): retried with backoff.
        public static let httpStatus = Code(value: .httpStatus)
        /// The central API refused the request as it is (a 4xx such as 400, 404 or 422, or 501): sending
        /// it again soon cannot help. Sync asks again only at the retry policy's longest wait, and the
        /// station reports it ("the central API refuses this station's requests").
        public static let refused = Code(value: .refused)
        /// The station's credentials were refused; check `central.secret_file` and the station's registration.
        public static let authentication = Code(value: .authentication)
        /// A payload did not have the expected shape.
        public static let schema = Code(value: .schema)
        /// A changes page arrived but cannot be read at all (it is not JSON, or fails its checksum): it
        /// is fetched again with backoff; when it keeps failing the station reports the feed blocked.
        /// (A bad change inside a readable page is quarantined instead, and the page applies.)
        public static let feedUnreadable = Code(value: .feedUnreadable)
        /// The central API no longer serves the stored cursor; the replica must be reset.
        public static let cursorExpired = Code(value: .cursorExpired)
        /// The central API refused an operation because its entity changed.
        public static let conflict = Code(value: .conflict)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What happened and what to do about it.
    public let message: String
    /// The HTTP status, when the central API answered.
    public let status: Int?
    /// How long the central API asked to wait (Retry-After).
    public let retryAfter: Duration?
    /// The central API's own error body, when its answer carried one.
    public let centralError: CentralAPI.ErrorBody?

    public init(_ code: Code, _ message: String, status: Int? = nil, retryAfter: Duration? = nil, centralError: CentralAPI.ErrorBody? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
        self.centralError = centralError
    }

    /// Whether the central API refused what the request carried (400, 413 or 422 with its own error
    /// body), rather than the request's address or the station (404, 405, a proxy's page): sending
    /// the same content again cannot help, and smaller parts of it may pass.
    public var refusesContent: Bool {
        code == .refused && centralError != nil && [400, 413, 422].contains(status)
    }

    /// Whether the central API answered at all (for connectivity: degraded rather than offline).
    public var gotResponse: Bool { status != nil }

    public var description: String { "\(code): \(message)" }
}
