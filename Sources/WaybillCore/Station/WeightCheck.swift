/// The check of a closed box's weight on the scale against what it should weigh (its items and the
/// box material), within a tolerance: whichever is larger of an absolute allowance and a share of
/// the expected weight.
public struct WeightCheck: Sendable, Hashable {
    /// The allowance in pounds.
    public var toleranceLb: Double
    /// The allowance as a percentage of the expected weight.
    public var tolerancePercent: Double

    public init(toleranceLb: Double = 0.1, tolerancePercent: Double = 5) {
        self.toleranceLb = toleranceLb
        self.tolerancePercent = tolerancePercent
    }

    /// What the scale said about a box.
    public enum Verdict: Sendable, Hashable {
        case within(differenceLb: Double)
        /// Heavier or lighter than allowed: the box's labels wait for a re-check or an override.
        case mismatch(differenceLb: Double, allowedLb: Double)

        public var isWithin: Bool {
            if case .within = self { return true }
            return false
        }
    }

    /// The allowance for a box expected to weigh `expectedLb`.
    public func allowedLb(expectedLb: Double) -> Double { max(toleranceLb, expectedLb * tolerancePercent / 100) }

    /// Judges a measured gross weight against the expected one.
    public func judge(expectedLb: Double, measuredLb: Double) -> Verdict {
        let difference = measuredLb - expectedLb
        let allowed = allowedLb(expectedLb: expectedLb)
        return abs(difference) <= allowed ? .within(differenceLb: difference) : .mismatch(differenceLb: difference, allowedLb: allowed)
    }
}
