import Foundation
import Synchronization
public import WaybillCore

/// The Unicode fonts slips and PDF labels embed, and ZPL labels draw their customer text from (as
/// graphic fields): DejaVu Sans and DejaVu Sans Bold, which Debian ships as `fonts-dejavu-core`
/// (the package depends on it), found without configuration.
public enum LabelFonts {
    /// Where Debian installs them.
    static let folder = "/usr/share/fonts/truetype/dejavu"

    /// The fonts, read at the first document that needs them and kept; nil while the files are
    /// missing or unreadable: documents then fall back to Helvetica and ZPL labels to the printer's
    /// resident font, which show Latin-1 only (`waybill doctor` says so), and the next document
    /// looks again (fonts installed while the agent runs are used without a restart).
    public static var shared: UnicodeFonts? {
        loaded.withLock { fonts in
            if fonts == nil { fonts = try? load() }
            return fonts
        }
    }

    private static let loaded = Mutex<UnicodeFonts?>(nil)

    /// Reads the two faces from `folder`.
    /// - Throws: why they cannot be used (a missing file, or one that is not a TrueType font).
    static func load(from folder: String = folder) throws -> UnicodeFonts {
        func face(_ name: String) throws -> TrueTypeFont {
            let path = folder + "/" + name
            guard let data = mapped(path) else { throw FontError("\(path) cannot be read") }
            return try TrueTypeFont(data: data)
        }
        // For the scripts DejaVu Sans lacks, when their Debian packages are installed (the .deb
        // recommends them): Chinese and Japanese, Korean, Devanagari.
        let fallbacks = fallbackFiles.compactMap { path in mapped(path).flatMap { try? TrueTypeFont(data: $0) } }
        return UnicodeFonts(regular: try face("DejaVuSans.ttf"), bold: try face("DejaVuSans-Bold.ttf"), fallbacks: fallbacks)
    }

    /// The file at `path`, mapped: the fonts (a few MB) stay in the page cache, shared and
    /// reclaimable, not copied into the agent's memory.
    private static func mapped(_ path: String) -> Data? {
        try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    }

    /// Fonts for characters DejaVu Sans has no glyph for, tried in order (`fonts-droid-fallback`,
    /// `fonts-nanum`, `fonts-noto-core`).
    static let fallbackFiles = [
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
        "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
    ]
}
