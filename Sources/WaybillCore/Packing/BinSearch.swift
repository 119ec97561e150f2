/// Cost-aware heuristics for groups too large for the exact split: a best-fit construction (each unit
/// joins the box where it adds the least cost, or opens its own), then local moves (merge two boxes, move
/// one unit, empty a box into the others) until none helps or the deadline passes.
struct BinSearch: Sendable {
    var selector: BoxSelector
    let rules: ShareRules
    let deadline: PlanningDeadline

    /// The bins after placing each unit of `order` where it adds the least cost. Units left when the
    /// deadline passes ship alone.
    mutating func construct(order: [Int]) -> [PlannedBin] {
        var bins: [PlannedBin] = []
        for (position, unit) in order.enumerated() {
            if deadline.hasPassed {
                for rest in order[position...] { if let alone = selector.choose([rest]) { bins.append(PlannedBin(members: [rest], choice: alone)) } }
                return bins
            }
            guard let alone = selector.choose([unit]) else { continue }
            var best: (delta: Double, bin: Int?, choice: BoxChoice, members: [Int]) = (alone.cost, nil, alone, [unit])
            for (index, bin) in bins.enumerated() where rules.canJoin(unit, bin.members) {
                guard fitsTogether(bin.members, [unit]) else { continue }
                let members = selector.canonical(bin.members + [unit])
                guard let choice = selector.choose(members) else { continue }
                let delta = choice.cost - bin.cost
                if delta <= best.delta + 1e-9 { best = (delta, index, choice, members) }
            }
            if let index = best.bin {
                bins[index] = PlannedBin(members: best.members, choice: best.choice)
            } else {
                bins.append(PlannedBin(members: [unit], choice: alone))
            }
        }
        return bins
    }

    /// Applies improving moves until none is left or the deadline passes.
    mutating func improve(_ bins: inout [PlannedBin]) {
        var improved = true
        while improved, !deadline.hasPassed {
            improved = merge(&bins) || move(&bins) || empty(&bins)
        }
    }

    func fitsTogether(_ a: [Int], _ b: [Int]) -> Bool {
        let units = selector.units
        let volume = a.reduce(0.0) { $0 + units[$1].volume } + b.reduce(0.0) { $0 + units[$1].volume }
        let weight = a.reduce(0.0) { $0 + units[$1].weight } + b.reduce(0.0) { $0 + units[$1].weight }
        return selector.mightFit(volume: volume, weight: weight)
    }

    /// Merges the first pair of boxes whose contents ship cheaper (or as cheap) together.
    private mutating func merge(_ bins: inout [PlannedBin]) -> Bool {
        for i in bins.indices {
            for j in bins.indices where j > i {
                guard rules.canMerge(bins[i].members, bins[j].members), fitsTogether(bins[i].members, bins[j].members) else { continue }
                let members = selector.canonical(bins[i].members + bins[j].members)
                guard let choice = selector.choose(members), choice.cost <= bins[i].cost + bins[j].cost + 1e-9 else { continue }
                bins[i] = PlannedBin(members: members, choice: choice)
                bins.remove(at: j)
                return true
            }
            if deadline.hasPassed { return false }
        }
        return false
    }

    /// Moves the first unit whose move to another box lowers the total.
    private mutating func move(_ bins: inout [PlannedBin]) -> Bool {
        for i in bins.indices where bins[i].members.count > 1 {
            for unit in bins[i].members {
                if deadline.hasPassed { return false }
                let left = bins[i].members.filter { $0 != unit }
                guard let leftChoice = selector.choose(left) else { continue }
                for j in bins.indices where j != i && rules.canJoin(unit, bins[j].members) {
                    guard fitsTogether(bins[j].members, [unit]) else { continue }
                    let joined = selector.canonical(bins[j].members + [unit])
                    guard let joinedChoice = selector.choose(joined),
                        leftChoice.cost + joinedChoice.cost < bins[i].cost + bins[j].cost - 1e-9
                    else { continue }
                    bins[i] = PlannedBin(members: left, choice: leftChoice)
                    bins[j] = PlannedBin(members: joined, choice: joinedChoice)
                    return true
                }
            }
            if deadline.hasPassed { return false }
        }
        return false
    }

    /// Empties the first box whose units, each put where it adds least, lower the total.
    private mutating func empty(_ bins: inout [PlannedBin]) -> Bool {
        for i in bins.indices {
            var others = bins
            others.remove(at: i)
            var saved = bins[i].cost
            var placedAll = true
            for unit in bins[i].members {
                if deadline.hasPassed { return false }
                var best: (delta: Double, bin: Int, choice: BoxChoice, members: [Int])?
                for (index, bin) in others.enumerated() where rules.canJoin(unit, bin.members) {
                    guard fitsTogether(bin.members, [unit]) else { continue }
                    let members = selector.canonical(bin.members + [unit])
                    guard let choice = selector.choose(members) else { continue }
                    let delta = choice.cost - bin.cost
                    if best == nil || delta < best!.delta { best = (delta, index, choice, members) }
                }
                guard let best else {
                    placedAll = false
                    break
                }
                saved -= best.delta
                others[best.bin] = PlannedBin(members: best.members, choice: best.choice)
            }
            if placedAll, saved > 1e-9 {
                bins = others
                return true
            }
            if deadline.hasPassed { return false }
        }
        return false
    }
}
