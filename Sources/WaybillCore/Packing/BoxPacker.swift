/// Finds positions for a set of items in one box: a few fast extreme-point passes (different orders and
/// merits), then, when those fail, a bounded search: an exact-fill search when the items fill the box
/// completely, a depth-first extreme-point search for a few items.
struct BoxPacker: Sendable {
    /// Each slot's allowed orientations.
    var rotations: [[Size3]]
    /// Slots of identical items share a type (their permutations are not searched twice).
    var types: [Int]
    var inner: Size3
    /// Search nodes the fallback searches may visit (0: only the fast passes).
    var nodeLimit = 600
    /// The searches give up when this passes (checked every 64 nodes).
    var deadline: PlanningDeadline?

    /// Whether a search at `nodes` visited nodes should stop for the deadline.
    func outOfTime(_ nodes: Int) -> Bool {
        nodes & 63 == 0 && deadline?.hasPassed == true
    }

    /// How an extreme-point pass picks among the corners and orientations that fit.
    enum Merit: CaseIterable, Sendable {
        /// Lowest, then furthest back, then leftmost corner; the larger footprint first.
        case lowestCorner
        /// The smallest bounding box of everything placed so far.
        case tightBounds
    }

    /// Positions for every slot, or `nil` when no attempt found one.
    func pack() -> [Placed]? {
        let count = rotations.count
        guard count > 0 else { return [] }
        guard rotations.allSatisfy({ $0.contains { $0.fits(in: inner) } }) else { return nil }
        let volume = rotations.reduce(0) { $0 + $1[0].volume }
        guard volume <= inner.volume * (1 + 1e-9) else { return nil }
        for order in orders() {
            for merit in Merit.allCases {
                if let placed = greedy(order: order, merit: merit) { return placed }
            }
        }
        guard nodeLimit > 0 else { return nil }
        if volume >= inner.volume * (1 - 1e-9) {
            var search = ExactFill(packer: self)
            return search.run()
        }
        guard count <= 8 else { return nil }
        var search = PointSearch(packer: self, order: orders()[0])
        return search.run()
    }

    /// Item orders to try: by volume, by longest side, by largest face (each descending, stable).
    func orders() -> [[Int]] {
        let slots = Array(rotations.indices)
        func sorted(by key: (Size3) -> Double) -> [Int] {
            slots.sorted { a, b in
                let ka = key(rotations[a][0]), kb = key(rotations[b][0])
                return ka != kb ? ka > kb : a < b
            }
        }
        let byVolume = sorted { $0.volume }
        let byLength = sorted { max($0.x, $0.y, $0.z) }
        let byFace = sorted { $0.volume / min($0.x, $0.y, $0.z) }
        var result = [byVolume]
        for order in [byLength, byFace] where !result.contains(order) { result.append(order) }
        return result
    }

    /// One extreme-point pass: each item in order goes to its best corner and orientation.
    func greedy(order: [Int], merit: Merit) -> [Placed]? {
        var placed: [Placed] = []
        placed.reserveCapacity(order.count)
        var points = ExtremePoints(inner: inner)
        var bounds = Size3.zero
        for slot in order {
            var best: (score: (Double, Double, Double, Double), origin: Size3, size: Size3)?
            for point in points.points {
                for size in rotations[slot] where (point + size).fits(in: inner) {
                    let score = Self.score(merit, point, size, bounds)
                    if let best, !(score < best.score) { continue }
                    if placed.contains(where: { $0.overlaps(point, size) }) { continue }
                    best = (score, point, size)
                }
            }
            guard let best else { return nil }
            let item = Placed(slot: slot, origin: best.origin, size: best.size)
            placed.append(item)
            let end = item.end
            bounds = Size3(max(bounds.x, end.x), max(bounds.y, end.y), max(bounds.z, end.z))
            points.add(after: item, placed: placed)
        }
        return placed
    }

    static func score(_ merit: Merit, _ point: Size3, _ size: Size3, _ bounds: Size3) -> (Double, Double, Double, Double) {
        switch merit {
        case .lowestCorner:
            return (point.z, point.y, point.x, -size.x * size.y)
        case .tightBounds:
            let end = point + size
            let grown = Size3(max(bounds.x, end.x), max(bounds.y, end.y), max(bounds.z, end.z))
            return (grown.volume, point.z, point.y + point.x, 0)
        }
    }
}
