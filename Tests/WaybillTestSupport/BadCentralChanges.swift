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
        Bad(
            id: "O-HUGE",
            data: orderData(id: "O-HUGE", lines: #"[{"line_no":1,"sku":"S-1","quantity":100000000000000000000}]"#),
            reason: "number too large"
        ),
        Bad(
            id: "O-ZERO",
            data: orderData(id: "O-ZERO", lines: #"[{"line_no":1,"sku":"S-1","quantity":0}]"#),
            reason: "quantity 0 is outside 1...100000"
        ),
        Bad(id: "O-NEG", data: orderData(id: "O-NEG", lines: #"[{"line_no":1,"sku":"S-1","quantity":-4}]"#), reason: "quantity -4 is outside"),
        Bad(id: "O-TRU", data: orderData(id: "O-TRU", lines: "[]", extra: #""gift":tru,"#), reason: "not valid JSON (an invalid literal"),
        Bad(
            id: "O-NUM",
            data: orderData(id: "O-NUM", lines: "[]", extra: #""tip":01,"#),
            reason: "not valid JSON (unexpected character after a value"
        ),
        Bad(id: "O-CTRL", data: orderData(id: "O-CTRL", lines: "[]", extra: "\"note\":\"a\u{1}b\","), reason: "a control character inside a string"),
        Bad(
            id: "O-DEEP",
            data: orderData(
                id: "O-DEEP",
                lines: "[]",
                extra: "\"x\":" + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + ","
            ),
            reason: "nested deeper than 16 levels"
        ),
        Bad(
            id: "O-LONG",
            data: orderData(id: "O-LONG", lines: "[]", extra: "\"note\":\"\(String(repeating: "x", count: 3_000))\","),
            reason: "a string longer than 2048 bytes"
        ),
        Bad(id: "O-NOLINES", data: #"{"id":"O-NOLINES","state":"assigned"}"#, reason: "an order needs warehouse"),
        Bad(id: "O-../../etc", data: orderData(id: "O-../../etc", lines: "[]"), reason: "its id must not contain '..'"),
        Bad(id: "O-1/2", data: orderData(id: "O-1/2", lines: "[]"), reason: "its id may hold only letters"),
        Bad(
            id: "O-SKU",
            data: orderData(id: "O-SKU", lines: #"[{"line_no":1,"sku":"../x","quantity":1}]"#),
            reason: "sku must start with a letter or digit"
        ),
        Bad(
            id: "O-TWICE",
            data: orderData(id: "O-TWICE", lines: #"[{"line_no":1,"sku":"S-1","quantity":1},{"line_no":1,"sku":"S-2","quantity":1}]"#),
            reason: "line_no 1 appears twice"
        ),
        Bad(
            id: "O-ADDR",
            data: orderData(id: "O-ADDR", lines: "[]").replacingOccurrences(of: #""city":"Lyon","#, with: ""),
            reason: "ship_to needs city"
        ),
        Bad(
            id: "O-TYPE",
            data: orderData(id: "O-TYPE", lines: "[]").replacingOccurrences(of: #""residential":false"#, with: #""residential":"no""#),
            reason: "residential must be true or false"
        ),
        Bad(
            id: "O-ZONE",
            data: orderData(id: "O-ZONE", lines: "[]").replacingOccurrences(of: #""zones":{"A":4}"#, with: #""zones":{"A":4.5}"#),
            reason: "a zone must be an integer"
        ),
        Bad(
            id: "O-ZONE9",
            data: orderData(id: "O-ZONE9", lines: "[]").replacingOccurrences(of: #""zones":{"A":4}"#, with: #""zones":{"A":9}"#),
            reason: "zone 9 is outside 2...8"
        ),
        Bad(id: "O-OTHER", data: orderData(id: "O-OTHER-2", lines: "[]"), reason: "its data names 'O-OTHER-2', not the change's id 'O-OTHER'"),
        Bad(
            id: "O-NOLINENO",
            data: orderData(id: "O-NOLINENO", lines: #"[{"sku":"S-1","quantity":1}]"#),
            reason: "an order line needs line_no, sku and quantity"
        ),
    ]

}

/// An order's data as the contract wants it (every required field, a whole address) for the order
/// `id` (its change's id): `lines` (JSON) and `extra` fields (`"k":v,` each).
public func orderData(id: String = "O", lines: String, extra: String = "") -> String {
    #"{"id":"\#(id)","state":"assigned","warehouse":"W1","reference":"R-1","service_level":"standard","residential":false,"#
        + #""ship_to":{"name":"Ana Ruiz","street1":"1 Rue Neuve","city":"Lyon","region":"ARA","postal_code":"69001","country":"FR"},"#
        + #""zones":{"A":4},"# + extra + #""content_version":0,"lines":"# + lines + "}"
}
