import Hummingbird
import NIOCore

/// The request context of the hub: Hummingbird's core storage plus the peer's address, which the
/// admin routes check (loopback only).
struct HubRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    /// The authenticated station, set by the auth middleware on `/v1` routes.
    var stationID: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        stationID = nil
    }

    /// Whether the peer is on this machine.
    var isLoopback: Bool {
        switch remoteAddress {
        case .v4(let address): address.host.hasPrefix("127.")
        case .v6(let address): address.host == "::1" || address.host.hasPrefix("::ffff:127.")
        case .unixDomainSocket: true
        case .none: false
        }
    }
}
