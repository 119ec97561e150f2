public import Hummingbird

public import NIOCore

/// The request context of the agent's local HTTP server: the peer's address (loopback or not
/// decides what is served) and, once ``StationAccess`` let the request in, who makes it.
public struct StationRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address; `nil` only when the channel has already closed.
    public let remoteAddress: SocketAddress?
    /// The packer (or the station at its own console) this request acts for.
    public var signIn: StationSessions.SignIn?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Whether the request comes from this machine (127.0.0.0/8, ::1 or an IPv4-mapped loopback).
    public var fromLoopback: Bool {
        switch remoteAddress {
        case .v4(let address): return address.host.hasPrefix("127.")
        case .v6(let address): return address.host == "::1" || address.host.hasPrefix("::ffff:127.")
        case .unixDomainSocket: return true
        case nil: return false
        }
    }

    /// The peer's host, for the wrong-PIN count per computer.
    public var computer: String { remoteAddress?.ipAddress ?? "unknown" }
}
