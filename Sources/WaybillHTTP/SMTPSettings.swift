/// How to reach the SMTP server a station sends its mail through.
public struct SMTPSettings: Sendable, Hashable {
    /// `smtp://host:587` (STARTTLS) or `smtps://host:465` (TLS from the first byte).
    public var url: String
    public var username: String?
    /// Read from a 0600 file by the caller; never logged.
    public var password: String?
    /// A CA bundle to verify the server's certificate with, instead of the system's.
    public var caFile: String?
    /// Whether mail may go over a connection without TLS (a server that offers no STARTTLS).
    /// Off unless configured: a password and a report never cross the network in clear.
    public var allowPlaintext: Bool
    public var timeout: Duration

    public init(
        url: String,
        username: String? = nil,
        password: String? = nil,
        caFile: String? = nil,
        allowPlaintext: Bool = false,
        timeout: Duration = .seconds(60)
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.caFile = caFile
        self.allowPlaintext = allowPlaintext
        self.timeout = timeout
    }
}
