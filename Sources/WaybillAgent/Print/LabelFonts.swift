import Foundation
import WaybillCore

/// The Unicode fonts slips and PDF labels embed: DejaVu Sans and DejaVu Sans Bold, which Debian
/// ships as `fonts-dejavu-core` (the package depends on it), found without configuration.
enum LabelFonts {
    /// Where Debian installs them.
    static let folder = "/usr/share/fonts/truetype/dejavu"

    /// Read once, at the first document; nil when the files are missing or unreadable: documents
    /// then fall back to Helvetica, which shows Latin-1 only (`waybill doctor` says so).
    static let shared: PDFFonts? = try? load()

    /// Reads the two faces from `folder`.
    /// - Throws: why they cannot be used (a missing file, or one that is not a TrueType font).
    static func load(from folder: String = folder) throws -> PDFFonts {
        func face(_ name: String) throws -> TrueTypeFont {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw FontError("\(path) cannot be read")
            }
            return try TrueTypeFont(bytes: Array(data))
        }
        return PDFFonts(regular: try face("DejaVuSans.ttf"), bold: try face("DejaVuSans-Bold.ttf"))
    }
}
