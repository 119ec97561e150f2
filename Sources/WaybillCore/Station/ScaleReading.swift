/// What a shipping scale reports: its state and, when it shows one, a weight in pounds.
///
/// Only a ``ScaleState/stable`` reading may weigh a box; a moving, overloaded or faulting scale
/// shows its state on the screen and the packer waits or types the weight.
public struct ScaleReading: Sendable, Hashable {
    /// The scale's state as its protocol reports it.
    public enum State: Sendable, Hashable {
        /// The weight has settled.
        case stable
        /// Something is still moving on the platter.
        case motion
        /// More than the scale can weigh.
        case overload
        /// Below zero: the platter needs zeroing.
        case underload
        /// The scale reports a fault (calibration, memory, a refused command), in words.
        case fault(String)
    }

    public let state: State
    /// The gross weight in pounds, when the scale shows one.
    public let weightLb: Double?

    public init(state: State, weightLb: Double?) {
        self.state = state
        self.weightLb = weightLb
    }

    /// The weight a box may be recorded with: the reading is stable and shows a weight.
    public var stableWeightLb: Double? { state == .stable ? weightLb : nil }

    /// The reading for a packer, such as `2.45 lb (stable)` or `over capacity`.
    public var description: String {
        let weight = weightLb.map { Self.pounds($0) }
        switch state {
        case .stable: return "\(weight ?? "no weight") (stable)"
        case .motion: return "\(weight.map { "\($0), " } ?? "")settling…"
        case .overload: return "over capacity: take the box off"
        case .underload: return "below zero: empty the platter and zero the scale"
        case .fault(let why): return "scale fault: \(why)"
        }
    }

    static func pounds(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        let whole = Int(hundredths / 100)
        let fraction = Int(abs(hundredths).truncatingRemainder(dividingBy: 100))
        return "\(hundredths < 0 && whole == 0 ? "-" : "")\(whole).\(fraction < 10 ? "0" : "")\(fraction) lb"
    }

    /// Pounds per unit of a unit name as scales print them (`lb`, `kg`, `g`, `oz`); nil when unknown.
    public static func poundsPer(unit: String) -> Double? {
        switch unit.lowercased() {
        case "lb", "lbs": 1
        case "kg": 2.204_622_621_8
        case "g": 0.002_204_622_621_8
        case "oz": 0.0625
        default: nil
        }
    }
}
