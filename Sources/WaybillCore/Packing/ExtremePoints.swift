/// The candidate corners of an extreme-point packing (Crainic, Perboli and Tadei 2008): after each
/// placement, the item's three far corners, each also slid back along the other axes onto the nearest face.
struct ExtremePoints: Sendable {
    private(set) var points: [Size3] = [.zero]
    let inner: Size3

    init(inner: Size3) {
        self.inner = inner
    }

    /// Adds the corners an item placed at `item` opens, given every item placed so far (including it).
    mutating func add(after item: Placed, placed: [Placed]) {
        let o = item.origin, e = item.end
        let corners = [(Size3(e.x, o.y, o.z), [1, 2]), (Size3(o.x, e.y, o.z), [0, 2]), (Size3(o.x, o.y, e.z), [0, 1])]
        for (corner, axes) in corners {
            insert(corner, placed: placed)
            for axis in axes { insert(Self.project(corner, along: axis, placed: placed), placed: placed) }
        }
        points.removeAll { point in placed.contains { $0.covers(point) } }
    }

    private mutating func insert(_ point: Size3, placed: [Placed]) {
        let e = Size3.epsilon
        guard point.x < inner.x - e, point.y < inner.y - e, point.z < inner.z - e else { return }
        guard !points.contains(where: { abs($0.x - point.x) < e && abs($0.y - point.y) < e && abs($0.z - point.z) < e }) else { return }
        points.append(point)
    }

    /// Slides `point` toward 0 along `axis` until it meets the far face of a placed item (or the wall).
    static func project(_ point: Size3, along axis: Int, placed: [Placed]) -> Size3 {
        let e = Size3.epsilon
        var stop = 0.0
        for item in placed {
            let far = item.origin[axis] + item.size[axis]
            guard far <= point[axis] + e, far > stop else { continue }
            let inSpan = (0..<3).allSatisfy { other in
                other == axis || (point[other] >= item.origin[other] - e && point[other] < item.origin[other] + item.size[other] - e)
            }
            if inSpan { stop = far }
        }
        var result = point
        result[axis] = stop
        return result
    }
}
