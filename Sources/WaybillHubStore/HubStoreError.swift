/// An error of the hub's database, carrying the central API error code it maps to.
public struct HubStoreError: Error, Sendable, CustomStringConvertible {
    /// The central API error code (`not_found`, `invalid_request`, ...).
    public let code: String
    public let message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    static func notFound(_ what: String) -> HubStoreError { HubStoreError("not_found", "\(what) does not exist") }
}
