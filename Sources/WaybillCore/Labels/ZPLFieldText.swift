/// Customer text made safe for a ZPL field.
///
/// ZPL executes `^` and `~` wherever they appear, even inside field data: a ship-to name such as
/// `Eve^FS^FO0,0^GB812,400,400^FS` would draw over the label and `~JA` would cancel every job. Text
/// from customers therefore only ever reaches a printer as `^FH_^FD<escaped>^FS`, where every byte
/// outside a small safe set is written as `_XX` (the hex of its UTF-8 bytes) and control characters
/// are dropped.
public enum ZPLFieldText {
    /// The escaped form of `text`, at most `maxCharacters` characters (and `4 * maxCharacters` Unicode
    /// scalars) of the original (an ellipsis marks a cut), for use after `^FH_^FD`.
    public static func escape(_ text: String, maxCharacters: Int = 60) -> String {
        var kept = ""
        var count = 0
        // A single Character can hold any number of combining scalars: cap scalars too, so a
        // 10 kB run of accents on one letter cannot grow the field.
        var scalars = 0
        let maxScalars = maxCharacters * 4
        for character in text where !character.unicodeScalars.allSatisfy(isControl) {
            let size = character.unicodeScalars.count
            if count == maxCharacters || scalars + size > maxScalars {
                kept += "..."
                break
            }
            kept.append(character)
            count += 1
            scalars += size
        }
        var escaped = ""
        escaped.reserveCapacity(kept.utf8.count)
        for scalar in kept.unicodeScalars where !isControl(scalar) {
            for byte in String(scalar).utf8 {
                if isSafe(byte) {
                    escaped.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    escaped += "_" + hex(byte)
                }
            }
        }
        return escaped
    }

    /// Whether `byte` can stand for itself inside a `^FH_` field: letters, digits, space and `.,-#/:()'&@+`.
    public static func isSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: " "), UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "#"), UInt8(ascii: "/"),
            UInt8(ascii: ":"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "'"), UInt8(ascii: "&"), UInt8(ascii: "@"),
            UInt8(ascii: "+"):
            true
        default:
            false
        }
    }

    /// C0 and C1 control characters and DEL: never printable, dropped.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
