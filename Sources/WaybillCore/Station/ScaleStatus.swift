public import Foundation

/// What the station knows about its scale: whether it answers, its latest reading, and when.
public struct ScaleStatus: Sendable, Hashable {
    /// The configured device, such as `/dev/ttyUSB0` or `/dev/hidraw0`.
    public let device: String
    /// Whether the device is open and answering.
    public var connected: Bool
    /// The latest reading while connected.
    public var reading: ScaleReading?
    /// Why the scale gives no reading (cannot open the device, it does not answer), in words.
    public var problem: String?
    /// When the latest reading arrived.
    public var readAt: Date?

    public init(device: String, connected: Bool = false, reading: ScaleReading? = nil, problem: String? = nil, readAt: Date? = nil) {
        self.device = device
        self.connected = connected
        self.reading = reading
        self.problem = problem
        self.readAt = readAt
    }

    /// The weight a box may be recorded with now: connected and stable.
    public var stableWeightLb: Double? { connected ? reading?.stableWeightLb : nil }

    /// The line the screen and `waybill status` show.
    public var description: String {
        if connected { return reading?.description ?? "connected, waiting for a reading" }
        return "\(problem ?? "not connected"): type the weight by hand"
    }
}
