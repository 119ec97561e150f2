/// Global Trade Item Numbers as printed on units and cases: GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13)
/// and GTIN-14, each ending in a mod-10 check digit.
public enum GTIN {
    /// The lengths a GTIN may have.
    public static let lengths: Set<Int> = [8, 12, 13, 14]

    /// Whether `code` is all digits, of a GTIN length, and ends in its check digit.
    public static func isValid(_ code: some StringProtocol) -> Bool {
        let digits = code.utf8.map { Int($0) - 48 }
        guard lengths.contains(digits.count), digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        return checkDigit(of: digits.dropLast()) == digits.last
    }

    /// The check digit of a GTIN's other digits: from the right, weights 3, 1, 3, 1, ...; the digit
    /// that brings the sum to a multiple of ten.
    public static func checkDigit(of payload: some Collection<Int>) -> Int {
        let sum = payload.reversed().enumerated().reduce(0) { total, digit in total + digit.element * (digit.offset % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10
    }

    /// A full GTIN from its digits without the check digit (`"400638133393"` → `"4006381333931"`).
    public static func complete(_ payload: String) -> String? {
        let digits = payload.utf8.map { Int($0) - 48 }
        guard lengths.contains(digits.count + 1), digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        return payload + String(checkDigit(of: digits))
    }
}
