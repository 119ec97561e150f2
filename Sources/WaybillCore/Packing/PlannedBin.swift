/// One box of a plan in the making: its units (canonical order) and the box they ship in.
struct PlannedBin: Sendable {
    var members: [Int]
    var choice: BoxChoice

    var cost: Double { choice.cost }

    /// The total cost of some bins, summed in cents as the checkers do.
    static func cost(of bins: [PlannedBin]) -> Double {
        Money.cents(bins.reduce(0) { $0 + $1.cost })
    }

    /// Whether `a` is a better plan than `b`: cheaper, or as cheap with fewer boxes.
    static func isBetter(_ a: [PlannedBin], than b: [PlannedBin]) -> Bool {
        let ca = cost(of: a), cb = cost(of: b)
        if abs(ca - cb) > 0.001 { return ca < cb }
        return a.count < b.count
    }
}
