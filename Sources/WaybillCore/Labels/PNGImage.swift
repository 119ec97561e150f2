/// A black-and-white PNG file of a ``MonochromeBitmap`` (1-bit greyscale), for people to look at
/// a label before the printer does. The image data is stored, not compressed: a 4x6 in label at
/// 203 dpi is about 125 KB.
public enum PNGImage {
    /// The PNG file's bytes.
    public static func encode(_ bitmap: MonochromeBitmap) -> [UInt8] {
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        append32(bitmap.width, to: &header)
        append32(bitmap.height, to: &header)
        header += [1, 0, 0, 0, 0]  // 1 bit, greyscale, deflate, adaptive filters, not interlaced
        chunk("IHDR", header, into: &file)
        // Each row: filter 0, then its pixels, 1 for white (PNG's greyscale is the inverse of a printer's dots).
        var raw: [UInt8] = []
        raw.reserveCapacity((bitmap.bytesPerRow + 1) * bitmap.height)
        for row in 0..<bitmap.height {
            raw.append(0)
            for byte in bitmap.bytes[(row * bitmap.bytesPerRow)..<((row + 1) * bitmap.bytesPerRow)] { raw.append(~byte) }
        }
        chunk("IDAT", zlibStored(raw), into: &file)
        chunk("IEND", [], into: &file)
        return file
    }

    /// `data` as a zlib stream of stored (uncompressed) deflate blocks.
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(data.count, start + 65_535)
            let length = end - start
            output.append(end == data.count ? 1 : 0)
            output += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            output += data[start..<end]
            start = end
        } while start < data.count
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        append32(Int(b << 16 | a), to: &output)
        return output
    }

    private static func chunk(_ type: String, _ data: [UInt8], into file: inout [UInt8]) {
        append32(data.count, to: &file)
        let body = Array(type.utf8) + data
        file += body
        append32(Int(crc32(body)), to: &file)
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static func append32(_ value: Int, to output: inout [UInt8]) {
        output += [
            UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
            UInt8(truncatingIfNeeded: value),
        ]
    }
}
