import Testing
import WaybillCore
import WaybillTestSupport

@Suite struct ZPLRendererTests {
    @Test func corpus_hasAtLeastAHundredHostileStrings() {
        #expect(HostileStrings.all.count >= 100)
    }

    @Test(arguments: ZPLRenderer.Resolution.allCases)
    func hostileText_neverChangesTheCommandSkeleton(_ resolution: ZPLRenderer.Resolution) {
        let renderer = ZPLRenderer(resolution: resolution)
        let baseline = ZPLRenderer.commandSkeleton(renderer.render(LabelFixtures.label()))
        #expect(baseline.first == "^XA" && baseline.last == "^XZ")
        for text in HostileStrings.all {
            let zpl = renderer.render(LabelFixtures.label(text))
            #expect(ZPLRenderer.commandSkeleton(zpl) == baseline, "text: \(text.prefix(40).debugDescription)")
            #expect(zpl.count < 4_000, "caps keep the label small: \(zpl.count) bytes")
        }
    }

    @Test func hostileText_fieldDataHoldsNoCaretTildeOrControlByte() {
        let renderer = ZPLRenderer()
        for text in HostileStrings.all {
            let zpl = String(decoding: renderer.render(LabelFixtures.label(text)), as: UTF8.self)
            for field in zpl.components(separatedBy: "^FD").dropFirst() {
                let data = field.components(separatedBy: "^FS")[0]
                #expect(!data.contains("^") && !data.contains("~"), "text: \(text.prefix(40).debugDescription)")
                #expect(data.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F })
            }
        }
    }

    @Test func label_selectsUTF8_sizesFor4x6_andEscapesEveryCustomerField() {
        let zpl = String(decoding: ZPLRenderer(resolution: .dpi203).render(LabelFixtures.label("Zoë^")), as: UTF8.self)
        #expect(zpl.contains("^CI28") && zpl.contains("^PW812") && zpl.contains("^LL1218"))
        #expect(zpl.contains("^FH_^FDZo_C3_AB_5E^FS"))
        #expect(zpl.contains("^BCN,220,Y,N,N^FD1Z999AA10123456784^FS"))
        let big = String(decoding: ZPLRenderer(resolution: .dpi300).render(LabelFixtures.label()), as: UTF8.self)
        #expect(big.contains("^PW1200") && big.contains("^LL1800"))
    }

    @Test func addressLines_wrapInAFieldBlock() {
        let zpl = String(decoding: ZPLRenderer().render(LabelFixtures.label()), as: UTF8.self)
        #expect(zpl.contains("^FB750,4,0,L,0^FH_^FD12 Analytical Row\\&Flat 3\\&London NW1 6XE\\&GB^FS"))
    }

    @Test func combiningMarks_areCappedToo() {
        let escaped = ZPLFieldText.escape("e" + String(repeating: "\u{301}", count: 10_000), maxCharacters: 10)
        #expect(escaped.count < 200)
    }

    @Test func barcodeIDs_acceptOnlyGeneratedAlphabet() {
        #expect(BarcodeID(rawValue: "BOX-12-A") != nil)
        for bad in ["", "a", "A^B", "A~B", "A>B", "A B", String(repeating: "A", count: 41)] {
            #expect(BarcodeID(rawValue: bad) == nil)
        }
    }
}
