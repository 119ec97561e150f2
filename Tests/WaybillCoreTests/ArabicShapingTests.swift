import Testing
import WaybillCore

@Suite struct ArabicShapingTests {
    static func codes(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    @Test func lettersTakeTheirInitialMedialAndFinalForms() {
        // م ح م د: meem initial, hah medial, meem medial, dal (joins only to its right) final.
        #expect(Self.codes(ArabicShaping.shape("محمد")) == [0xFEE3, 0xFEA4, 0xFEE4, 0xFEAA])
        // A space breaks the join; dal and alef do not join the letter after them.
        #expect(Self.codes(ArabicShaping.shape("د ب")) == [0xFEA9, 0x20, 0xFE8F])
        #expect(Self.codes(ArabicShaping.shape("داب")) == [0xFEA9, 0xFE8D, 0xFE8F])
        // Hamza joins nothing; yeh's last form is the last in the block (U+FEF4).
        #expect(Self.codes(ArabicShaping.shape("بءي")) == [0xFE8F, 0xFE80, 0xFEF1])
        #expect(Self.codes(ArabicShaping.shape("ببي")) == [0xFE91, 0xFE92, 0xFEF2])
        #expect(Self.codes(ArabicShaping.shape("ييي")) == [0xFEF3, 0xFEF4, 0xFEF2])
    }

    @Test func lamAndAlef_becomeTheirLigature_finalAfterAJoiningLetter() {
        #expect(Self.codes(ArabicShaping.shape("لا")) == [0xFEFB])
        #expect(Self.codes(ArabicShaping.shape("سلا")) == [0xFEB3, 0xFEFC])
        #expect(Self.codes(ArabicShaping.shape("لإ")) == [0xFEF9])
    }

    @Test func marksDoNotBreakAJoin() {
        // ب with a fatha (U+064E) still joins the ت after it.
        #expect(Self.codes(ArabicShaping.shape("بَت")) == [0xFE91, 0x64E, 0xFE96])
    }

    @Test func everyShapedForm_readsBackAsTheLettersItStandsFor() {
        for text in ["محمد علي", "السلام عليكم", "فاطمة الزهراء 12", "لا إله إلا الله", "Ada", "ـبـ", "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"] {
            let shaped = ArabicShaping.shape(text)
            #expect(String(String.UnicodeScalarView(shaped.unicodeScalars.flatMap(ArabicShaping.source))) == text)
        }
        #expect(ArabicShaping.shape("Петров") == "Петров")
    }

    @Test func aFormNoFontHas_leavesThePlainLetter() {
        #expect(ArabicShaping.shape("محمد") { _ in false } == "محمد")
        #expect(Self.codes(ArabicShaping.shape("لا") { $0.value != 0xFEFB }) == [0xFEDF, 0xFE8E], "no ligature: lam and alef joined")
    }
}
