import WaybillCore

extension JSONKey {
    /// The fields a shipping address must name, and those that may be a string or null (the contract's).
    static let requiredAddressFields = CentralAPI.Address.requiredFields
    static let optionalAddressFields = CentralAPI.Address.optionalFields
    /// An order's fields that must be strings, and those that may also be null (the contract's).
    static let orderStrings = CentralAPI.OrderData.stringFields
    static let orderOptionalStrings = CentralAPI.OrderData.optionalStringFields

    /// The key as text, for messages.
    var text: String { String(decoding: raw, as: UTF8.self) }
}

extension JSONScanner {
    /// Checks that the value at the cursor has `type`, the type the contract gives an order's field
    /// `key` (``CentralAPI/OrderData``). Returns the value when this consumed it (addresses, zones,
    /// flags, whole numbers); leaves strings for the caller to read, and returns nil for them and for
    /// keys the contract does not type here.
    mutating func orderValue(_ key: JSONKey, _ type: DataKeyRule.OrderFieldType) throws(JSONScanError) -> String?? {
        skipWhitespace()
        switch type {
        case .shipTo:
            try address()
            return .some(nil)
        case .zones:
            try zones()
            return .some(nil)
        case .flag:
            guard peek() == UInt8(ascii: "t") || peek() == UInt8(ascii: "f") else { throw refuse("an order's \(key.text) must be true or false") }
            _ = try bool()
            return .some(nil)
        case .wholeNumber:
            guard let byte = peek(), byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                throw refuse("an order's \(key.text) must be a whole number")
            }
            return .some(String(try integer()))
        case .string:
            if peek() != UInt8(ascii: "\"") { throw refuse("an order's \(key.text) must be a string") }
            return nil
        case .optionalString:
            if peek() != UInt8(ascii: "\""), peek() != UInt8(ascii: "n") { throw refuse("an order's \(key.text) must be a string or null") }
            return nil
        case .lines, .id, .other:
            return nil
        }
    }

    /// The fields of an address, in the order canonical JSON writes them, each with its position
    /// among the required ones (nil: optional).
    static let addressKeys = {
        let table = JSONKeyTable(sorting: JSONKey.requiredAddressFields + JSONKey.optionalAddressFields)
        let required = table.keys.map { key in JSONKey.requiredAddressFields.firstIndex { $0.isSameText(as: key) } }
        return (table: table, required: required)
    }()

    /// An order's `ship_to`: an object naming every required address field as a string.
    private mutating func address() throws(JSONScanError) {
        guard peek() == UInt8(ascii: "{") else { throw refuse("an order's ship_to must be an object") }
        index += 1
        var seen: UInt8 = 0
        var named: UInt64 = 0
        let keys = Self.addressKeys
        try members(keys.table, plainKeys: true) { (scanner: inout JSONScanner, key: JSONKey, known: Int?) throws(JSONScanError) in
            scanner.skipWhitespace()
            if let known {
                guard named & (1 << UInt64(known)) == 0 else { throw scanner.refuse("an order's ship_to names \(key.text) twice") }
                named |= 1 << UInt64(known)
            }
            if let known, let required = keys.required[known] {
                seen |= 1 << UInt8(required)
                guard scanner.peek() == UInt8(ascii: "\"") else { throw scanner.refuse("an order's ship_to.\(key.text) must be a string") }
            } else if known != nil {
                guard scanner.peek() == UInt8(ascii: "\"") || scanner.peek() == UInt8(ascii: "n") else {
                    throw scanner.refuse("an order's ship_to.\(key.text) must be a string or null")
                }
            }
            if let violation = try scanner.skipCheckedValue() { throw scanner.refuse(violation) }
        }
        let all: UInt8 = (1 << UInt8(JSONKey.requiredAddressFields.count)) - 1
        guard seen == all else {
            let missing = JSONKey.requiredAddressFields.indices.filter { seen & (1 << UInt8($0)) == 0 }.map { "\(JSONKey.requiredAddressFields[$0])" }
            throw refuse("an order's ship_to needs \(missing.joined(separator: ", "))")
        }
    }

    /// An order's `zones`: an object of whole numbers (a carrier zone per warehouse location).
    private mutating func zones() throws(JSONScanError) {
        guard peek() == UInt8(ascii: "{") else { throw refuse("an order's zones must be an object") }
        index += 1
        try members(plainKeys: true) { (scanner: inout JSONScanner, _: JSONKey) throws(JSONScanError) in
            scanner.skipWhitespace()
            guard let byte = scanner.peek(), byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                throw scanner.refuse("a zone must be an integer")
            }
            let zone: Int
            do throws(JSONScanError) {
                zone = try scanner.integer()
            } catch {
                throw scanner.refuse("a zone must be an integer")
            }
            guard CentralLimits.zone.contains(zone) else {
                throw scanner.refuse("zone \(zone) is outside \(CentralLimits.zone.lowerBound)...\(CentralLimits.zone.upperBound)")
            }
        }
    }
}
