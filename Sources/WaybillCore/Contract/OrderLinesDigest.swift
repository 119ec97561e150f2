/// A digest of an order's lines (SKU and quantity, in order): the replica compares it to tell whether a
/// central edit changed what must be packed, without keeping the lines in a table of their own.
///
/// FNV-1a (64 bit) over each line's SKU bytes, a unit separator, the quantity's decimal digits and a
/// record separator. Formatting of the JSON the lines came in (spacing, key order, `line_no`) does not
/// change it; a different SKU, quantity, line count or order does.
public struct OrderLinesDigest: Sendable, Hashable {
    /// The digest so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// The digest of `lines`, given as (SKU, quantity) pairs.
    public init(_ lines: some Sequence<(sku: String, quantity: Int)>) {
        for line in lines { add(sku: line.sku, quantity: line.quantity) }
    }

    /// Adds the next line.
    public mutating func add(sku: String, quantity: Int) {
        var sku = sku
        sku.withUTF8 { add(skuBytes: UnsafeRawBufferPointer($0), quantity: quantity) }
    }

    /// Adds the next line, its SKU given as UTF-8 bytes.
    public mutating func add(skuBytes: UnsafeRawBufferPointer, quantity: Int) {
        for byte in skuBytes { mix(byte) }
        mix(0x1F)
        if quantity < 0 { mix(UInt8(ascii: "-")) }
        let magnitude = quantity.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            mix(UInt8(ascii: "0") + UInt8((magnitude / divisor) % 10))
            divisor /= 10
        }
        mix(0x1E)
    }

    /// The digest as a signed 64-bit integer, the way SQLite stores it.
    public var storedValue: Int64 { Int64(bitPattern: value) }

    private mutating func mix(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01b3
    }
}
