/// Code 128 (code set B) bar patterns for a ``BarcodeID``, for renderers that draw bars themselves (PDF).
/// ZPL printers encode `^BC` fields on their own.
public enum Code128 {
    /// Module widths, alternating bar and space and starting with a bar: start B, the data, the
    /// modulo-103 check symbol, stop. The quiet zones either side are the caller's (10 modules each).
    public static func modules(for id: BarcodeID) -> [Int] {
        let values = id.rawValue.utf8.map { Int($0) - 32 }
        var checksum = startB
        for (position, value) in values.enumerated() {
            checksum += value * (position + 1)
        }
        let symbols = [startB] + values + [checksum % 103]
        return symbols.flatMap { patterns[$0] } + stop
    }

    /// The total width in modules of ``modules(for:)``.
    public static func width(of id: BarcodeID) -> Int { modules(for: id).reduce(0, +) }

    static let startB = 104
    static let stop = [2, 3, 3, 1, 1, 1, 2]

    /// Symbols 0-105 (each three bars and three spaces, 11 modules).
    static let patterns: [[Int]] = [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232",
    ].map { $0.utf8.map { Int($0) - 48 } }
}
