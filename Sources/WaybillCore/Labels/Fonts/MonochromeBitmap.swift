/// A black-and-white image as a thermal printer takes it: rows top to bottom, eight pixels a byte,
/// the leftmost pixel in the most significant bit, 1 for black (dots the printer burns).
public struct MonochromeBitmap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `height` rows of ``bytesPerRow`` bytes.
    public private(set) var bytes: [UInt8]

    /// A white image of `width` x `height` pixels.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        bytes = [UInt8](repeating: 0, count: (self.width + 7) / 8 * self.height)
    }

    /// An image of `bytes`, `bytesPerRow` a row (as a ZPL graphic field holds it).
    public init(bytes: [UInt8], bytesPerRow: Int) {
        width = 8 * max(0, bytesPerRow)
        height = bytesPerRow > 0 ? bytes.count / bytesPerRow : 0
        self.bytes = Array(bytes.prefix(bytesPerRow * height))
    }

    public var bytesPerRow: Int { (width + 7) / 8 }

    /// Whether the pixel at column `x`, row `y` is black (outside the image: white).
    public func isBlack(x: Int, y: Int) -> Bool {
        guard x >= 0, x < width, y >= 0, y < height else { return false }
        return bytes[y * bytesPerRow + x / 8] & (0x80 >> UInt8(x % 8)) != 0
    }

    /// How many pixels are black in columns `columns` (all rows).
    public func blackCount(columns: Range<Int>? = nil) -> Int {
        let columns = columns ?? 0..<width
        var count = 0
        for y in 0..<height {
            for x in columns where isBlack(x: x, y: y) { count += 1 }
        }
        return count
    }

    /// Blackens every pixel whose centre lies inside `polygons` (pixel coordinates, y down), by the
    /// non-zero winding rule, as TrueType outlines are filled.
    public mutating func fill(_ polygons: [[(x: Double, y: Double)]]) {
        var edges: [(x0: Double, y0: Double, x1: Double, y1: Double, winding: Int)] = []
        var top = Double.infinity
        var bottom = -Double.infinity
        for polygon in polygons where polygon.count >= 3 {
            for (index, start) in polygon.enumerated() {
                let end = polygon[(index + 1) % polygon.count]
                guard start.y != end.y else { continue }
                edges.append(start.y < end.y ? (start.x, start.y, end.x, end.y, 1) : (end.x, end.y, start.x, start.y, -1))
                top = min(top, start.y, end.y)
                bottom = max(bottom, start.y, end.y)
            }
        }
        guard !edges.isEmpty else { return }
        let firstRow = max(0, Int((top - 0.5).rounded(.up)))
        let lastRow = min(height - 1, Int((bottom - 0.5).rounded(.down)))
        guard firstRow <= lastRow else { return }
        var crossings: [(x: Double, winding: Int)] = []
        for row in firstRow...lastRow {
            let centre = Double(row) + 0.5
            crossings.removeAll(keepingCapacity: true)
            for edge in edges where edge.y0 <= centre && centre < edge.y1 {
                crossings.append((edge.x0 + (centre - edge.y0) * (edge.x1 - edge.x0) / (edge.y1 - edge.y0), edge.winding))
            }
            crossings.sort { $0.x < $1.x }
            var winding = 0
            for (index, crossing) in crossings.enumerated() {
                let before = winding
                winding += crossing.winding
                guard before != 0, index > 0 else { continue }
                // Pixels whose centre x + 0.5 lies in [previous crossing, this crossing).
                let from = max(0, Int((crossings[index - 1].x - 0.5).rounded(.up)))
                let to = min(width, Int((crossing.x - 0.5).rounded(.up)))
                setRow(row, from: from, to: to)
            }
        }
    }

    /// Blackens the rectangle of `width` x `height` pixels whose top-left pixel is `x`, `y` (what
    /// lies outside the image is left out, however far).
    public mutating func fillRectangle(x: Int, y: Int, width: Int, height: Int) {
        let (left, top) = (max(0, x), max(0, y))
        let right = min(self.width, x.addingReportingOverflow(max(0, width)).overflow ? self.width : x + max(0, width))
        let bottom = min(self.height, y.addingReportingOverflow(max(0, height)).overflow ? self.height : y + max(0, height))
        guard left < right, top < bottom else { return }
        for row in top..<bottom { setRow(row, from: left, to: right) }
    }

    /// Blackens the black pixels of `picture` here, its top-left pixel at `x`, `y` (what lies
    /// outside the image is left out, however far).
    public mutating func draw(_ picture: MonochromeBitmap, x: Int, y: Int) {
        guard x < width, y < height, x > -picture.width, y > -picture.height else { return }
        for row in max(0, -y)..<min(picture.height, height - y) {
            for column in max(0, -x)..<min(picture.width, width - x) where picture.isBlack(x: column, y: row) {
                bytes[(y + row) * bytesPerRow + (x + column) / 8] |= 0x80 >> UInt8((x + column) % 8)
            }
        }
    }

    private mutating func setRow(_ row: Int, from: Int, to: Int) {
        guard from < to else { return }
        let base = row * bytesPerRow
        for x in from..<to {
            bytes[base + x / 8] |= 0x80 >> UInt8(x % 8)
        }
    }
}
