public import WaybillCore

/// The bench scale's settings: `scale.device`, `scale.protocol` and `scale.baud`.
public struct ScaleSettings: Sendable, Hashable {
    /// A serial port (`/dev/ttyUSB0`) or a hidraw device (`/dev/hidraw0`).
    public var device: String
    public var scaleProtocol: ScaleProtocol
    /// The serial speed (ignored for `hid-pos`).
    public var baud: Int

    /// The serial speeds a scale may be set to.
    static let bauds: Set<Int> = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115_200]
}
