import Logging
import ServiceLifecycle
import WaybillCore
import WaybillStore

/// Watches the replica's orders while `/events` clients listen, and publishes a `change` event per
/// changed order and a `counts` event when the counts by state move.
///
/// It reads the database every ``interval`` (250 ms) only while at least one client is connected, so
/// a change made by any process (the agent's sync, a `waybill` command) reaches clients within a
/// second. On graceful shutdown it ends every client's stream, so the HTTP server can close.
struct OrderEventsService: Service, CustomStringConvertible {
    let store: WaybillStore
    let broadcaster: OrderEventBroadcaster
    let logger: Logger
    var interval: Duration = .milliseconds(250)
    var keepAliveEvery: Duration = .seconds(15)

    var description: String { "OrderEventsService" }

    func run() async {
        await cancelWhenGracefulShutdown {
            var mark: Double?
            var lastCounts: [OrderState: Int]?
            var quietSince = ContinuousClock.now
            while !Task.isCancelled {
                guard broadcaster.hasClients else {
                    mark = nil
                    lastCounts = nil
                    await broadcaster.clientArrived.wait(upTo: .seconds(3600))
                    continue
                }
                do {
                    let activity = try store.orderActivity(since: mark)
                    var text = activity.changes.map { ServerSentEvent.change($0).text }.joined()
                    if activity.counts != lastCounts { text += ServerSentEvent.counts(activity.counts).text }
                    if text.isEmpty, ContinuousClock.now - quietSince > keepAliveEvery { text = ServerSentEvent.keepAlive }
                    if !text.isEmpty {
                        broadcaster.publish(text)
                        quietSince = .now
                    }
                    mark = activity.mark
                    lastCounts = activity.counts
                } catch {
                    logger.warning("Cannot read order activity", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        broadcaster.finish()
    }
}
