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

/// Which units may share a box, beyond geometry and weight: same location, no ship-alone unit, no
/// incompatible pair of mix classes.
struct ShareRules: Sendable {
    let units: [PackUnit]
    let classConflicts: [[Bool]]

    func conflict(_ a: Int, _ b: Int) -> Bool {
        units[a].location != units[b].location || units[a].shipAlone || units[b].shipAlone
            || classConflicts[units[a].mixClass][units[b].mixClass]
    }

    func canJoin(_ unit: Int, _ members: [Int]) -> Bool {
        !members.contains { conflict(unit, $0) }
    }

    func canMerge(_ a: [Int], _ b: [Int]) -> Bool {
        a.allSatisfy { canJoin($0, b) }
    }
}
