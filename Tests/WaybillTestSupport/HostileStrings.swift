/// Customer text chosen to break labels: ZPL and PDF commands, escape sequences, invalid UTF-8, huge
/// names, bidirectional and combining text, control bytes. Every renderer test runs all of it.
public enum HostileStrings {
    /// The corpus (more than 100 strings).
    public static let all: [String] = literal + generated

    static let literal: [String] = [
        // ZPL commands and sequences that would end the field or act on the printer.
        "^XA^FO0,0^GB812,1218,812^FS^XZ", "Eve^FS^FO0,0^GB812,400,400^FS", "~JA", "~JR", "~JN", "~JS", "~HS", "~DG",
        "^FS", "^XZ", "^XA", "^FO", "^FD", "^FH", "^FX comment", "^CI0", "^CI28", "^PW100", "^LL10", "^MMC", "^PQ99",
        "^JUF", "^IDR:*.*^FS", "^DFR:EVIL.ZPL^FS", "^XFR:EVIL.ZPL^FS", "^BY9^BCN,900,Y,N,N^FD>:^FS", "~CC!", "~CT#",
        "!CC^", "^CC!!JA", "^CT~", "~SD30", "~TA999", "^MD30", "^PR14", "^SN001,1,Y^FS", "A^FSB^FDC", "^^^^", "~~~~",
        "^FB1,1,0,L,0", "\\&\\&\\&\\&\\&", "\\(*)", "\\\\", "_", "__", "_5E", "_7E", "_5EXA", "_ZZ", "_0", "_0A_0D",
        "name_5EFS_5EXZ", ">:>;>5", "100%", "%%EOF",
        // PDF operators and string breakers.
        ") Tj ET", "(x) Tj ET BT /F1 99 Tf (owned) Tj", "\\) Tj", "\\", "(((", ")))", "endstream endobj", "stream",
        "xref 0 1", "trailer << /Root 1 0 R >>", "%PDF-1.7", "/JavaScript (app.alert(1))", "<< /S /Launch >>", "0 0 612 792 re f",
        "q 9 0 0 9 0 0 cm Q", "\\376\\377", "\\0", "BT ET",
        // Control bytes, NUL and line breaks.
        "\u{0}", "NUL\u{0}inside", "\u{7}\u{8}\u{1B}[31m", "\r\n", "line1\nline2\nline3", "\t\t\t", "\u{7F}", "\u{85}next",
        "\u{9B}31m", "\u{1B}%-12345X@PJL", "\u{C}formfeed",
        // Unicode: right-to-left, bidi overrides, combining marks, zero-width, emoji, wide scripts.
        "مرحبا بالعالم", "שלום עולם", "\u{202E}evil\u{202C}", "\u{200F}\u{200E}\u{2066}x\u{2069}",
        "e\u{301}\u{301}\u{301}\u{301}", "Zoë Brontë", "Ærøskøbing", "Straße", "李小龙", "東京都千代田区", "서울특별시",
        "Ελληνικά", "Кириллица", "😀👨‍👩‍👧‍👦🏳️‍🌈", "\u{FEFF}BOM", "\u{200B}\u{200C}\u{200D}", "\u{FFFD}", "ｆｕｌｌｗｉｄｔｈ＾ＸＡ",
        "\u{2028}\u{2029}", "ᚠᛇᚻ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u{E000}private", "Ǆǅǆ",
        // Quotes, shells, markup.
        "O'Brien & Sons", "\"quoted\"", "<script>alert(1)</script>", "'; DROP TABLE labels; --", "$(reboot)", "`id`",
        "{{7*7}}", "%s%s%s%n", "${jndi:ldap://x}", "-1", "", " ", "                                        ",
        // HTML and script for the station screen's pages.
        "\"><img src=x onerror=alert(1)>", "' onmouseover='alert(1)' x='", "</td></tr></table><h1>x</h1>", "<!--", "]]>",
        "&lt;b&gt;pre-escaped&lt;/b&gt;", "&#x3C;script&#x3E;", "</script><script>alert(1)</script>", "<svg onload=alert(1)>",
        "javascript:alert(1)", "{{{view.orderID}}}", "{{> panel}}",
    ]

    static let generated: [String] = [
        String(repeating: "A", count: 10_000), String(repeating: "^", count: 10_000), String(repeating: "~JA", count: 3_000),
        String(repeating: "_", count: 10_000), String(repeating: ")", count: 10_000), String(repeating: "ë", count: 5_000),
        String(repeating: "李", count: 4_000), "e" + String(repeating: "\u{301}", count: 10_000),
        String(repeating: "\u{0}", count: 1_000), String(repeating: "مرحبا ", count: 2_000),
        String(repeating: "word ", count: 2_000), String(repeating: "\\&", count: 5_000),
        // Invalid UTF-8 arriving from a feed, decoded the only way Swift decodes it (with U+FFFD).
        String(decoding: [0xC3, 0x28, 0x5E, 0x58, 0x41], as: UTF8.self), String(decoding: [0xFF, 0xFE, 0x7E, 0x4A, 0x41], as: UTF8.self),
        String(decoding: [0xED, 0xA0, 0x80], as: UTF8.self), String(decoding: [0xF8, 0x88, 0x80, 0x80, 0x80], as: UTF8.self),
        String(decoding: [0xC0, 0xAF, 0x29, 0x20, 0x54, 0x6A], as: UTF8.self), String(decoding: [0xE2, 0x82], as: UTF8.self),
        String(decoding: Array(0...255), as: UTF8.self), String(decoding: Array(128...255), as: UTF8.self),
    ]
}
