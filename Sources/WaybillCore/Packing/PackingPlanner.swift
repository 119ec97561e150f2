/// Plans an order's boxes at the lowest total shipping cost (the cheapest service's quote for each box's
/// outer dimensions and gross weight to its location's zone, plus the box's material; ties: fewer boxes).
///
/// It keeps every rule `PlanChecker` checks: orientations (2 for keep-upright items), no overlap, the
/// box's maximum gross weight, locations never mixed, ship-alone items alone, incompatible classes apart
/// and the carriers' limits. Units no box and service can take (or with dimensions that are not three positive
/// lengths, or a location without a zone) are listed as `unpacked`.
///
/// The plan is valid from the first moment (each unit alone in its cheapest box) and improves while the
/// budget lasts: small groups of units that may share boxes are split exactly (over all their subsets),
/// larger ones by cost-aware construction, minimum-slack filling and local moves, with seeded restarts.
/// The same seed gives the same plan when the budget is not the limit.
///
/// ```swift
/// let plan = PackingPlanner(rates: rates, budget: .milliseconds(50)).plan(instance)
/// ```
public struct PackingPlanner: Sendable {
    public var rates: RateModel
    /// Time to search for cheaper plans; a valid plan comes back even with zero.
    public var budget: Duration
    /// Seed of the randomised restarts.
    public var seed: UInt64
    /// Restarts after the first constructions, at most (the deadline may stop them earlier).
    public var restarts: Int

    public init(rates: RateModel, budget: Duration = .milliseconds(50), seed: UInt64 = 1, restarts: Int = 24) {
        self.rates = rates
        self.budget = budget
        self.seed = seed
        self.restarts = restarts
    }

    /// The cheapest plan found for `instance` within the budget.
    public func plan(_ instance: PackingInstance) -> PackingSolution {
        // The search stops at 85% of the budget: the rest is for winding down and writing the plan.
        let end = ContinuousClock.now + budget * 0.85
        let (units, classConflicts) = PackUnit.units(of: instance)
        let rules = ShareRules(units: units, classConflicts: classConflicts)
        var selector = BoxSelector(units: units, boxes: instance.boxes, rates: rates, residential: instance.residential)
        var unpacked: [Int] = []
        var bins: [PlannedBin] = []
        var groups: [String: [Int]] = [:]
        for index in units.indices {
            let dims = instance.items[units[index].item].dims
            guard dims.count == 3, dims.allSatisfy({ $0 > 0 }), let alone = selector.choose([index]) else {
                unpacked.append(index)
                continue
            }
            if units[index].shipAlone {
                bins.append(PlannedBin(members: [index], choice: alone))
            } else {
                groups[units[index].location, default: []].append(index)
            }
        }
        let ordered = groups.keys.sorted().compactMap { groups[$0] }.sorted { $0.count < $1.count }
        for (position, group) in ordered.enumerated() {
            // The groups still to plan share what is left of the budget.
            let left = ordered.count - position
            let share = (end - ContinuousClock.now) / left
            let deadline = PlanningDeadline(end: ContinuousClock.now + max(share, .zero))
            selector.deadline = deadline
            bins += planGroup(group, selector: &selector, rules: rules, deadline: deadline)
        }
        return solution(bins, unpacked: unpacked, units: units, instance: instance)
    }

    private func planGroup(_ group: [Int], selector: inout BoxSelector, rules: ShareRules, deadline: PlanningDeadline) -> [PlannedBin] {
        var best = group.compactMap { unit in selector.choose([unit]).map { PlannedBin(members: [unit], choice: $0) } }
        guard group.count > 1, !deadline.hasPassed else { return best }
        var search = BinSearch(selector: selector, rules: rules, deadline: deadline)
        func consider(_ candidate: [PlannedBin]) {
            var candidate = candidate
            search.improve(&candidate)
            if PlannedBin.isBetter(candidate, than: best) { best = candidate }
        }
        let units = selector.units
        let byVolume = group.sorted { units[$0].volume != units[$1].volume ? units[$0].volume > units[$1].volume : $0 < $1 }
        if group.count <= ExactPartition.limit {
            // A quick good plan first, so running out of time still leaves one.
            consider(search.construct(order: byVolume))
            selector = search.selector
            if let exact = ExactPartition.solve(group, selector: &selector, rules: rules, deadline: deadline),
                PlannedBin.isBetter(exact, than: best)
            {
                best = exact
            }
            return best
        }
        defer { selector = search.selector }
        // The quick construction first, so running out of time still leaves a good plan; then filling
        // boxes to the brim, which finds the exact fills cost-greedy construction misses; then local moves.
        let quick = search.construct(order: byVolume)
        if PlannedBin.isBetter(quick, than: best) { best = quick }
        if !deadline.hasPassed { consider(search.fill(group)) }
        if !deadline.hasPassed { consider(quick) }
        var random = SeededRandom(seed: seed)
        for _ in 0..<restarts where !deadline.hasPassed {
            consider(search.construct(order: byVolume.shuffled(using: &random)))
        }
        return best
    }

    private func solution(_ bins: [PlannedBin], unpacked: [Int], units: [PackUnit], instance: PackingInstance) -> PackingSolution {
        let boxes = bins.sorted { ($0.members.first ?? 0) < ($1.members.first ?? 0) }.map { bin in
            let placements = bin.choice.layout.sorted { $0.slot < $1.slot }.map { placed in
                PackingSolution.Placement(
                    id: instance.items[units[bin.members[placed.slot]].item].id,
                    pos: placed.origin.array,
                    dims: placed.size.array
                )
            }
            return PackingSolution.PackedBox(boxID: instance.boxes[bin.choice.box].id, items: placements)
        }
        return PackingSolution(boxes: boxes, unpacked: unpacked.map { instance.items[units[$0].item].id })
    }
}
