import Testing
import WaybillCore

/// A carrier label's document is checked before the station keeps it: ZPL as carriers send it
/// passes, text that is not a ZPL program does not.
@Suite struct CarrierLabelDocumentTests {
    @Test(arguments: [
        "^XA^FO50,50^FDhello^FS^XZ",
        "\r\n  ^XA^XZ",
        // A logo downloaded before the format, and a tear-off adjustment.
        "~DGR:LOGO.GRF,00080,004,FFFF00FF00FFFFFF00FF00FFFF\n^XA^FO0,0^XGR:LOGO.GRF,1,1^FS^XZ",
        "~TA000~JSN^XA^XZ",
    ])
    func aZPLProgram_passes(_ text: String) {
        #expect(CarrierLabelDocument.isZPL(text))
    }

    @Test(arguments: ["", "hello", "%PDF-1.7", "XA^XZ", "~DGR:LOGO.GRF,00080,004,FFFF", "<html>^XA"])
    func textThatIsNotAZPLProgram_isRefused(_ text: String) {
        #expect(!CarrierLabelDocument.isZPL(text))
    }
}
