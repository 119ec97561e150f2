public import Logging
import Synchronization

/// The `waybill` executable's log handler: swift-log's stream handler on standard error (journald
/// reads it), one line per event, with one log level for the whole process, so a configuration
/// reload (SIGHUP) changes the level of every logger at once.
public struct AgentLogHandler: LogHandler {
    private static let sharedLevel = Atomic<Int>(Logger.Level.allCases.firstIndex(of: .info)!)
    private var stream: StreamLogHandler

    /// A handler writing to standard error; pass it to `LoggingSystem.bootstrap`.
    public static func standardError(label: String) -> AgentLogHandler {
        var stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = .trace
        return AgentLogHandler(stream: stream)
    }

    /// The process-wide level; setting it on any logger sets it for all.
    public var logLevel: Logger.Level {
        get { Self.level }
        set { Self.level = newValue }
    }

    /// The process-wide level.
    static var level: Logger.Level {
        get { Logger.Level.allCases[sharedLevel.load(ordering: .relaxed)] }
        set { sharedLevel.store(Logger.Level.allCases.firstIndex(of: newValue)!, ordering: .relaxed) }
    }

    public var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue }
    }

    /// Writes the event as one line: line breaks inside the message or metadata values (a YAML
    /// error's context, say) become `\n`, so journald keeps one entry per event.
    public func log(event: LogEvent) {
        var event = event
        let message = event.message.description
        if message.contains(where: \.isNewline) {
            event.message = "\(Self.oneLine(message))"
        }
        if let metadata = event.metadata, metadata.values.contains(where: { "\($0)".contains(where: \.isNewline) }) {
            event.metadata = metadata.mapValues { .string(Self.oneLine("\($0)")) }
        }
        stream.log(event: event)
    }

    private static func oneLine(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: "\\n")
    }
}
