import Testing
import WaybillCore

@Suite struct ZPLFieldTextTests {
    static let hostile = [
        "Eve^FS^FO0,0^GB812,400,400^FS", "~JA", "~JR", "^XZ^XA", "_5E", "Back\\slash", "Ctrl\u{1}\u{7}\u{1B}", "Tab\tLine\n",
        "(%%EOF) Tj", "Zoë Brontë", "李小龙", "مرحبا\u{200F}", "e\u{301}\u{301}", String(repeating: "^", count: 10_000),
    ]

    @Test(arguments: hostile)
    func escapedText_neverCarriesZPLControlCharactersOrControlBytes(_ text: String) {
        let escaped = ZPLFieldText.escape(text)
        #expect(!escaped.contains("^"))
        #expect(!escaped.contains("~"))
        #expect(escaped.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F })
        // Every underscore starts a two-digit hex escape.
        let characters = Array(escaped)
        for (index, character) in characters.enumerated() where character == "_" {
            #expect(index + 2 < characters.count && characters[index + 1].isHexDigit && characters[index + 2].isHexDigit)
        }
    }

    @Test func safeText_staysReadable_andLengthIsCapped() {
        #expect(ZPLFieldText.escape("John Smith, 12 Main St.") == "John Smith, 12 Main St.")
        #expect(ZPLFieldText.escape("a^b") == "a_5Eb")
        #expect(ZPLFieldText.escape("ë") == "_C3_AB")
        #expect(ZPLFieldText.escape(String(repeating: "x", count: 100), maxCharacters: 10) == String(repeating: "x", count: 10) + "...")
    }
}
