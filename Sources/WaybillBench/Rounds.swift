import Foundation

/// What the benchmarks that alternate their two sides in rounds report: the median of the rounds'
/// ratios and their spread.
enum Rounds {
    /// The median of `values` (the mean of the two middle ones for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// "ratio NAME: median 1.23x of 7 rounds (1.10–1.40x)   (FLOOR)", with `digits` decimals.
    static func ratioLine(_ name: String, _ ratios: [Double], digits: Int, floor: String) -> String {
        func number(_ value: Double) -> String { String(format: "%.\(digits)f", value) }
        return "ratio \(name): median \(number(median(ratios)))x of \(ratios.count) rounds "
            + "(\(number(ratios.min() ?? 0))–\(number(ratios.max() ?? 0))x)   (\(floor))"
    }
}
