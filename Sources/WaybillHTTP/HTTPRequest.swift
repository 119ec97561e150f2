/// An HTTP request for ``CurlHTTPClient``.
public struct HTTPRequest: Sendable {
    /// The request method, such as `GET` or `POST`.
    public var method: String
    /// The absolute URL.
    public var url: String
    /// Header fields in order. Values must not contain CR or LF.
    public var headers: [(name: String, value: String)]
    /// The request body; empty for none.
    public var body: [UInt8]
    /// The whole request's time limit, including connecting; `nil` uses the client's default.
    public var timeout: Duration?
    /// Send on a new connection, closed afterwards: for requests that are not idempotent, which
    /// libcurl would otherwise send a second time by itself when a reused connection turns out dead.
    public var freshConnection: Bool

    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        timeout: Duration? = nil,
        freshConnection: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.freshConnection = freshConnection
    }
}

/// The answer to an ``HTTPRequest``: any status the server sent, with its headers and body.
public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header fields of the final response, names as sent.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
