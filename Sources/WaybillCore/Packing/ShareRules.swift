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
