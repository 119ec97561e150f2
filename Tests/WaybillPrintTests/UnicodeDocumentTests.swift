import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

/// Slips and PDF labels in the scripts customers write their names in: the text embedded in a
/// subset of DejaVu Sans comes back out of poppler as it went in.
@Suite(.timeLimit(.minutes(2))) struct UnicodeDocumentTests {
    static let folder = "/usr/share/fonts/truetype/dejavu"
    static let fonts: UnicodeFonts? = {
        guard let regular = FileManager.default.contents(atPath: folder + "/DejaVuSans.ttf"),
            let bold = FileManager.default.contents(atPath: folder + "/DejaVuSans-Bold.ttf")
        else { return nil }
        return try? UnicodeFonts(regular: TrueTypeFont(bytes: Array(regular)), bold: TrueTypeFont(bytes: Array(bold)))
    }()

    /// Names from the seed and beyond, in the scripts DejaVu Sans covers.
    static let names = [
        "Петров GmbH", "München", "Ζωή Παπαδοπούλου", "Łukasz Żółć", "Şükrü Öztürk", "Nguyễn Thị Hương", "Ærøskøbing", "Mañana Çelik",
    ]

    @Test func aSlip_inSeveralScripts_readsBackAsItWasWritten_withItsFontsEmbeddedAsSubsets() throws {
        let fonts = try #require(Self.fonts, "DejaVu Sans is missing: install fonts-dejavu-core (packaging/dev.sh does)")
        let folder = try TemporaryDirectory()
        for name in Self.names {
            let path = folder.file("label.pdf")
            try Data(PDFLabelRenderer.render(CupsFixtures.label(name), fonts: fonts)).write(to: URL(fileURLWithPath: path))
            let text = try ChildProcess.run(["pdftotext", "-enc", "UTF-8", path, "-"])
            #expect(text.contains(name), "pdftotext gave back: \(text)")
            let info = try ChildProcess.run(["pdfinfo", path])
            #expect(!info.contains("Error"), "poppler had to repair it: \(info)")
        }
        let path = folder.file("slip.pdf")
        let slip = CupsFixtures.slip(
            Self.names.enumerated().map { PackingSlip.Line(sku: "SKU-\($0.offset)", description: $0.element, quantity: 1) },
            shipTo: "Петров GmbH"
        )
        let bytes = PDFLabelRenderer.render(slip, fonts: fonts)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let text = try ChildProcess.run(["pdftotext", "-enc", "UTF-8", path, "-"])
        for name in Self.names { #expect(text.contains(name), "missing \(name) in: \(text)") }
        // Both faces embedded, each a subset (the `ABCDEF+` name), as CID TrueType fonts.
        let listed = try ChildProcess.run(["pdffonts", path]).split(separator: "\n").filter { $0.contains("DejaVuSans") }
        #expect(listed.count == 2, "\(listed)")
        for line in listed {
            #expect(line.contains("CID TrueType") && line.contains("Identity-H"), "\(line)")
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns.first?.dropFirst(6).hasPrefix("+") == true, "a subset's name: \(line)")
            #expect(Array(columns.suffix(5).prefix(3)) == ["yes", "yes", "yes"], "embedded, subset, with a ToUnicode map: \(line)")
        }
        #expect(bytes.count < 100_000, "a slip stays small: \(bytes.count) bytes")
    }

    /// Names in twelve scripts, the ones DejaVu Sans lacks from the fallback fonts. The Arabic name
    /// is drawn joined and still reads back as written. (Not a lam-alef ligature: poppler reverses
    /// the two letters the ligature's ToUnicode entry names, in logical order as the PDF standard has it.)
    static let corpus = [
        "Ærøskøbing", "Петров", "Ζωή", "Łukasz Żółć", "Şükrü Öztürk", "Nguyễn Thị Hương", "李小龙", "山田 とうきょう", "김민준", "محمد",
        "דוד כהן", "राजेश",
    ]

    static let fallbackFonts: UnicodeFonts? = {
        let files = [
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
            "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
        ]
        let fallbacks = files.compactMap { FileManager.default.contents(atPath: $0).flatMap { try? TrueTypeFont(bytes: Array($0)) } }
        guard let fonts, fallbacks.count == files.count else { return nil }
        return UnicodeFonts(regular: fonts.regular, bold: fonts.bold, fallbacks: fallbacks)
    }()

    @Test func twelveScripts_readBack_withFallbackFonts() throws {
        let fonts = try #require(Self.fallbackFonts, "install fonts-droid-fallback and fonts-noto-core (packaging/dev.sh does)")
        let folder = try TemporaryDirectory()
        let path = folder.file("slip.pdf")
        let bytes = PDFLabelRenderer.render(
            CupsFixtures.slip(Self.corpus.enumerated().map { PackingSlip.Line(sku: "SKU-\($0.offset)", description: $0.element, quantity: 1) }),
            fonts: fonts
        )
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let text = try ChildProcess.run(["pdftotext", "-enc", "UTF-8", path, "-"])
        var missing: [String] = []
        for name in Self.corpus where !text.contains(name) { missing.append(name) }
        #expect(missing.isEmpty, "not read back: \(missing) from: \(text)")
        let listed = try ChildProcess.run(["pdffonts", path])
        for font in ["DejaVuSans", "DroidSansFallback", "NanumGothic", "NotoSansDevanagari"] {
            #expect(listed.contains(font), "\(font) not embedded: \(listed)")
        }
        #expect(bytes.count < 100_000, "\(bytes.count) bytes")
    }

    @Test func aFortyLineSlip_inThreeScripts_staysUnder100KB() throws {
        let fonts = try #require(Self.fallbackFonts)
        let descriptions = ["Blue cotton shirt, size M", "Хлопковая рубашка синего цвета", "蓝色棉质衬衫 中号 男士长袖"]
        let lines = (0..<40).map { PackingSlip.Line(sku: "SKU-\($0)", description: "\(descriptions[$0 % 3]) \($0)", quantity: 1 + $0 % 4) }
        let bytes = PDFLabelRenderer.render(CupsFixtures.slip(lines, shipTo: "李小龙"), fonts: fonts)
        #expect(bytes.count < 100_000, "\(bytes.count) bytes")
        let folder = try TemporaryDirectory()
        try Data(bytes).write(to: URL(fileURLWithPath: folder.file("slip.pdf")))
        let text = try ChildProcess.run(["pdftotext", "-enc", "UTF-8", folder.file("slip.pdf"), "-"])
        for description in descriptions { #expect(text.contains(description)) }
    }

    @Test func aCharacterTheFontLacks_showsAsAQuestionMark_notNothing() throws {
        let fonts = try #require(Self.fonts)
        let folder = try TemporaryDirectory()
        let path = folder.file("label.pdf")
        try Data(PDFLabelRenderer.render(CupsFixtures.label("李 Ada"), fonts: fonts)).write(to: URL(fileURLWithPath: path))
        #expect(try ChildProcess.run(["pdftotext", "-enc", "UTF-8", path, "-"]).contains("? Ada"), "without a fallback font")
    }

    @Test func hostileText_isWrittenAsGlyphNumbers_soItCannotEndItsString() throws {
        let fonts = try #require(Self.fonts)
        for text in HostileStrings.all {
            let pdf = String(decoding: PDFLabelRenderer.render(CupsFixtures.label(text), fonts: fonts), as: UTF8.self)
            let shown = pdf.split(separator: "\n").filter { $0.hasPrefix("BT ") }
            #expect(!shown.isEmpty)
            for line in shown {
                #expect(line.wholeMatch(of: /BT -?[0-9.]+ -?[0-9.]+ Td( \/F[0-9]+ [0-9.]+ Tf <[0-9A-F]*> Tj)* ET/) != nil, "\(line.prefix(120))")
            }
        }
    }

    /// A damaged font file is refused with a reason, never a crash or a hang: cut short anywhere in
    /// its first tables, or with its numbers overwritten.
    @Test func aDamagedFontFile_isRefused_notACrash() throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.folder + "/DejaVuSans.ttf").map(Array.init))
        let cuts = Array(stride(from: 0, to: 6000, by: 7))
        let refused = cuts.filter { (try? TrueTypeFont(bytes: Array(bytes.prefix($0)))) == nil }
        #expect(refused.count == cuts.count, "a file cut short is refused (its tables run past its end)")
        var random = SeededRandom(seed: 20)
        for _ in 0..<300 {
            var damaged = bytes
            for _ in 0..<8 {
                // The directory and the small tables' numbers, where a wrong value points anywhere.
                damaged[Int(random.next() % 2000)] = UInt8(truncatingIfNeeded: random.next())
            }
            if let font = try? TrueTypeFont(bytes: damaged) {
                _ = try? font.subset("Петров ?".unicodeScalars.compactMap { font.glyph(for: $0) })
            }
        }
        // A cmap group claiming every code point, many times over: refused, not read for minutes.
        var huge = bytes
        let cmap = Self.tableOffset("cmap", in: bytes)
        let format12: [UInt8] =
            [0, 12, 0, 0, 0, 0, 0x0C, 0x10, 0, 0, 0, 0, 0, 0, 0x01, 0]
            + Array(repeating: [0, 0, 0, 0, 0, 0x10, 0xFF, 0xFF, 0, 0, 0, 1], count: 256).flatMap { $0 }
        huge.replaceSubrange(cmap..<cmap + 12, with: [0, 0, 0, 1, 0, 3, 0, 10, 0, 0, 0, 12])
        huge.replaceSubrange(cmap + 12..<cmap + 12 + format12.count, with: format12)
        #expect(throws: FontError.self) { _ = try TrueTypeFont(bytes: huge) }
    }

    /// A font that loads but whose glyphs cannot be cut out gives a Helvetica document, which shows
    /// the Latin-1 text, not one with an empty font, which would show nothing.
    @Test func aFontWhoseGlyphsCannotBeCut_givesAHelveticaDocument() throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.folder + "/DejaVuSans.ttf").map(Array.init))
        let glyph = Int(try #require(try TrueTypeFont(bytes: bytes).glyph(for: "A")))
        var damaged = bytes
        // DejaVu Sans has long offsets: the end of A's outline, pointed far past the glyf table.
        let entry = Self.tableOffset("loca", in: bytes) + 4 * (glyph + 1)
        damaged.replaceSubrange(entry..<entry + 4, with: [0x7F, 0xFF, 0xFF, 0xF0])
        let broken = try TrueTypeFont(bytes: damaged)
        let pdf = PDFLabelRenderer.render(CupsFixtures.label("Ada"), fonts: UnicodeFonts(regular: broken, bold: broken))
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/BaseFont /Helvetica") && !text.contains("CIDFontType2"))
        let folder = try TemporaryDirectory()
        try Data(pdf).write(to: URL(fileURLWithPath: folder.file("label.pdf")))
        #expect(try ChildProcess.run(["pdftotext", folder.file("label.pdf"), "-"]).contains("Ada"))
    }

    /// Where table `tag` starts in a font file.
    static func tableOffset(_ tag: String, in bytes: [UInt8]) -> Int {
        let count = Int(bytes[4]) << 8 | Int(bytes[5])
        for index in 0..<count {
            let record = 12 + 16 * index
            if String(decoding: bytes[record..<record + 4], as: UTF8.self) == tag {
                return bytes[record + 8..<record + 12].reduce(0) { $0 << 8 | Int($1) }
            }
        }
        return 0
    }

    @Test func aSubset_isAFontOfItsOwn_withTheGlyphsItWasAskedFor() throws {
        let fonts = try #require(Self.fonts)
        let font = fonts.regular
        let wanted = "Петров Ǻ".unicodeScalars.compactMap { font.glyph(for: $0) }
        let subset = try font.subset(wanted)
        let reread = try TrueTypeFont(bytes: subset.bytes)
        #expect(subset.glyphs.count >= Set(wanted).count + 1, "the asked glyphs and .notdef (and composites' parts)")
        #expect(subset.bytes.count < 20_000, "\(subset.bytes.count) bytes")
        for glyph in wanted {
            let renumbered = try #require(subset.glyphs[glyph])
            #expect(reread.advance(of: renumbered) == font.advance(of: glyph))
        }
    }
}
