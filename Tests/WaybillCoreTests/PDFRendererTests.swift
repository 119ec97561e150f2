import Testing
import WaybillTestSupport

@testable import WaybillCore

@Suite struct PDFRendererTests {
    @Test func text_escapesStringDelimitersAndReplacesWhatHelveticaCannotShow() {
        #expect(PDFText.escape(") Tj ET") == "\\) Tj ET")
        #expect(PDFText.escape("a\\b(c)") == "a\\\\b\\(c\\)")
        #expect(PDFText.escape("Zoë") == "Zo\\353")
        #expect(PDFText.escape("李\u{0}x") == "?x")
        #expect(PDFText.escape(String(repeating: "x", count: 100), maxCharacters: 5) == "xxxxx...")
    }

    @Test func hostileText_staysInsideItsString_andTheOperatorsNeverChange() throws {
        let baseline = try operators(PDFLabelRenderer.render(LabelFixtures.label()))
        // Empty text leaves address lines out (a layout choice, not an injection): compared separately.
        for text in HostileStrings.all where !text.isEmpty {
            let pdf = PDFLabelRenderer.render(LabelFixtures.label(text))
            #expect(pdf.allSatisfy { $0 < 0x80 } || pdf[9..<14].contains(0xE2), "binary only in the header comment")
            #expect(try operators(pdf) == baseline, "text: \(text.prefix(40).debugDescription)")
            try expectValidCrossReferences(pdf)
        }
    }

    @Test(arguments: [
        ("Ada Lovelace 12", "Ada Lovelace 12"),
        ("דוד כהן", "ןהכ דוד"),
        ("abc שלום 12", "abc 12 םולש"),
        ("מספר 12 רחוב", "בוחר 12 רפסמ"),
        ("Rue محمد 5", "Rue 5 دمحم"),
        ("\u{5D0}\u{5B8}\u{5D1}", "\u{5D1}\u{5D0}\u{5B8}"),
    ])
    func rightToLeftRuns_areDrawnInReadingOrder_marksStayingWithTheirLetters(text: String, drawn: String) {
        #expect(String(String.UnicodeScalarView(PDFText.visualOrder(text))) == drawn)
    }

    @Test func slip_paginatesItsLines() throws {
        let pdf = String(decoding: PDFLabelRenderer.render(LabelFixtures.slip(lines: 100)), as: UTF8.self)
        #expect(pdf.contains("/Count 3"))
        #expect(pdf.contains("PAGE 3 OF 3"))
        try expectValidCrossReferences(PDFLabelRenderer.render(LabelFixtures.slip(lines: 100)))
    }

    @Test func code128_symbolsAreElevenModules_withAnEvenBarCount() {
        for pattern in Code128.patterns {
            #expect(pattern.reduce(0, +) == 11)
            #expect((pattern[0] + pattern[2] + pattern[4]) % 2 == 0)
        }
        let id = BarcodeID(rawValue: "PJJ123C")!
        // start + 7 data + check = 9 symbols of 11 modules, then the 13-module stop.
        #expect(Code128.width(of: id) == 9 * 11 + 13)
        // Check symbol: (104 + 48*1 + 42*2 + 42*3 + 17*4 + 18*5 + 19*6 + 35*7) % 103 = 55.
        #expect(Array(Code128.modules(for: id)[48..<54]) == Code128.patterns[55])
    }

    /// The operators of every content stream, in order, with strings and numbers removed.
    private func operators(_ pdf: [UInt8]) throws -> [String] {
        var result: [String] = []
        let text = String(decoding: pdf.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        // Each content stream is `<< /Length N >>\nstream\n` and N bytes: read exactly those.
        for part in text.components(separatedBy: "<< /Length ").dropFirst() {
            let length = try #require(Int(part.prefix { $0.isNumber }))
            let start = try #require(part.range(of: ">>\nstream\n")).upperBound
            let content = String(part[start...].utf8.prefix(length))!
            var inString = false
            var escaped = false
            var word = ""
            for character in content {
                if inString {
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == ")" { inString = false }
                    continue
                }
                if character == "(" {
                    inString = true
                } else if character.isWhitespace {
                    if !word.isEmpty, word.first!.isLetter || word.first == "/" { result.append(word) }
                    word = ""
                } else {
                    word.append(character)
                }
            }
        }
        return result
    }

    /// Every xref entry points at its `N 0 obj`, and startxref at the table.
    private func expectValidCrossReferences(_ pdf: [UInt8]) throws {
        let text = String(decoding: pdf, as: UTF8.self)
        let tail = try #require(text.components(separatedBy: "startxref\n").last?.split(separator: "\n").first)
        let startxref = try #require(Int(tail))
        #expect(Array(pdf[startxref..<startxref + 4]) == Array("xref".utf8))
        let lines = String(decoding: pdf[startxref...], as: UTF8.self).split(separator: "\n")
        for (index, line) in lines.dropFirst(3).enumerated() where line.hasSuffix(" n ") {
            let offset = try #require(Int(line.prefix(10)))
            let header = String(decoding: pdf[offset..<min(offset + 12, pdf.count)], as: UTF8.self)
            #expect(header.hasPrefix("\(index + 1) 0 obj"))
        }
    }
}
