/// The box a set of units ships in, with their layout.
struct BoxChoice: Sendable {
    var box: Int
    var cost: Double
    /// Slots index the units in canonical order (see `BoxSelector.canonical`).
    var layout: [Placed]
}

/// Finds the cheapest box a set of units fits in (tried in order of cost, each with `BoxPacker`),
/// memoised by the multiset of unit types: identical units share one answer.
struct BoxSelector: Sendable {
    let units: [PackUnit]
    let boxes: [PackingInstance.Box]
    private(set) var pricer: BoxPricer
    /// `fitsAlone[unit][box]`: whether the unit fits the box's inner dimensions in some orientation.
    let fitsAlone: [[Bool]]
    let largestVolume: Double
    let largestPayload: Double
    /// Once this passes, packing tries only the fast passes (no searches), so planning ends on time.
    var deadline: PlanningDeadline?
    private var memo: [[Int]: BoxChoice?] = [:]

    init(units: [PackUnit], boxes: [PackingInstance.Box], rates: RateModel, residential: Bool) {
        self.units = units
        self.boxes = boxes
        self.pricer = BoxPricer(boxes: boxes, rates: rates, residential: residential)
        self.fitsAlone = units.map { unit in
            boxes.map { box in box.inner.count == 3 && unit.rotations.contains { $0.fits(in: Size3(box.inner)) } }
        }
        self.largestVolume = boxes.map { $0.inner.count == 3 ? Size3($0.inner).volume : 0 }.max() ?? 0
        self.largestPayload = boxes.map { $0.maxGrossLb - $0.tareLb }.max() ?? 0
    }

    /// `members` sorted by type, then index: the order layouts and weights refer to.
    func canonical(_ members: [Int]) -> [Int] {
        members.sorted { units[$0].type != units[$1].type ? units[$0].type < units[$1].type : $0 < $1 }
    }

    /// Whether the units could share a box at all by volume and weight (a quick necessary test).
    func mightFit(volume: Double, weight: Double) -> Bool {
        volume <= largestVolume * (1 + 1e-9) && weight <= largestPayload + 1e-9
    }

    /// The cheapest box for `members` (in canonical order) and their layout, or `nil` when no box holds them.
    mutating func choose(_ members: [Int]) -> BoxChoice? {
        let key = members.map { units[$0].type }
        if let known = memo[key] { return known }
        let choice = search(members)
        memo[key] = choice
        return choice
    }

    private mutating func search(_ members: [Int]) -> BoxChoice? {
        guard let first = members.first, let zone = units[first].zone else { return nil }
        let weight = members.reduce(0.0) { $0 + units[$1].weight }
        let volume = members.reduce(0.0) { $0 + units[$1].volume }
        var candidates: [(cost: Double, volume: Double, box: Int)] = []
        for (index, box) in boxes.enumerated() where box.inner.count == 3 && box.outer.count == 3 {
            let inner = Size3(box.inner)
            guard volume <= inner.volume * (1 + 1e-9), members.allSatisfy({ fitsAlone[$0][index] }),
                let cost = pricer.cost(box: index, contentsLb: weight, zone: zone)
            else { continue }
            candidates.append((cost, inner.volume, index))
        }
        candidates.sort { ($0.cost, $0.volume, $0.box) < ($1.cost, $1.volume, $1.box) }
        var failed: [Size3] = []
        for candidate in candidates {
            let inner = Size3(boxes[candidate.box].inner)
            // A box no larger on any axis than one that failed fails too.
            if failed.contains(where: { inner.fits(in: $0) }) { continue }
            var packer = BoxPacker(rotations: members.map { units[$0].rotations }, types: members.map { units[$0].type }, inner: inner)
            packer.deadline = deadline
            if deadline?.hasPassed == true { packer.nodeLimit = 0 }
            if let layout = packer.pack() { return BoxChoice(box: candidate.box, cost: candidate.cost, layout: layout) }
            failed.append(inner)
        }
        return nil
    }
}
