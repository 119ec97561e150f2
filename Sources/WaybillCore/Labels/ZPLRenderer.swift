/// Renders a ``ShippingLabel`` as ZPL II for a 4x6 in thermal label at 203 or 300 dpi.
///
/// A printer's resident fonts show few scripts, so with ``fonts`` every customer text field (names,
/// address lines, the carrier service, the order reference) is drawn from them, as a PDF draws it,
/// into a picture: `^FO...^GFA,...^FS` (see ``ZPLGraphicField``), one per field, of the field's
/// size whatever its text. Without fonts each is `^FB...^FH_^FD<escaped>^FS` in the resident
/// font (see ``ZPLFieldText``): hex-escaped, capped and wrapped in a field block. Either way no
/// text can add a command or move anything on the label: the command skeleton
/// (``commandSkeleton(_:)``) is the same whatever the text. Text Waybill generates (words, weights,
/// ids) is always in the resident font.
public struct ZPLRenderer: Sendable {
    /// Printer resolution in dots per inch.
    public enum Resolution: Int, Sendable, CaseIterable {
        case dpi203 = 203
        case dpi300 = 300
    }

    public let resolution: Resolution
    /// The fonts customer text is drawn in; nil for the printer's resident font (Latin-1 only).
    public let fonts: UnicodeFonts?

    public init(resolution: Resolution = .dpi203, fonts: UnicodeFonts? = nil) {
        self.resolution = resolution
        self.fonts = fonts
    }

    /// Label width and length in dots (4 x 6 in).
    public var size: (width: Int, height: Int) { (4 * resolution.rawValue, 6 * resolution.rawValue) }

    /// The label's ZPL, as UTF-8 bytes (`^CI28`).
    public func render(_ label: ShippingLabel) -> [UInt8] {
        var zpl = "^XA\n^CI28\n^PW\(size.width)\n^LL\(size.height)\n^LH0,0\n"
        zpl += text(label.shipFrom.name, x: 30, y: 30, font: 26, width: 750, lines: 1, cap: 40, bold: true)
        zpl += text(label.shipFrom.printedLines, x: 30, y: 62, font: 22, width: 750, lines: 3, cap: 45)
        zpl += rule(y: 150)
        zpl += fixed("SHIP TO", x: 30, y: 166, font: 26)
        zpl += text(label.shipTo.name, x: 30, y: 200, font: 44, width: 750, lines: 1, cap: 35, bold: true)
        zpl += text(label.shipTo.printedLines, x: 30, y: 254, font: 36, width: 750, lines: 4, cap: 40)
        zpl += rule(y: 430)
        zpl += text(label.service, x: 30, y: 450, font: 36, width: 500, lines: 1, cap: 30, bold: true)
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

    /// Text Waybill generated (numbers, fixed words, generated ids), in the resident font: still
    /// escaped, for uniformity.
    private func fixed(_ value: String, x: Int, y: Int, font: Int) -> String {
        field([value], x: x, y: y, font: font, width: 750 - x, lines: 1, cap: 40)
    }

    private func text(_ value: String, x: Int, y: Int, font: Int, width: Int, lines: Int, cap: Int, bold: Bool = false) -> String {
        text([value], x: x, y: y, font: font, width: width, lines: lines, cap: cap, bold: bold)
    }

    /// Customer text: a picture of `values` (one line each) in ``fonts``, else a resident-font field.
    private func text(_ values: [String], x: Int, y: Int, font: Int, width: Int, lines: Int, cap: Int, bold: Bool = false) -> String {
        guard let fonts else { return field(values, x: x, y: y, font: font, width: width, lines: lines, cap: cap) }
        let shown = (0..<lines).map { $0 < values.count ? PDFText.visible(values[$0], maxCharacters: cap) : "" }
        let bitmap = fonts.bitmap(lines: shown, lineHeight: dots(font), width: dots(width), bold: bold)
        return "^FO\(dots(x)),\(dots(y))\(ZPLGraphicField.command(bitmap))^FS\n"
    }

    /// One field block in the resident font; `values` become its lines (`\&` separates them), each
    /// escaped and capped.
    private func field(_ values: [String], x: Int, y: Int, font: Int, width: Int, lines: Int, cap: Int) -> String {
        let data = values.prefix(lines).map { ZPLFieldText.escape($0, maxCharacters: cap) }.joined(separator: "\\&")
        return "^FO\(dots(x)),\(dots(y))^A0N,\(dots(font)),\(dots(font))^FB\(dots(width)),\(lines),0,L,0^FH_^FD\(data)^FS\n"
    }

    private func barcode(_ id: BarcodeID, x: Int, y: Int, height: Int, moduleWidth: Int) -> String {
        "^FO\(dots(x)),\(dots(y))^BY\(dots(moduleWidth))^BCN,\(dots(height)),Y,N,N^FD\(id.rawValue)^FS\n"
    }
}
