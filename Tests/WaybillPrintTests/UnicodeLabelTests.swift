import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

/// ZPL labels for names in any script: customer text drawn from DejaVu Sans (and the fallback
/// fonts) into graphic fields, which a Zebra prints whatever its resident fonts are.
@Suite(.timeLimit(.minutes(2))) struct UnicodeLabelTests {
    /// Every `^FO x,y^GFA,...^FS` of `zpl`: where it is and its picture, as the printer reads it.
    static func pictures(_ zpl: [UInt8]) -> [(x: Int, y: Int, bitmap: MonochromeBitmap)] {
        String(decoding: zpl, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard line.hasPrefix("^FO"), line.contains("^GFA,"), line.hasSuffix("^FS") else { return nil }
            let position = line.dropFirst(3).prefix { $0 != "^" }.split(separator: ",").compactMap { Int($0) }
            let fields = line.split(separator: "^GFA,")[1].dropLast(3).split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
            guard position.count == 2, fields.count == 4, let total = Int(fields[0]), let bytesPerRow = Int(fields[2]),
                let bytes = ZPLGraphicField.decompress(fields[3], bytesPerRow: bytesPerRow), bytes.count == total
            else { return nil }
            return (position[0], position[1], MonochromeBitmap(bytes: bytes, bytesPerRow: bytesPerRow))
        }
    }

    /// The bitmap as text, `#` for black: what a failing test shows.
    static func art(_ bitmap: MonochromeBitmap, columns: Int = 300) -> String {
        (0..<bitmap.height).map { y in String((0..<min(columns, bitmap.width)).map { bitmap.isBlack(x: $0, y: y) ? "#" : "." }) }
            .joined(separator: "\n")
    }

    @Test func aCyrillicName_isAPictureOfItsLetters_andNoFieldDataLeavesPrintableASCII() throws {
        let fonts = try #require(UnicodeDocumentTests.fonts, "DejaVu Sans is missing: install fonts-dejavu-core (packaging/dev.sh does)")
        let zpl = ZPLRenderer(fonts: fonts).render(CupsFixtures.label("Петров GmbH"))
        let text = String(decoding: zpl, as: UTF8.self)
        // Every ^FD left is text Waybill generated, in the resident font's printable ASCII.
        for field in text.components(separatedBy: "^FD").dropFirst() {
            let data = field.components(separatedBy: "^FS")[0]
            #expect(data.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }, "\(data)")
            #expect(!data.contains("_D0") && !data.contains("Петров"), "customer text in a resident-font field: \(data)")
        }
        let pictures = Self.pictures(zpl)
        #expect(pictures.count == 6, "ship-from name and lines, ship-to name and lines, service, order reference")
        let name = try #require(pictures.first { $0.y == 200 })
        #expect(name.bitmap.bytes == fonts.bitmap(lines: ["Петров GmbH"], lineHeight: 44, width: 750, bold: true).bytes)
        // The letters, not question marks: Cyrillic П, Е, Т, Р, О, В drawn as no other text is.
        let questionMarks = fonts.bitmap(lines: ["?????? GmbH"], lineHeight: 44, width: 750, bold: true)
        #expect(name.bitmap.blackCount(columns: 0..<200) > 1_000)
        #expect(name.bitmap.blackCount(columns: 0..<200) != questionMarks.blackCount(columns: 0..<200), "\n\(Self.art(name.bitmap))")
    }

    @Test func cyrillicAndGreekCapitals_lookLikeTheirLatinTwins() throws {
        let fonts = try #require(UnicodeDocumentTests.fonts)
        // DejaVu draws these the same in the three alphabets (not К, whose arm differs).
        let latin = fonts.bitmap(lines: ["HOPAETMX"], lineHeight: 40, width: 600)
        #expect(latin.blackCount() > 1_500)
        let cyrillic = fonts.bitmap(lines: ["НОРАЕТМХ"], lineHeight: 40, width: 600)
        let greek = fonts.bitmap(lines: ["ΗΟΡΑΕΤΜΧ"], lineHeight: 40, width: 600)
        #expect(cyrillic == latin, "\n\(Self.art(cyrillic))\n\(Self.art(latin))")
        #expect(greek == latin, "\n\(Self.art(greek))\n\(Self.art(latin))")
    }

    /// The outlines read by this code and by poppler (a PDF of the same text, rendered in black and
    /// white by `pdftoppm`) cover the same pixels, but for a pixel's difference along some edges.
    @Test(arguments: ["Ada Lovelace & Co 12", "Петров GmbH, München", "Łukasz Żółć Şükrü", "Nguyễn Thị Hương", "Ζωή Παπαδοπούλου"])
    func glyphs_matchWhatPopplerDrawsFromThePDF(_ text: String) throws {
        let fonts = try #require(UnicodeDocumentTests.fonts)
        let lineHeight = 48
        let regular = fonts.regular
        let em = Double(lineHeight) * Double(regular.unitsPerEm) / Double(regular.ascent - regular.descent)
        let baseline = Double(regular.ascent) * em / Double(regular.unitsPerEm)
        let ours = fonts.bitmap(lines: [text], lineHeight: lineHeight, width: 800)
        var document = PDFDocument(fonts: fonts)
        document.addPage(width: 800, height: Double(lineHeight)) { page in
            page.text(text, x: 0, y: Double(lineHeight) - baseline, size: em)
        }
        let folder = try TemporaryDirectory()
        try Data(document.bytes()).write(to: URL(fileURLWithPath: folder.file("line.pdf")))
        _ = try ChildProcess.run(["pdftoppm", "-r", "72", "-mono", "-singlefile", folder.file("line.pdf"), folder.file("line")])
        let poppler = try #require(Self.portableBitmap(folder.file("line.pbm")))
        #expect(poppler.width == 800 && poppler.height == lineHeight, "800 is a multiple of 8: no padding")
        // Two rasterizers differ by a pixel along some edges: every black pixel of each must have
        // one of the other's within a pixel (a misread outline, a wrong glyph or a shifted
        // contour leaves whole strokes unmatched).
        func matched(_ a: MonochromeBitmap, by b: MonochromeBitmap) -> Double {
            var black = 0
            var near = 0
            for y in 0..<lineHeight {
                for x in 0..<800 where a.isBlack(x: x, y: y) {
                    black += 1
                    if (-1...1).contains(where: { dy in (-1...1).contains { dx in b.isBlack(x: x + dx, y: y + dy) } }) { near += 1 }
                }
            }
            return Double(near) / Double(max(1, black))
        }
        let (ourMatched, popplerMatched) = (matched(ours, by: poppler), matched(poppler, by: ours))
        #expect(ours.blackCount() > 1_000)
        #expect(
            ourMatched > 0.99 && popplerMatched > 0.99,
            "\(ourMatched), \(popplerMatched)\nours:\n\(Self.art(ours))\npoppler:\n\(Self.art(poppler))"
        )
    }

    /// A binary PBM (`P4`) file, as `pdftoppm -mono` writes it.
    static func portableBitmap(_ path: String) -> MonochromeBitmap? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = Array(data)
        var fields: [String] = []
        var index = 0
        while fields.count < 3, index < bytes.count {
            while index < bytes.count, bytes[index] == 0x0A || bytes[index] == 0x20 { index += 1 }
            if bytes[index] == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                continue
            }
            let start = index
            while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x20 { index += 1 }
            fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        guard fields.count == 3, fields[0] == "P4", let width = Int(fields[1]), let height = Int(fields[2]) else { return nil }
        let rows = Array(bytes[(index + 1)...])
        let bytesPerRow = (width + 7) / 8
        guard rows.count >= bytesPerRow * height else { return nil }
        return MonochromeBitmap(bytes: Array(rows.prefix(bytesPerRow * height)), bytesPerRow: bytesPerRow)
    }

    @Test func twelveScripts_drawnWithTheFallbackFonts_neverAsQuestionMarks() throws {
        let fonts = try #require(UnicodeDocumentTests.fallbackFonts, "install fonts-droid-fallback and fonts-noto-core (packaging/dev.sh does)")
        for name in UnicodeDocumentTests.corpus {
            let zpl = ZPLRenderer(fonts: fonts).render(CupsFixtures.label(name))
            let picture = try #require(Self.pictures(zpl).first { $0.y == 200 })
            let shown = PDFText.visible(name)
            // What a font without these letters draws: a question mark for each.
            let unknown = String(String.UnicodeScalarView(shown.unicodeScalars.map { $0 == " " ? " " : "?" }))
            let marks = fonts.bitmap(lines: [unknown], lineHeight: 44, width: 750, bold: true)
            #expect(picture.bitmap.blackCount() > 100, "\(name) drew nothing")
            #expect(picture.bitmap.bytes != marks.bytes, "\(name) drew as question marks")
            #expect(!String(decoding: zpl, as: UTF8.self).contains("^FH_^FD" + ZPLFieldText.escape(name)))
        }
    }

    @Test(arguments: ZPLRenderer.Resolution.allCases)
    func hostileText_neverChangesTheCommandSkeleton_ofAPictureLabel(_ resolution: ZPLRenderer.Resolution) throws {
        let fonts = try #require(UnicodeDocumentTests.fonts)
        let renderer = ZPLRenderer(resolution: resolution, fonts: fonts)
        let baseline = ZPLRenderer.commandSkeleton(renderer.render(CupsFixtures.label("Ada")))
        #expect(baseline.filter { $0 == "^GF" }.count == 6)
        for text in HostileStrings.all {
            let zpl = renderer.render(CupsFixtures.label(text))
            #expect(ZPLRenderer.commandSkeleton(zpl) == baseline, "text: \(text.prefix(40).debugDescription)")
            #expect(zpl.count < 64_000, "a label stays small: \(zpl.count) bytes")
            #expect(Self.pictures(zpl).count == 6, "every picture reads back")
        }
    }

    @Test func aNameTooLongForTheLine_isShrunk_thenCutAtACharacter() throws {
        let fonts = try #require(UnicodeDocumentTests.fonts)
        let short = fonts.bitmap(lines: ["Ada"], lineHeight: 44, width: 750)
        let long = fonts.bitmap(lines: [String(repeating: "Wolfeschlegelsteinhausen ", count: 3)], lineHeight: 44, width: 750)
        #expect(long.width == 750 && long.height == 44)
        // Shrunk: its letters are shorter than a line's; cut: nothing drawn past the width.
        let inkTop = (0..<44).first { y in (0..<750).contains { long.isBlack(x: $0, y: y) } } ?? 0
        let shortTop = (0..<44).first { y in (0..<750).contains { short.isBlack(x: $0, y: y) } } ?? 0
        #expect(inkTop > shortTop, "\n\(Self.art(long))")
        #expect(long.blackCount(columns: 700..<750) > 0, "the line is used to its end")
    }

    /// Outlines overwritten with noise are refused glyph by glyph (the line is drawn without them),
    /// never a crash or a hang: components naming themselves, points past the end, runaway repeats.
    @Test func arabicLetters_areDrawnJoined_notOneByOne() throws {
        let fonts = try #require(UnicodeDocumentTests.fonts)
        let joined = fonts.bitmap(lines: ["محمد السلام"], lineHeight: 40, width: 600)
        // The same letters in their isolated forms (U+FEE1 meem, U+FEA1 hah, U+FEA9 dal, …).
        let isolated = fonts.bitmap(lines: ["\u{FEE1}\u{FEA1}\u{FEE1}\u{FEA9}"], lineHeight: 40, width: 600)
        let name = fonts.bitmap(lines: ["محمد"], lineHeight: 40, width: 600)
        #expect(joined.blackCount() > 500)
        #expect(name.bytes != isolated.bytes, "\n\(Self.art(name))")
        #expect(name.bytes == fonts.bitmap(lines: ["\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}"], lineHeight: 40, width: 600).bytes)
    }

    @Test func damagedOutlines_leaveThoseGlyphsOut_notACrash() throws {
        let bytes = try #require(FileManager.default.contents(atPath: UnicodeDocumentTests.folder + "/DejaVuSans.ttf").map(Array.init))
        let font = try TrueTypeFont(bytes: bytes)
        let glyphs = "Ada Łukasz Żółć é".unicodeScalars.compactMap { font.glyph(for: $0) }
        let glyf = UnicodeDocumentTests.tableOffset("glyf", in: bytes)
        let loca = UnicodeDocumentTests.tableOffset("loca", in: bytes)
        var random = SeededRandom(seed: 21)
        var refused = 0
        for round in 0..<200 {
            var damaged = bytes
            for glyph in glyphs {
                // DejaVu Sans has long offsets: overwrite this glyph's outline where it starts.
                let start = glyf + bytes[(loca + 4 * Int(glyph))..<(loca + 4 * Int(glyph) + 4)].reduce(0) { $0 << 8 | Int($1) }
                for offset in 0..<24 where round % 2 == 0 || offset > 9 {
                    damaged[start + offset] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            let broken = try TrueTypeFont(bytes: damaged)
            for glyph in glyphs where (try? broken.outline(of: glyph)) == nil { refused += 1 }
            _ = UnicodeFonts(regular: broken, bold: broken).bitmap(lines: ["Ada Łukasz Żółć é"], lineHeight: 40, width: 600)
        }
        #expect(refused > 100, "noise is mostly refused, not drawn")
    }

    @Test func thePreview_showsTheLabelsPicturesDotForDot_asAPNGOthersCanRead() throws {
        let fonts = try #require(UnicodeDocumentTests.fonts)
        let zpl = ZPLRenderer(fonts: fonts).render(CupsFixtures.label("Петров GmbH"))
        let preview = ZPLPreview.render(zpl, fonts: fonts)
        #expect(preview.width == 812 && preview.height == 1218)
        // The ship-to name's picture, where the printer puts it.
        let name = try #require(Self.pictures(zpl).first { $0.y == 200 })
        for y in 0..<name.bitmap.height {
            for x in 0..<750 where name.bitmap.isBlack(x: x, y: y) != preview.isBlack(x: 30 + x, y: 200 + y) {
                Issue.record("dot \(x), \(y) of the name differs")
                return
            }
        }
        // Rules, barcodes and the resident-font words are there too.
        #expect(preview.blackCount(columns: 0..<812) > name.bitmap.blackCount() + 20_000)
        #expect((0..<812).allSatisfy { preview.isBlack(x: $0, y: 151) }, "the rule under the sender")
        // Python's zlib reads the file back: its CRCs, its zlib stream and its pixels.
        let folder = try TemporaryDirectory()
        let path = folder.file("label.png")
        try Data(PNGImage.encode(preview)).write(to: URL(fileURLWithPath: path))
        let read = try ChildProcess.run(["python3", "-c", Self.pngReader, path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(read == "812 1218 \(preview.blackCount())")
    }

    /// Checks every chunk's CRC, inflates the image data and prints width, height and black pixels.
    static let pngReader = """
        import struct, sys, zlib
        data = open(sys.argv[1], "rb").read()
        assert data[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
        at, idat = 8, b""
        while at < len(data):
            length, kind = struct.unpack(">I4s", data[at:at + 8])
            body = data[at + 8:at + 8 + length]
            assert struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind + body), kind
            if kind == b"IHDR": width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if kind == b"IDAT": idat += body
            at += 12 + length
        assert (depth, colour) == (1, 0)
        raw = zlib.decompress(idat)
        stride = (width + 7) // 8 + 1
        black = 0
        for row in range(height):
            line = raw[row * stride:(row + 1) * stride]
            assert line[0] == 0
            for x in range(width):
                if not (line[1 + x // 8] >> (7 - x % 8)) & 1: black += 1
        print(width, height, black)
        """
}
