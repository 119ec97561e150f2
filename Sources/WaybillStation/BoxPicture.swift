import WaybillCore

/// A box of the plan drawn from above as SVG: the box's floor, and each unit where the planner put
/// it, lower layers first, coloured by SKU (the same colour as its row in the box's table).
///
/// Only numbers and fixed words reach the SVG: no SKU id or customer text is written into it.
enum BoxPicture {
    /// Colours for SKUs, in the order of the box's table; readable on white and distinct side by side.
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// The colour of the `index`th SKU of a box.
    static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// The SVG of one box.
    ///
    /// - Parameters:
    ///   - inner: the box's inside dimensions (inches); the first two are the floor.
    ///   - placements: the units, with position and rotated dimensions.
    ///   - colourIndex: the colour index of each unit (by its SKU).
    static func svg(inner: [Double], placements: [PackingSolution.Placement], colourIndex: (PackingSolution.Placement) -> Int) -> String {
        let width = max(inner.first ?? 1, 0.1)
        let depth = max(inner.dropFirst().first ?? 1, 0.1)
        let scale = 300 / max(width, depth)
        func number(_ value: Double) -> String {
            let rounded = (value * 10).rounded() / 10
            return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="box-picture" role="img" aria-label="Box seen from above" \
            viewBox="-4 -4 \(number(width * scale + 8)) \(number(depth * scale + 8))" width="\(number(width * scale + 8))">
            <rect x="0" y="0" width="\(number(width * scale))" height="\(number(depth * scale))" fill="#fafafa" stroke="#333" stroke-width="3"/>
            """
        func floor(_ placement: PackingSolution.Placement) -> Double { placement.pos.count == 3 ? placement.pos[2] : 0 }
        let ordered = placements.enumerated().sorted { (floor($0.element), $0.offset) < (floor($1.element), $1.offset) }
        for (offset, placement) in ordered where placement.pos.count == 3 && placement.dims.count == 3 {
            let x = placement.pos[0] * scale
            let y = placement.pos[1] * scale
            let w = placement.dims[0] * scale
            let h = placement.dims[1] * scale
            svg += """
                <rect x="\(number(x))" y="\(number(y))" width="\(number(w))" height="\(number(h))" fill="\(colour(colourIndex(placement)))" \
                fill-opacity="0.55" stroke="#222" stroke-width="1.5"/>
                <text x="\(number(x + w / 2))" y="\(number(y + h / 2 + 6))" font-size="16" text-anchor="middle" fill="#000">\(offset + 1)</text>
                """
        }
        return svg + "</svg>"
    }
}
