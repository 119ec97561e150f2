/// Renders a ``ShippingLabel`` as ZPL II for a 4x6 in thermal label at 203 or 300 dpi.
///
/// Every customer text field is written `^FB...^FH_^FD<escaped>^FS` (see ``ZPLFieldText``): hex-escaped,
/// capped and wrapped in a field block, so no text can add a command or move anything on the label.
/// The command skeleton (``commandSkeleton(_:)``) is therefore the same whatever the text.
public struct ZPLRenderer: Sendable {
    /// Printer resolution in dots per inch.
    public enum Resolution: Int, Sendable, CaseIterable {
        case dpi203 = 203
        case dpi300 = 300
    }

    public let resolution: Resolution

    public init(resolution: Resolution = .dpi203) {
        self.resolution = resolution
    }

    /// Label width and length in dots (4 x 6 in).
    public var size: (width: Int, height: Int) { (4 * resolution.rawValue, 6 * resolution.rawValue) }

    /// The label's ZPL, as UTF-8 bytes (`^CI28`).
    public func render(_ label: ShippingLabel) -> [UInt8] {
        var zpl = "^XA\n^CI28\n^PW\(size.width)\n^LL\(size.height)\n^LH0,0\n"
        zpl += text(label.shipFrom.name, x: 30, y: 30, font: 26, width: 750, lines: 1, cap: 40)
        zpl += text(label.shipFrom.printedLines, x: 30, y: 62, font: 22, width: 750, lines: 3, cap: 45)
        zpl += rule(y: 150)
        zpl += fixed("SHIP TO", x: 30, y: 166, font: 26)
        zpl += text(label.shipTo.name, x: 30, y: 200, font: 44, width: 750, lines: 1, cap: 35)
        zpl += text(label.shipTo.printedLines, x: 30, y: 254, font: 36, width: 750, lines: 4, cap: 40)
        zpl += rule(y: 430)
        zpl += text(label.service, x: 30, y: 450, font: 36, width: 500, lines: 1, cap: 30)
        zpl += fixed(label.weightText, x: 560, y: 450, font: 36)
        zpl += fixed(label.boxText, x: 30, y: 500, font: 36)
        zpl += text("ORDER " + label.orderReference, x: 30, y: 550, font: 28, width: 750, lines: 1, cap: 46)
        zpl += rule(y: 600)
        zpl += barcode(label.tracking ?? label.id, x: 50, y: 630, height: 220, moduleWidth: 2)
        zpl += barcode(label.boxID, x: 50, y: 930, height: 140, moduleWidth: 2)
        zpl += fixed(label.id.rawValue, x: 50, y: 1140, font: 24)
        zpl += "^XZ\n"
        return Array(zpl.utf8)
    }

    /// The sequence of commands (`^XA`, `^FO`, `^FD`, ...) in `zpl`, ignoring field data: what must not
    /// change whatever the customer typed.
    public static func commandSkeleton(_ zpl: [UInt8]) -> [String] {
        var commands: [String] = []
        var index = 0
        while index < zpl.count {
            let byte = zpl[index]
            if byte == UInt8(ascii: "^") || byte == UInt8(ascii: "~") {
                let end = min(index + 3, zpl.count)
                commands.append(String(decoding: zpl[index..<end], as: UTF8.self))
                index = end
            } else {
                index += 1
            }
        }
        return commands
    }

    private func dots(_ value: Int) -> Int { value * resolution.rawValue / 203 }

    private func rule(y: Int) -> String { "^FO0,\(dots(y))^GB\(size.width),\(dots(3)),\(dots(3))^FS\n" }

    /// Text Waybill generated (numbers, fixed words, generated ids): still escaped, for uniformity.
    private func fixed(_ value: String, x: Int, y: Int, font: Int) -> String {
        text(value, x: x, y: y, font: font, width: 750 - x, lines: 1, cap: 40)
    }

    private func text(_ value: String, x: Int, y: Int, font: Int, width: Int, lines: Int, cap: Int) -> String {
        text([value], x: x, y: y, font: font, width: width, lines: lines, cap: cap)
    }

    /// One field block; `values` become its lines (`\&` separates them), each escaped and capped.
    private func text(_ values: [String], x: Int, y: Int, font: Int, width: Int, lines: Int, cap: Int) -> String {
        let data = values.prefix(lines).map { ZPLFieldText.escape($0, maxCharacters: cap) }.joined(separator: "\\&")
        return "^FO\(dots(x)),\(dots(y))^A0N,\(dots(font)),\(dots(font))^FB\(dots(width)),\(lines),0,L,0^FH_^FD\(data)^FS\n"
    }

    private func barcode(_ id: BarcodeID, x: Int, y: Int, height: Int, moduleWidth: Int) -> String {
        "^FO\(dots(x)),\(dots(y))^BY\(dots(moduleWidth))^BCN,\(dots(height)),Y,N,N^FD\(id.rawValue)^FS\n"
    }
}
