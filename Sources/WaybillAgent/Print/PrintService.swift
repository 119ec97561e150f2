public import ServiceLifecycle
public import WaybillPrint

/// The print spooler as a service: follows print jobs until graceful shutdown, which stops it at
/// once (the spooler's wait is cancelled, not slept out). Labels stay spooled and recorded; the
/// next start reconciles them with CUPS.
///
/// Wire it into the agent's `ServiceGroup` beside sync; feed `spooler.changes` to the outbox
/// ("printed", "reprint") and to `status`.
public struct PrintService: Service, CustomStringConvertible {
    public let spooler: PrintSpooler

    public init(spooler: PrintSpooler) {
        self.spooler = spooler
    }

    public var description: String { "PrintService" }

    public func run() async {
        await cancelWhenGracefulShutdown {
            await spooler.run()
        }
    }
}
