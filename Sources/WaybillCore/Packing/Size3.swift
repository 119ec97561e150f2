/// Three lengths along the box axes (x along inner[0], y along inner[1], z up), used both for an
/// extent and for a corner point.
struct Size3: Hashable, Sendable {
    /// Tolerance of every geometric comparison, well inside the checkers' 1e-6.
    static let epsilon = 1e-7
    static let zero = Size3(0, 0, 0)

    var x: Double
    var y: Double
    var z: Double

    init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    init(_ values: [Double]) {
        self.init(values[0], values[1], values[2])
    }

    subscript(axis: Int) -> Double {
        get { axis == 0 ? x : (axis == 1 ? y : z) }
        set {
            if axis == 0 { x = newValue } else if axis == 1 { y = newValue } else { z = newValue }
        }
    }

    var volume: Double { x * y * z }
    var array: [Double] { [x, y, z] }

    static func + (a: Size3, b: Size3) -> Size3 { Size3(a.x + b.x, a.y + b.y, a.z + b.z) }

    /// Whether this extent fits inside `other` as it is (no rotation).
    func fits(in other: Size3) -> Bool {
        x <= other.x + Self.epsilon && y <= other.y + Self.epsilon && z <= other.z + Self.epsilon
    }

    /// The distinct orientations of an item of these dimensions: 6 rotations, or the 2 that keep z up.
    func rotations(keepUpright: Bool) -> [Size3] {
        let all =
            keepUpright
            ? [Size3(x, y, z), Size3(y, x, z)]
            : [Size3(x, y, z), Size3(x, z, y), Size3(y, x, z), Size3(y, z, x), Size3(z, x, y), Size3(z, y, x)]
        var distinct: [Size3] = []
        for rotation in all where !distinct.contains(rotation) { distinct.append(rotation) }
        return distinct
    }
}

/// One item placed in a box: its slot in the packer's input, its corner and its rotated extent.
struct Placed: Hashable, Sendable {
    var slot: Int
    var origin: Size3
    var size: Size3

    var end: Size3 { origin + size }

    /// Whether this item and an extent at `origin` share some volume.
    func overlaps(_ origin: Size3, _ size: Size3) -> Bool {
        let e = Size3.epsilon
        return origin.x < self.origin.x + self.size.x - e && self.origin.x < origin.x + size.x - e
            && origin.y < self.origin.y + self.size.y - e && self.origin.y < origin.y + size.y - e
            && origin.z < self.origin.z + self.size.z - e && self.origin.z < origin.z + size.z - e
    }

    /// Whether `point` lies inside this item (half-open: its far faces are outside).
    func covers(_ point: Size3) -> Bool {
        let e = Size3.epsilon
        return point.x >= origin.x - e && point.x < origin.x + size.x - e && point.y >= origin.y - e
            && point.y < origin.y + size.y - e && point.z >= origin.z - e && point.z < origin.z + size.z - e
    }
}
