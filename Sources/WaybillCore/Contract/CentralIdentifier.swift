/// The one pattern every identifier from a central system must match before it enters the replica:
/// order, SKU, box, label and station ids end up in spool file names, CUPS job names, ZPL and HTML.
///
/// `^[A-Za-z0-9][A-Za-z0-9._:@#-]{0,63}$` without `..`: 1-64 ASCII letters, digits and `. _ : @ # -`,
/// starting with a letter or digit. No `/`, no spaces, no control characters, no path climbing.
public enum CentralIdentifier {
    /// The longest identifier accepted.
    public static let maxLength = 64

    /// Why `text` is not an acceptable identifier, or nil when it is.
    public static func problem(_ text: String) -> String? {
        // Over contiguous bytes (a native string's are), so the check below is specialised here.
        text.utf8.withContiguousStorageIfAvailable { problem(utf8: $0) } ?? problem(utf8: text.utf8)
    }

    /// Why the UTF-8 bytes `bytes` are not an acceptable identifier, or nil when they are.
    @inlinable
    public static func problem(utf8 bytes: some Collection<UInt8>) -> String? {
        guard let first = bytes.first else { return "is empty" }
        guard bytes.count <= maxLength else { return "is longer than \(maxLength) characters" }
        guard isAlphanumeric(first) else { return "must start with a letter or digit" }
        var previous: UInt8 = 0
        for byte in bytes {
            guard isAlphanumeric(byte) || isAllowedPunctuation(byte) else { return "may hold only letters, digits and . _ : @ # -" }
            if byte == UInt8(ascii: "."), previous == byte { return "must not contain '..'" }
            previous = byte
        }
        return nil
    }

    @inlinable @inline(__always)
    static func isAllowedPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: "-"): true
        default: false
        }
    }

    @inlinable @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// The ranges the contract allows for the central system's numbers.
public enum CentralLimits {
    /// Units of one order line.
    public static let quantity = 1...100_000
    /// An order line's number (`line_no`), unique within its order.
    public static let lineNumber = 1...10_000
    /// A carrier zone (an order's `zones`, per warehouse location), as rate tables price them.
    public static let zone = 2...8
    /// Units of a SKU on hand at one location; below zero when a store sells more than it holds.
    public static let stockQuantity = -10_000_000...10_000_000
}
