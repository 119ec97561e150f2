/// A complete search for items that fill their box exactly (no slack): in a full packing the lowest
/// uncovered point (by z, then y, then x) must be some item's corner, so each step tries every remaining
/// item and orientation there. Identical items are tried once per step.
struct ExactFill: Sendable {
    let packer: BoxPacker
    private var placed: [Placed] = []
    private var used: [Bool]
    private var nodes = 0

    init(packer: BoxPacker) {
        self.packer = packer
        self.used = Array(repeating: false, count: packer.rotations.count)
    }

    /// The full packing, or `nil` when none exists or the node limit ran out first.
    mutating func run() -> [Placed]? {
        step() ? placed : nil
    }

    private mutating func step() -> Bool {
        if placed.count == used.count { return true }
        nodes += 1
        if packer.outOfTime(nodes) { nodes = 20_000 }
        guard nodes <= 20_000, let point = lowestUncovered() else { return false }
        var triedTypes: Set<Int> = []
        for slot in used.indices where !used[slot] {
            guard triedTypes.insert(packer.types[slot]).inserted else { continue }
            for size in packer.rotations[slot] where (point + size).fits(in: packer.inner) {
                if placed.contains(where: { $0.overlaps(point, size) }) { continue }
                placed.append(Placed(slot: slot, origin: point, size: size))
                used[slot] = true
                if step() { return true }
                used[slot] = false
                placed.removeLast()
            }
        }
        return false
    }

    private func lowestUncovered() -> Size3? {
        let e = Size3.epsilon
        func coordinates(_ axis: Int) -> [Double] {
            var values = [0.0]
            for item in placed {
                let end = item.origin[axis] + item.size[axis]
                if end < packer.inner[axis] - e, !values.contains(where: { abs($0 - end) < e }) { values.append(end) }
            }
            return values.sorted()
        }
        let xs = coordinates(0), ys = coordinates(1), zs = coordinates(2)
        for z in zs {
            for y in ys {
                for x in xs {
                    let point = Size3(x, y, z)
                    if !placed.contains(where: { $0.covers(point) }) { return point }
                }
            }
        }
        return nil
    }
}

/// A depth-first extreme-point search for a few items: each item in turn (largest first) tries every
/// corner and orientation that fits, backtracking until the node limit.
struct PointSearch: Sendable {
    let packer: BoxPacker
    let order: [Int]
    private var placed: [Placed] = []
    private var nodes = 0

    init(packer: BoxPacker, order: [Int]) {
        self.packer = packer
        self.order = order
    }

    /// A packing, or `nil` when the search found none within its node limit.
    mutating func run() -> [Placed]? {
        step(depth: 0, points: ExtremePoints(inner: packer.inner)) ? placed : nil
    }

    private mutating func step(depth: Int, points: ExtremePoints) -> Bool {
        if depth == order.count { return true }
        nodes += 1
        if packer.outOfTime(nodes) { nodes = packer.nodeLimit }
        guard nodes <= packer.nodeLimit else { return false }
        let slot = order[depth]
        let corners = points.points.sorted { ($0.z, $0.y, $0.x) < ($1.z, $1.y, $1.x) }
        for point in corners {
            for size in packer.rotations[slot] where (point + size).fits(in: packer.inner) {
                if placed.contains(where: { $0.overlaps(point, size) }) { continue }
                let item = Placed(slot: slot, origin: point, size: size)
                placed.append(item)
                var next = points
                next.add(after: item, placed: placed)
                if step(depth: depth + 1, points: next) { return true }
                placed.removeLast()
                if nodes > packer.nodeLimit { return false }
            }
        }
        return false
    }
}
