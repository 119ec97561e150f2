/// A picture of a ZPL label as ``ZPLRenderer`` writes it, for people to look at before the printer
/// does (`waybill labels preview`): its graphic fields (every customer text, drawn from the
/// document fonts) pixel for pixel as the printer burns them, its rules and Code 128 barcodes, and
/// its resident-font fields (the words and numbers Waybill writes) in the document font instead of
/// the printer's own, which looks a little different.
///
/// Reads only the commands ``ZPLRenderer`` writes (`^PW ^LL ^FO ^A ^FB ^FH ^FD ^FS ^BY ^BC ^GB ^GF`)
/// and ignores any other.
public enum ZPLPreview {
    /// The label's dots, `^PW` x `^LL` (4 x 6 in at 203 dpi without them).
    public static func render(_ zpl: [UInt8], fonts: UnicodeFonts?) -> MonochromeBitmap {
        let commands = split(zpl)
        var width = 812
        var height = 1218
        for (name, parameters) in commands {
            if name == "PW", let value = Int(parameters) { width = min(max(1, value), 4_000) }
            if name == "LL", let value = Int(parameters) { height = min(max(1, value), 8_000) }
        }
        var bitmap = MonochromeBitmap(width: width, height: height)
        var origin = (x: 0, y: 0)
        var fontHeight = 30
        var block: (width: Int, lines: Int)?
        var hexIndicator: Character?
        var moduleWidth = 2
        var barcode: (height: Int, readable: Bool)?
        var data: String?
        for (name, parameters) in commands {
            // Positions and sizes within ten labels either way: nothing a label holds can overflow.
            let numbers = parameters.split(separator: ",", omittingEmptySubsequences: false).map { Int($0).map(Self.clamped) }
            switch name {
            case "FO":
                origin = (numbers.first.flatMap { $0 } ?? 0, numbers.dropFirst().first.flatMap { $0 } ?? 0)
            case "A0":
                let sizes = parameters.dropFirst().split(separator: ",").compactMap { Int($0) }
                if let first = sizes.first { fontHeight = min(max(1, first), 1_000) }
            case "FB":
                block = (min(max(1, numbers.first.flatMap { $0 } ?? width), width), min(max(1, numbers.dropFirst().first.flatMap { $0 } ?? 1), 50))
            case "FH":
                hexIndicator = parameters.first ?? "_"
            case "BY":
                moduleWidth = min(max(1, numbers.first.flatMap { $0 } ?? 2), 10)
            case "BC":
                let fields = parameters.split(separator: ",", omittingEmptySubsequences: false)
                let barHeight = fields.count > 1 ? Int(fields[1]).map(Self.clamped) ?? 10 * moduleWidth : 10 * moduleWidth
                barcode = (min(max(1, barHeight), height), fields.count > 2 && fields[2] == "Y")
            case "GB":
                let (boxWidth, boxHeight) = (numbers.first.flatMap { $0 } ?? 1, numbers.dropFirst().first.flatMap { $0 } ?? 1)
                let thickness = numbers.dropFirst(2).first.flatMap { $0 } ?? 1
                if thickness * 2 >= min(boxWidth, boxHeight) {
                    bitmap.fillRectangle(x: origin.x, y: origin.y, width: boxWidth, height: boxHeight)
                } else {
                    bitmap.fillRectangle(x: origin.x, y: origin.y, width: boxWidth, height: thickness)
                    bitmap.fillRectangle(x: origin.x, y: origin.y + boxHeight - thickness, width: boxWidth, height: thickness)
                    bitmap.fillRectangle(x: origin.x, y: origin.y, width: thickness, height: boxHeight)
                    bitmap.fillRectangle(x: origin.x + boxWidth - thickness, y: origin.y, width: thickness, height: boxHeight)
                }
            case "GF":
                let fields = parameters.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false)
                if fields.count == 5, fields[0] == "A", let bytesPerRow = Int(fields[3]), bytesPerRow > 0, bytesPerRow <= 1_000,
                    let bytes = ZPLGraphicField.decompress(fields[4], bytesPerRow: bytesPerRow, maxBytes: bitmap.bytes.count)
                {
                    bitmap.draw(MonochromeBitmap(bytes: bytes, bytesPerRow: bytesPerRow), x: origin.x, y: origin.y)
                }
            case "FD":
                data = parameters
            case "FS":
                if let text = data.map({ decode($0, hexIndicator: hexIndicator) }) {
                    if let barcode {
                        drawBarcode(text, barcode, moduleWidth: moduleWidth, at: origin, fonts: fonts, into: &bitmap)
                    } else if let fonts {
                        let lines = Array(text.components(separatedBy: "\\&").prefix(block?.lines ?? 1))
                        let picture = fonts.bitmap(lines: lines, lineHeight: fontHeight, width: block?.width ?? width - origin.x, bold: true)
                        bitmap.draw(picture, x: origin.x, y: origin.y)
                    }
                }
                (block, hexIndicator, barcode, data) = (nil, nil, nil, nil)
            default:
                continue
            }
        }
        return bitmap
    }

    /// `value` within ±40,000 dots (ten 4 x 6 in labels at 300 dpi).
    private static func clamped(_ value: Int) -> Int { min(max(value, -40_000), 40_000) }

    /// The commands of `zpl`: each two-letter name (`A0` for a font) and its parameters.
    private static func split(_ zpl: [UInt8]) -> [(name: String, parameters: String)] {
        var commands: [(String, String)] = []
        var index = 0
        while index < zpl.count {
            guard zpl[index] == UInt8(ascii: "^") || zpl[index] == UInt8(ascii: "~"), index + 2 < zpl.count else {
                index += 1
                continue
            }
            let name = String(decoding: zpl[(index + 1)...(index + 2)], as: UTF8.self).uppercased()
            var end = index + 3
            while end < zpl.count, zpl[end] != UInt8(ascii: "^"), zpl[end] != UInt8(ascii: "~") { end += 1 }
            var parameters = String(decoding: zpl[(index + 3)..<end], as: UTF8.self)
            while parameters.last == "\n" || parameters.last == "\r" { parameters.removeLast() }
            commands.append(
                (name.hasPrefix("A") && name != "A@" ? "A0" : name, name.hasPrefix("A") ? String(name.dropFirst()) + parameters : parameters)
            )
            index = end
        }
        return commands
    }

    /// Field data with `^FH` escapes (`_C3_AB`) turned back into the text they spell.
    private static func decode(_ data: String, hexIndicator: Character?) -> String {
        guard let hexIndicator, let indicator = hexIndicator.asciiValue else { return data }
        var bytes: [UInt8] = []
        let raw = Array(data.utf8)
        var index = 0
        while index < raw.count {
            if raw[index] == indicator, index + 2 < raw.count,
                let value = UInt8(String(decoding: raw[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(raw[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func drawBarcode(
        _ text: String,
        _ barcode: (height: Int, readable: Bool),
        moduleWidth: Int,
        at origin: (x: Int, y: Int),
        fonts: UnicodeFonts?,
        into bitmap: inout MonochromeBitmap
    ) {
        guard let id = BarcodeID(rawValue: text) else { return }
        var x = origin.x
        for (index, modules) in Code128.modules(for: id).enumerated() {
            if index % 2 == 0 { bitmap.fillRectangle(x: x, y: origin.y, width: modules * moduleWidth, height: barcode.height) }
            x += modules * moduleWidth
        }
        if barcode.readable, let fonts {
            let line = fonts.bitmap(lines: [text], lineHeight: 9 * moduleWidth + 6, width: max(1, x - origin.x), bold: false)
            bitmap.draw(line, x: origin.x, y: origin.y + barcode.height + 2)
        }
    }
}
