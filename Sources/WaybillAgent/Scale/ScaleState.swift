import Foundation
import WaybillCore

/// The bench scale's part of `waybill status` and of the systemd status line.
///
/// The running agent holds the scale's device, so `waybill status` asks the agent for it over the
/// control socket (the `scale` request) rather than opening the device itself. With no agent
/// running the scale is "not read", which is not a problem of its own (nothing is weighing).
struct ScaleState: Codable, Sendable, Equatable {
    /// `connected`, `disconnected`, or `not read` (no agent answered).
    enum State: String, Codable, Sendable {
        case connected, disconnected
        case notRead = "not read"
    }

    /// `scale.device`.
    let device: String
    /// `scale.protocol`.
    let scaleProtocol: String
    let state: State
    /// The reading, or why there is none, as the station screen shows it.
    let text: String
    /// The stable weight in pounds; nil while the scale settles or gives no reading.
    let stableLb: Double?
    /// When the latest reading arrived (ISO 8601); nil before the first.
    let lastReadingAt: String?

    enum CodingKeys: String, CodingKey {
        case device
        case scaleProtocol = "protocol"
        case state, text
        case stableLb = "stable_lb"
        case lastReadingAt = "last_reading_at"
    }

    /// The state of a scale the agent reads (`status`), or of one whose reader could not start (nil).
    init(settings: ScaleSettings, status: ScaleStatus?) {
        device = settings.device
        scaleProtocol = settings.scaleProtocol.rawValue
        guard let status else {
            state = .disconnected
            text = "the scale reader could not start (see the agent's log): type the weight by hand"
            stableLb = nil
            lastReadingAt = nil
            return
        }
        state = status.connected ? .connected : .disconnected
        text = status.description
        stableLb = status.stableWeightLb
        lastReadingAt = status.readAt.map { ISO8601DateFormatter().string(from: $0) }
    }

    /// A configured scale no agent answers for.
    init(notReadFrom settings: ScaleSettings) {
        device = settings.device
        scaleProtocol = settings.scaleProtocol.rawValue
        state = .notRead
        text = "not read: no agent is running (the agent reads the scale)"
        stableLb = nil
        lastReadingAt = nil
    }

    /// The status line's words: `scale connected`, `scale disconnected` or `scale not read`.
    var shortText: String {
        switch state {
        case .connected: "scale connected"
        case .disconnected: "scale disconnected"
        case .notRead: "scale not read"
        }
    }

    /// The `Scale` row of `waybill status`.
    var row: (String, String) { ("Scale", "\(device) (\(scaleProtocol)), \(state.rawValue): \(text)") }

    /// Asks the agent running for `configuration` (nil when no scale is configured).
    static func read(configuration: StationConfiguration) async -> ScaleState? {
        guard let settings = configuration.scale else { return nil }
        let path = ControlSocket.path(storePath: configuration.storePath)
        let answer = try? await Task.detached { try ControlSocket.send(ControlSocket.Request(command: "scale"), to: path) }.value
        return answer?.scale ?? ScaleState(notReadFrom: settings)
    }
}
