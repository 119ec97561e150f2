/// A glyph's outline as closed polygons in font units (y up): its quadratic curves cut into short
/// straight segments, composite glyphs resolved into their components' contours.
public struct GlyphOutline: Sendable, Equatable {
    /// Each contour's points, in order; the last joins the first.
    public var contours: [[(x: Double, y: Double)]]

    public static func == (lhs: GlyphOutline, rhs: GlyphOutline) -> Bool {
        lhs.contours.count == rhs.contours.count
            && zip(lhs.contours, rhs.contours).allSatisfy { a, b in a.count == b.count && zip(a, b).allSatisfy { $0 == $1 } }
    }
}

extension TrueTypeFont {
    /// Deepest nesting of composite glyphs followed (a font whose components refer to each other
    /// in a loop is refused, not followed forever).
    static let deepestComposite = 8
    /// Most points one glyph may have once its components are resolved.
    static let mostOutlinePoints = 20_000

    /// `glyph`'s outline, each quadratic curve cut into `segments` straight pieces.
    /// - Throws: ``FontError`` when its `glyf` data is malformed.
    public func outline(of glyph: UInt16, segments: Int = 4) throws(FontError) -> GlyphOutline {
        var drawn = Drawn(segments: max(1, segments))
        try appendOutline(Int(glyph), transform: (1, 0, 0, 1, 0, 0), depth: 0, into: &drawn)
        return GlyphOutline(contours: drawn.contours)
    }

    /// What an outline has so far: its polygons, and how many points they were drawn from.
    private struct Drawn {
        let segments: Int
        var contours: [[(x: Double, y: Double)]] = []
        var points = 0
    }

    /// An affine transform `(a, b, c, d, dx, dy)`: x' = a·x + c·y + dx, y' = b·x + d·y + dy.
    private typealias Transform = (Double, Double, Double, Double, Double, Double)

    private func appendOutline(_ glyph: Int, transform: Transform, depth: Int, into drawn: inout Drawn) throws(FontError) {
        guard glyph < glyphCount else { throw FontError("a composite glyph names glyph \(glyph), past the font's last") }
        guard depth <= Self.deepestComposite else { throw FontError("composite glyphs nest deeper than \(Self.deepestComposite)") }
        let data = try outline(glyph)
        guard data.count >= 10 else { return }  // a glyph without outline, such as the space
        let reader = FontBytes(bytes: data)
        let contourCount = try reader.i16(0)
        if contourCount < 0 {
            try appendComposite(reader, transform: transform, depth: depth, into: &drawn)
            return
        }
        var ends: [Int] = []
        for index in 0..<contourCount { ends.append(try reader.u16(10 + 2 * index)) }
        guard let last = ends.last else { return }
        let pointCount = last + 1
        drawn.points += pointCount
        guard drawn.points <= Self.mostOutlinePoints, zip(ends, ends.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw FontError("glyph \(glyph) has a malformed outline")
        }
        var offset = 10 + 2 * contourCount
        offset += 2 + (try reader.u16(offset))  // instructions are not run: unhinted outlines
        var flags: [Int] = []
        flags.reserveCapacity(pointCount)
        while flags.count < pointCount {
            let flag = try reader.u8(offset)
            offset += 1
            flags.append(flag)
            if flag & 0x08 != 0 {
                let repeats = try reader.u8(offset)
                offset += 1
                flags += repeatElement(flag, count: min(repeats, pointCount - flags.count))
            }
        }
        func coordinates(short: Int, same: Int) throws(FontError) -> [Int] {
            var values: [Int] = []
            values.reserveCapacity(pointCount)
            var value = 0
            for flag in flags {
                if flag & short != 0 {
                    let delta = try reader.u8(offset)
                    offset += 1
                    value += flag & same != 0 ? delta : -delta
                } else if flag & same == 0 {
                    value += try reader.i16(offset)
                    offset += 2
                }
                values.append(value)
            }
            return values
        }
        let xs = try coordinates(short: 0x02, same: 0x10)
        let ys = try coordinates(short: 0x04, same: 0x20)
        var start = 0
        for end in ends {
            let contour = (start...end).map { index in
                (
                    x: transform.0 * Double(xs[index]) + transform.2 * Double(ys[index]) + transform.4,
                    y: transform.1 * Double(xs[index]) + transform.3 * Double(ys[index]) + transform.5,
                    on: flags[index] & 0x01 != 0
                )
            }
            start = end + 1
            let flattened = Self.flatten(contour, segments: drawn.segments)
            if flattened.count >= 3 { drawn.contours.append(flattened) }
        }
    }

    private func appendComposite(_ reader: FontBytes, transform: Transform, depth: Int, into drawn: inout Drawn) throws(FontError) {
        var offset = 10
        while true {
            let flags = try reader.u16(offset)
            let component = try reader.u16(offset + 2)
            offset += 4
            var dx = 0
            var dy = 0
            if flags & 0x0001 != 0 {
                (dx, dy) = (try reader.i16(offset), try reader.i16(offset + 2))
                offset += 4
            } else {
                let word = try reader.u16(offset)
                (dx, dy) = (Int(Int8(truncatingIfNeeded: word >> 8)), Int(Int8(truncatingIfNeeded: word)))
                offset += 2
            }
            // Arguments that are point numbers (flag 0x0002 clear) anchor by points: rare, drawn unmoved.
            if flags & 0x0002 == 0 { (dx, dy) = (0, 0) }
            func f2dot14(_ at: Int) throws(FontError) -> Double { Double(try reader.i16(at)) / 16_384 }
            var (a, b, c, d) = (1.0, 0.0, 0.0, 1.0)
            if flags & 0x0008 != 0 {
                a = try f2dot14(offset)
                d = a
                offset += 2
            } else if flags & 0x0040 != 0 {
                (a, d) = (try f2dot14(offset), try f2dot14(offset + 2))
                offset += 4
            } else if flags & 0x0080 != 0 {
                (a, b, c, d) = (try f2dot14(offset), try f2dot14(offset + 2), try f2dot14(offset + 4), try f2dot14(offset + 6))
                offset += 8
            }
            // The component's own transform, then the parent's.
            let (pa, pb, pc, pd, px, py) = transform
            let combined: Transform = (
                pa * a + pc * b, pb * a + pd * b,
                pa * c + pc * d, pb * c + pd * d,
                pa * Double(dx) + pc * Double(dy) + px, pb * Double(dx) + pd * Double(dy) + py
            )
            // Each component counts, drawn or empty: a font whose components fan out deep and wide
            // is refused at the points limit instead of being followed for minutes.
            drawn.points += 1
            guard drawn.points <= Self.mostOutlinePoints else { throw FontError("a composite glyph has too many components") }
            try appendOutline(component, transform: combined, depth: depth + 1, into: &drawn)
            guard flags & 0x0020 != 0 else { return }
        }
    }

    /// A contour of on- and off-curve points as a polygon: two off-curve points in a row imply an
    /// on-curve point halfway, and each curve becomes `segments` straight pieces.
    private static func flatten(_ points: [(x: Double, y: Double, on: Bool)], segments: Int) -> [(x: Double, y: Double)] {
        guard !points.isEmpty else { return [] }
        // Start at an on-curve point (or halfway between the first two off-curve ones).
        let startIndex = points.firstIndex { $0.on }
        let start: (x: Double, y: Double) =
            startIndex.map { (points[$0].x, points[$0].y) }
            ?? ((points[0].x + points[points.count > 1 ? 1 : 0].x) / 2, (points[0].y + points[points.count > 1 ? 1 : 0].y) / 2)
        // From the start around to it again (without an on-curve point, the first point comes last).
        let rotated = startIndex.map { Array(points[($0 + 1)...] + points[...$0]) } ?? Array(points.dropFirst() + points.prefix(1))
        var polygon: [(x: Double, y: Double)] = [start]
        var control: (x: Double, y: Double)?
        var current = start
        func curve(to end: (x: Double, y: Double), via middle: (x: Double, y: Double)) {
            for step in 1...segments {
                let t = Double(step) / Double(segments)
                let u = 1 - t
                polygon.append(
                    (u * u * current.x + 2 * u * t * middle.x + t * t * end.x, u * u * current.y + 2 * u * t * middle.y + t * t * end.y)
                )
            }
            current = end
        }
        for point in rotated {
            let here = (x: point.x, y: point.y)
            if point.on {
                if let middle = control {
                    curve(to: here, via: middle)
                } else {
                    polygon.append(here)
                    current = here
                }
                control = nil
            } else if let middle = control {
                curve(to: ((middle.x + here.x) / 2, (middle.y + here.y) / 2), via: middle)
                control = here
            } else {
                control = here
            }
        }
        if let middle = control { curve(to: start, via: middle) }
        if polygon.count > 1, polygon.last! == polygon.first! { polygon.removeLast() }
        return polygon
    }
}
