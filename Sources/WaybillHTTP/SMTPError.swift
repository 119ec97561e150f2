/// Why a message was not accepted. Match on ``code``; show ``description`` to people.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The server answered 4xx (busy, greylisting, a full mailbox): try again later.
        case temporary
        /// The server answered 5xx (a refused address, a refused message): retrying will not help.
        case permanent
        /// No answer, a broken connection or a timeout: try again later.
        case transport
        /// TLS could not be set up (no STARTTLS offered, a certificate that does not verify):
        /// fix the server or `smtp.ca_file`; tried again later.
        case tls
        /// The settings or addresses are malformed; fix the configuration.
        case invalid
    }

    public let code: Code
    /// The server's last reply code (250, 421, 550, …); 0 when there was none.
    public let reply: Int
    public let message: String

    public init(_ code: Code, reply: Int, _ message: String) {
        self.code = code
        self.reply = reply
        self.message = message
    }

    /// Whether sending the same message later may succeed.
    public var isRetryable: Bool { code != .permanent && code != .invalid }

    public var description: String {
        "\(message)" + (reply > 0 ? " (SMTP \(reply))" : "")
    }
}
