/// Changes a central system with a bug sends: an order of each kind the station's edge checks must
/// keep out of the replica (the JSON grammar, limits, ranges, identifiers, required fields, line
/// numbers), each with what its quarantine reason says.
public enum BadCentralChanges {
    /// A bad change: its id, its `data` (JSON text, possibly not JSON at all) and what its quarantine reason says.
    public struct Bad: Sendable {
        public let id: String
        public let data: String
        public let reason: String
    }

    public static let orders: [Bad] = [
        Bad(id: "O-HUGE", data: orderData(lines: #"[{"line_no":1,"sku":"S-1","quantity":100000000000000000000}]"#), reason: "number too large"),
        Bad(id: "O-ZERO", data: orderData(lines: #"[{"line_no":1,"sku":"S-1","quantity":0}]"#), reason: "quantity 0 is outside 1...100000"),
        Bad(id: "O-NEG", data: orderData(lines: #"[{"line_no":1,"sku":"S-1","quantity":-4}]"#), reason: "quantity -4 is outside"),
        Bad(id: "O-TRU", data: orderData(lines: "[]", extra: #""gift":tru,"#), reason: "not valid JSON (an invalid literal"),
        Bad(id: "O-NUM", data: orderData(lines: "[]", extra: #""tip":01,"#), reason: "not valid JSON (unexpected character after a value"),
        Bad(id: "O-CTRL", data: orderData(lines: "[]", extra: "\"note\":\"a\u{1}b\","), reason: "a control character inside a string"),
        Bad(
            id: "O-DEEP",
            data: orderData(lines: "[]", extra: "\"x\":" + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + ","),
            reason: "nested deeper than 16 levels"
        ),
        Bad(
            id: "O-LONG",
            data: orderData(lines: "[]", extra: "\"note\":\"\(String(repeating: "x", count: 3_000))\","),
            reason: "a string longer than 2048 bytes"
        ),
        Bad(id: "O-NOLINES", data: #"{"id":"O-NOLINES","state":"assigned"}"#, reason: "an order needs warehouse"),
        Bad(id: "O-../../etc", data: orderData(lines: "[]"), reason: "its id must not contain '..'"),
        Bad(id: "O-1/2", data: orderData(lines: "[]"), reason: "its id may hold only letters"),
        Bad(id: "O-SKU", data: orderData(lines: #"[{"line_no":1,"sku":"../x","quantity":1}]"#), reason: "sku must start with a letter or digit"),
        Bad(
            id: "O-TWICE",
            data: orderData(lines: #"[{"line_no":1,"sku":"S-1","quantity":1},{"line_no":1,"sku":"S-2","quantity":1}]"#),
            reason: "line_no 1 appears twice"
        ),
        Bad(id: "O-ADDR", data: orderData(lines: "[]").replacingOccurrences(of: #""city":"Lyon","#, with: ""), reason: "ship_to needs city"),
        Bad(
            id: "O-TYPE",
            data: orderData(lines: "[]").replacingOccurrences(of: #""residential":false"#, with: #""residential":"no""#),
            reason: "residential must be true or false"
        ),
        Bad(
            id: "O-ZONE",
            data: orderData(lines: "[]").replacingOccurrences(of: #""zones":{"A":4}"#, with: #""zones":{"A":4.5}"#),
            reason: "a zone must be an integer"
        ),
        Bad(id: "O-NOLINENO", data: orderData(lines: #"[{"sku":"S-1","quantity":1}]"#), reason: "an order line needs line_no, sku and quantity"),
    ]

}

/// An order's data as the contract wants it (every required field, a whole address): `lines`
/// (JSON) and `extra` fields (`"k":v,` each).
public func orderData(lines: String, extra: String = "") -> String {
    #"{"id":"O","state":"assigned","warehouse":"W1","reference":"R-1","service_level":"standard","residential":false,"#
        + #""ship_to":{"name":"Ana Ruiz","street1":"1 Rue Neuve","city":"Lyon","region":"ARA","postal_code":"69001","country":"FR"},"#
        + #""zones":{"A":4},"# + extra + #""content_version":0,"lines":"# + lines + "}"
}
