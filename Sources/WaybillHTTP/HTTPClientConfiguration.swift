/// Settings every request of a ``CurlHTTPClient`` shares.
public struct HTTPClientConfiguration: Sendable, Hashable {
    /// How long establishing a connection (TCP and TLS) may take.
    public var connectTimeout: Duration
    /// How long a whole request may take when the request names no timeout of its own.
    public var requestTimeout: Duration
    /// Whether to verify the server's TLS certificate and host name. Only tests against self-signed
    /// servers turn this off.
    public var verifyTLS: Bool
    /// A PEM file of CA certificates to trust instead of the system's.
    public var caFile: String?
    /// A proxy URL (`http://host:port`); `nil` lets libcurl honour `https_proxy`/`no_proxy` from the environment.
    public var proxy: String?
    /// The User-Agent header.
    public var userAgent: String

    public init(
        connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(30),
        verifyTLS: Bool = true,
        caFile: String? = nil,
        proxy: String? = nil,
        userAgent: String = "waybill"
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.verifyTLS = verifyTLS
        self.caFile = caFile
        self.proxy = proxy
        self.userAgent = userAgent
    }
}
