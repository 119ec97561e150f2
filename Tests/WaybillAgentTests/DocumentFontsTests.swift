import Testing
import WaybillTestSupport

@testable import WaybillAgent

/// `waybill doctor` says whether slips can show every customer's name.
@Suite struct DocumentFontsTests {
    @Test func doctor_findsDejaVu_andSaysWhatHappensWithoutIt() throws {
        let found = DoctorCheck.documentFonts()
        #expect(found.ok, "\(found.detail)")
        #expect(found.detail.contains("DejaVuSans-Bold"))
        #expect(found.detail.contains("DroidSansFallback") && found.detail.contains("NanumGothic"), "\(found.detail)")
        let folder = try TemporaryDirectory()
        let missing = DoctorCheck.documentFonts(from: folder.path)
        #expect(!missing.ok)
        #expect(missing.detail.contains("fonts-dejavu-core") && missing.detail.contains("Helvetica"), "\(missing.detail)")
    }
}
