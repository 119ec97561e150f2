import Glibc
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Carries out the faults that need the connection itself: closing it before any response, or
/// resetting it part-way through the body. Routes ask for them with the `X-Waybill-Fault` response
/// header, which never leaves the hub.
final class FaultChannelHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let header = HTTPField.Name("X-Waybill-Fault")!

    private enum Mode {
        case pass
        case drop
        case reset(sentHead: Bool)
    }

    private var mode = Mode.pass

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        switch (part, mode) {
        case (.head(var head), _):
            switch head.headerFields[Self.header] {
            case "drop":
                mode = .drop
                promise?.fail(ChannelError.ioOnClosedChannel)
                context.close(promise: nil)
            case "reset":
                mode = .reset(sentHead: true)
                head.headerFields[Self.header] = nil
                context.write(wrapOutboundOut(.head(head)), promise: promise)
            default:
                mode = .pass
                context.write(data, promise: promise)
            }
        case (.body(let buffer), .reset):
            // Half of the body, then an abortive close (RST).
            let half = buffer.getSlice(at: buffer.readerIndex, length: buffer.readableBytes / 2) ?? buffer
            context.writeAndFlush(wrapOutboundOut(.body(half)), promise: nil)
            resetConnection(context)
            promise?.succeed(())
        case (_, .drop), (.end, .reset):
            promise?.fail(ChannelError.ioOnClosedChannel)
        case (_, .pass):
            context.write(data, promise: promise)
        }
    }

    private func resetConnection(_ context: ChannelHandlerContext) {
        // SO_LINGER with a zero timeout turns close() into a reset.
        if let provider = context.channel as? any SocketOptionProvider {
            let channel = context.channel
            provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
        mode = .drop
    }
}
