/// A picture in a ZPL label: `^GFA,total,total,bytesPerRow,data`, its rows written in ZPL's ASCII
/// compression (hex digits with repeat counts, `,` for a row's white rest, `:` for a row equal to
/// the one above), which every Zebra printer reads.
///
/// The data holds hex digits, the letters `G`-`Y` and `g`-`z`, `,` and `:` only: never `^` or `~`,
/// so no picture can add a command to a label.
public enum ZPLGraphicField {
    /// The `^GFA` command for `bitmap` (without `^FO` and `^FS`).
    public static func command(_ bitmap: MonochromeBitmap) -> String {
        let total = bitmap.bytes.count
        return "^GFA,\(total),\(total),\(bitmap.bytesPerRow),\(compressed(bitmap))"
    }

    /// `bitmap`'s rows in ASCII compression.
    public static func compressed(_ bitmap: MonochromeBitmap) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        var previous: ArraySlice<UInt8>?
        for row in 0..<bitmap.height {
            let bytes = bitmap.bytes[(row * bitmap.bytesPerRow)..<((row + 1) * bitmap.bytesPerRow)]
            if let previous, previous.elementsEqual(bytes) {
                output.append(UInt8(ascii: ":"))
                continue
            }
            previous = bytes
            var hex: [UInt8] = []
            hex.reserveCapacity(2 * bytes.count)
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0F)])
            }
            // The white rest of the row is one comma (a row that is white throughout too).
            let end = (hex.lastIndex { $0 != UInt8(ascii: "0") } ?? -1) + 1
            var index = 0
            while index < end {
                var run = 1
                while index + run < end, hex[index + run] == hex[index] { run += 1 }
                output += repeatCount(run)
                output.append(hex[index])
                index += run
            }
            if end < hex.count { output.append(UInt8(ascii: ",")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of compressed graphic data, `bytesPerRow` a row, as a printer reads them; nil when
    /// `data` is not ASCII-compressed hex, a row overflows, or it holds more than `maxBytes`.
    public static func decompress(_ data: some StringProtocol, bytesPerRow: Int, maxBytes: Int = 4_000_000) -> [UInt8]? {
        guard bytesPerRow > 0, bytesPerRow <= maxBytes else { return nil }
        let maxRows = maxBytes / bytesPerRow
        let rowDigits = 2 * bytesPerRow
        var rows: [[UInt8]] = []
        var row: [UInt8] = []
        var count = 0
        func finishRow() {
            while row.count < rowDigits { row.append(UInt8(ascii: "0")) }
            rows.append(row)
            row = []
        }
        for byte in data.utf8 {
            switch byte {
            case UInt8(ascii: "G")...UInt8(ascii: "Y"):
                count += Int(byte - UInt8(ascii: "G")) + 1
                guard count <= rowDigits else { return nil }
            case UInt8(ascii: "g")...UInt8(ascii: "z"):
                count += 20 * (Int(byte - UInt8(ascii: "g")) + 1)
                guard count <= rowDigits else { return nil }
            case UInt8(ascii: ","):
                guard rows.count < maxRows else { return nil }
                finishRow()
            case UInt8(ascii: ":"):
                guard row.isEmpty, rows.count < maxRows else { return nil }
                rows.append(rows.last ?? [UInt8](repeating: UInt8(ascii: "0"), count: rowDigits))
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "F"):
                guard count <= rowDigits - row.count, rows.count < maxRows else { return nil }
                row += repeatElement(byte, count: max(1, count))
                count = 0
                guard row.count <= rowDigits else { return nil }
                if row.count == rowDigits { finishRow() }
            default:
                return nil
            }
        }
        guard row.isEmpty, count == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.count * bytesPerRow)
        for hex in rows {
            for pair in stride(from: 0, to: rowDigits, by: 2) {
                bytes.append(nibble(hex[pair]) << 4 | nibble(hex[pair + 1]))
            }
        }
        return bytes
    }

    /// The repeat count letters for `run` characters (none for one): `g`-`z` count 20 to 400 in
    /// steps of 20, `G`-`Y` 1 to 19, and several add up.
    private static func repeatCount(_ run: Int) -> [UInt8] {
        guard run > 1 else { return [] }
        var letters: [UInt8] = []
        var left = run
        while left >= 400 {
            letters.append(UInt8(ascii: "z"))
            left -= 400
        }
        if left >= 20 {
            letters.append(UInt8(ascii: "g") + UInt8(left / 20 - 1))
            left %= 20
        }
        if left > 0 { letters.append(UInt8(ascii: "G") + UInt8(left - 1)) }
        return letters
    }

    private static func nibble(_ digit: UInt8) -> UInt8 {
        digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : digit - UInt8(ascii: "A") + 10
    }
}
