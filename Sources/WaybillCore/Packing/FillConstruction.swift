/// Minimum-slack filling (after Gupta and Ho's bin-packing heuristic): box after box, the largest unit
/// left and the companions that fill a box type best, checked by the packer; the box type whose fill
/// costs least per cubic inch shipped wins. Finds exact fills, which cost-greedy moves rarely reach.
extension BinSearch {
    /// Search nodes per box type and fill.
    static let fillNodes = 3_000

    mutating func fill(_ group: [Int]) -> [PlannedBin] {
        let units = selector.units
        var remaining = group.sorted { units[$0].volume != units[$1].volume ? units[$0].volume > units[$1].volume : $0 < $1 }
        var bins: [PlannedBin] = []
        while let largest = remaining.first {
            var best: (ratio: Double, members: [Int], choice: BoxChoice)?
            if !deadline.hasPassed {
                for box in selector.boxes.indices where selector.fitsAlone[largest][box] {
                    guard let subset = bestFill(remaining, box: box) else { continue }
                    let members = selector.canonical(subset)
                    guard let choice = selector.choose(members) else { continue }
                    let ratio = choice.cost / members.reduce(0.0) { $0 + units[$1].volume }
                    if best == nil || ratio < best!.ratio { best = (ratio, members, choice) }
                }
            }
            if let best {
                bins.append(PlannedBin(members: best.members, choice: best.choice))
                remaining.removeAll { best.members.contains($0) }
            } else {
                if let alone = selector.choose([largest]) { bins.append(PlannedBin(members: [largest], choice: alone)) }
                remaining.removeFirst()
            }
        }
        return bins
    }

    /// The subset of `candidates` (largest first, always holding the first) with the most volume that
    /// the packer fits in `box`, by a bounded depth-first search.
    private func bestFill(_ candidates: [Int], box: Int) -> [Int]? {
        let units = selector.units
        let inner = Size3(selector.boxes[box].inner)
        let payload = selector.boxes[box].maxGrossLb - selector.boxes[box].tareLb
        let pool = candidates.filter { selector.fitsAlone[$0][box] && (units[$0].location == units[candidates[0]].location) }
        guard pool.first == candidates.first else { return nil }
        var suffix = Array(repeating: 0.0, count: pool.count + 1)
        for index in pool.indices.reversed() { suffix[index] = suffix[index + 1] + units[pool[index]].volume }
        var best: (volume: Double, members: [Int]) = (0, [])
        var chosen: [Int] = []
        var nodes = 0

        func packs(_ members: [Int]) -> Bool {
            let ordered = selector.canonical(members)
            let packer = BoxPacker(
                rotations: ordered.map { units[$0].rotations },
                types: ordered.map { units[$0].type },
                inner: inner,
                nodeLimit: 1_000,
                deadline: deadline
            )
            return packer.pack() != nil
        }

        // First, subsets that fill the box exactly: the packer proves those completely (see `ExactFill`).
        var exactNodes = 0, exactTries = 0
        var exact: [Int]?
        func fillExactly(_ index: Int, volume: Double, weight: Double) {
            exactNodes += 1
            guard exact == nil, exactNodes <= Self.fillNodes * 5, exactTries < 40, exactNodes & 255 != 0 || !deadline.hasPassed else {
                exactNodes = Self.fillNodes * 5
                return
            }
            if volume >= inner.volume * (1 - 1e-9) {
                exactTries += 1
                if packs(chosen) { exact = chosen }
                return
            }
            guard index < pool.count, volume + suffix[index] >= inner.volume * (1 - 1e-9) else { return }
            let unit = pool[index]
            let nextVolume = volume + units[unit].volume, nextWeight = weight + units[unit].weight
            if nextVolume <= inner.volume * (1 + 1e-9), nextWeight <= payload + 1e-9, rules.canJoin(unit, chosen) {
                chosen.append(unit)
                fillExactly(index + 1, volume: nextVolume, weight: nextWeight)
                chosen.removeLast()
            }
            if index > 0 { fillExactly(index + 1, volume: volume, weight: weight) }
        }
        fillExactly(0, volume: 0, weight: 0)
        if let exact { return exact }

        func visit(_ index: Int, volume: Double, weight: Double) {
            nodes += 1
            if nodes & 255 == 0, deadline.hasPassed { nodes = Self.fillNodes }
            guard nodes <= Self.fillNodes, index < pool.count, volume + suffix[index] > best.volume + 1e-9 else { return }
            if best.volume >= inner.volume * (1 - 1e-9) { return }
            let unit = pool[index]
            let nextVolume = volume + units[unit].volume, nextWeight = weight + units[unit].weight
            if nextVolume <= inner.volume * (1 + 1e-9), nextWeight <= payload + 1e-9, rules.canJoin(unit, chosen) {
                chosen.append(unit)
                if nextVolume > best.volume + 1e-9 {
                    if packs(chosen) {
                        best = (nextVolume, chosen)
                        visit(index + 1, volume: nextVolume, weight: nextWeight)
                    }
                } else {
                    visit(index + 1, volume: nextVolume, weight: nextWeight)
                }
                chosen.removeLast()
            }
            if index > 0 { visit(index + 1, volume: volume, weight: weight) }
        }
        visit(0, volume: 0, weight: 0)
        return best.members.isEmpty ? nil : best.members
    }
}
