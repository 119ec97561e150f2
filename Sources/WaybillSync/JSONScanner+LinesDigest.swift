import WaybillCore

extension JSONScanner {
    /// The fields of an order line, in the order canonical JSON writes them.
    static let lineKeys = JSONKeyTable(sorting: ["sku", "quantity", "line_no"])
    /// Where each field sits in ``lineKeys``.
    static let line = (sku: lineKeys.position("sku"), quantity: lineKeys.position("quantity"), number: lineKeys.position("line_no"))

    /// The ``OrderLinesDigest`` of a `lines` array of `{sku, quantity}` objects, without building them.
    mutating func linesDigest() throws(JSONScanError) -> Int64 {
        var digest = OrderLinesDigest()
        skipWhitespace()
        guard peek() == UInt8(ascii: "[") else { throw refuse("an order's lines must be an array") }
        index += 1
        // Orders have a few lines: a linear look beats hashing.
        var lineNumbers: [Int] = []
        let field = Self.line
        try elements { (scanner: inout JSONScanner) throws(JSONScanError) in
            // The SKU's bytes as received when it has no escapes (the usual case): no String is built.
            var rawSKU: UnsafeRawBufferPointer?
            var escapedSKU: String?
            var quantity: Int?
            var lineNumber: Int?
            scanner.skipWhitespace()
            guard scanner.peek() == UInt8(ascii: "{") else { throw scanner.refuse("an order line must be an object") }
            scanner.index += 1
            var named: UInt64 = 0
            try scanner.members(Self.lineKeys, plainKeys: true) { (scanner: inout JSONScanner, key: JSONKey, known: Int?) throws(JSONScanError) in
                if let known {
                    guard named & (1 << UInt64(known)) == 0 else { throw scanner.refuse("an order line names \(key.text) twice") }
                    named |= 1 << UInt64(known)
                }
                switch known {
                case field.sku:
                    scanner.skipWhitespace()
                    guard scanner.peek() == UInt8(ascii: "\"") else { throw scanner.refuse("an order line's sku must be a string") }
                    let token = try scanner.keyToken()
                    if token.escaped {
                        escapedSKU = try JSONScanner.unescapeString(token.raw, offset: scanner.index)
                    } else {
                        rawSKU = token.raw
                    }
                case field.quantity: quantity = try scanner.integer()
                case field.number: lineNumber = try scanner.integer()
                default: if let violation = try scanner.skipCheckedValue() { throw scanner.refuse(violation) }
                }
            }
            guard let quantity, let lineNumber, rawSKU != nil || escapedSKU != nil else {
                throw scanner.refuse("an order line needs line_no, sku and quantity")
            }
            guard CentralLimits.lineNumber.contains(lineNumber) else {
                throw scanner.refuse(
                    "an order line's line_no \(lineNumber) is outside \(CentralLimits.lineNumber.lowerBound)...\(CentralLimits.lineNumber.upperBound)"
                )
            }
            guard !lineNumbers.contains(lineNumber) else { throw scanner.refuse("an order's line_no \(lineNumber) appears twice") }
            lineNumbers.append(lineNumber)
            guard CentralLimits.quantity.contains(quantity) else {
                throw scanner.refuse(
                    "an order line's quantity \(quantity) is outside \(CentralLimits.quantity.lowerBound)...\(CentralLimits.quantity.upperBound)"
                )
            }
            if let invalid = escapedSKU.map(CentralIdentifier.problem) ?? rawSKU.map({ CentralIdentifier.problem(utf8: $0) }) ?? nil {
                throw scanner.refuse("an order line's sku \(invalid)")
            }
            if let escapedSKU {
                digest.add(sku: escapedSKU, quantity: quantity)
            } else if let rawSKU {
                digest.add(skuBytes: rawSKU, quantity: quantity)
            }
        }
        return digest.storedValue
    }
}
