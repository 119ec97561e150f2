import CCups

/// One value of an IPP attribute.
enum IPPValue: Hashable {
    case integer(Int)
    case boolean(Bool)
    case text(String)

    static func values(of attribute: OpaquePointer) -> [IPPValue] {
        (0..<ippGetCount(attribute)).map { index in
            switch ippGetValueTag(attribute) {
            case IPP_TAG_INTEGER, IPP_TAG_ENUM: .integer(Int(ippGetInteger(attribute, index)))
            case IPP_TAG_BOOLEAN: .boolean(ippGetBoolean(attribute, index) != 0)
            default: .text(ippGetString(attribute, index, nil).map { String(cString: $0) } ?? "")
            }
        }
    }
}

extension [String: [IPPValue]] {
    func integer(_ name: String) -> Int? {
        if case .integer(let value) = self[name]?.first { return value }
        return nil
    }

    func boolean(_ name: String) -> Bool? {
        if case .boolean(let value) = self[name]?.first { return value }
        return nil
    }

    func texts(_ name: String) -> [String] {
        (self[name] ?? []).compactMap { if case .text(let value) = $0 { value } else { nil } }
    }
}
