/// The cheapest split of a small group by dynamic programming over its subsets: each subset's cost is
/// its cheapest box (memoised by `BoxSelector`), and the best plan of a set is the best over the subsets
/// holding its first unit of that subset's box plus the best plan of the rest. Exact up to the packer.
enum ExactPartition {
    /// Groups up to this many units are solved exactly (3^n steps, 2^n box choices).
    static let limit = 10

    /// The best plan of `group`, or `nil` when the deadline passed first.
    static func solve(_ group: [Int], selector: inout BoxSelector, rules: ShareRules, deadline: PlanningDeadline) -> [PlannedBin]? {
        let n = group.count
        guard n > 0 else { return [] }
        let full = (1 << n) - 1
        var conflictMask = Array(repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<n where i != j && rules.conflict(group[i], group[j]) { conflictMask[i] |= 1 << j }
        }
        var volume = Array(repeating: 0.0, count: full + 1)
        var weight = Array(repeating: 0.0, count: full + 1)
        var shareable = Array(repeating: true, count: full + 1)
        for mask in 1...full {
            let low = mask.trailingZeroBitCount, rest = mask & (mask - 1)
            volume[mask] = volume[rest] + selector.units[group[low]].volume
            weight[mask] = weight[rest] + selector.units[group[low]].weight
            shareable[mask] = shareable[rest] && conflictMask[low] & rest == 0
        }
        var boxes: [BoxChoice?] = Array(repeating: nil, count: full + 1)
        var known = Array(repeating: false, count: full + 1)
        var members: [[Int]] = Array(repeating: [], count: full + 1)
        var best = Array(repeating: (cost: Double.infinity, count: 0, subset: 0), count: full + 1)
        best[0] = (0, 0, 0)
        for mask in 1...full {
            let low = mask & -mask, rest = mask ^ low
            var sub = rest
            while true {
                let subset = sub | low
                if shareable[subset], selector.mightFit(volume: volume[subset], weight: weight[subset]), best[mask ^ subset].cost.isFinite {
                    if !known[subset] {
                        if deadline.hasPassed { return nil }
                        known[subset] = true
                        members[subset] = selector.canonical((0..<n).filter { subset & (1 << $0) != 0 }.map { group[$0] })
                        boxes[subset] = selector.choose(members[subset])
                    }
                    if let choice = boxes[subset] {
                        let rest = best[mask ^ subset]
                        let cost = Money.cents(rest.cost + choice.cost)
                        if cost < best[mask].cost - 0.001 || (cost < best[mask].cost + 0.001 && rest.count + 1 < best[mask].count) {
                            best[mask] = (cost, rest.count + 1, subset)
                        }
                    }
                }
                if sub == 0 { break }
                sub = (sub - 1) & rest
            }
        }
        guard best[full].cost.isFinite else { return nil }
        var bins: [PlannedBin] = []
        var mask = full
        while mask != 0 {
            let subset = best[mask].subset
            if let choice = boxes[subset] { bins.append(PlannedBin(members: members[subset], choice: choice)) }
            mask ^= subset
        }
        return bins
    }
}
