/// Arabic letters joined as they are written: each letter takes its isolated, final, initial or
/// medial form from its neighbours, and lam followed by alef becomes their ligature. Fonts without
/// a shaping engine draw these forms from Unicode's Arabic Presentation Forms-B (U+FE70–U+FEFF),
/// which DejaVu Sans has; without this, a name such as "محمد" prints as separate letters.
///
/// Works in logical order (before ``PDFText/visualOrder(_:)``); marks between letters do not break
/// a join. ``source(of:)`` gives back the letters a form stands for (the PDF's ToUnicode map uses it,
/// so a shaped name is still searched and copied as it was written).
public enum ArabicShaping {
    /// Each letter and its forms: isolated, final, and for letters that join on both sides initial
    /// and medial, in the order Presentation Forms-B lists them from U+FE80.
    private static let letters: [(letter: UInt32, forms: Int)] = [
        (0x621, 1), (0x622, 2), (0x623, 2), (0x624, 2), (0x625, 2), (0x626, 4), (0x627, 2), (0x628, 4), (0x629, 2), (0x62A, 4),
        (0x62B, 4), (0x62C, 4), (0x62D, 4), (0x62E, 4), (0x62F, 2), (0x630, 2), (0x631, 2), (0x632, 2), (0x633, 4), (0x634, 4),
        (0x635, 4), (0x636, 4), (0x637, 4), (0x638, 4), (0x639, 4), (0x63A, 4), (0x641, 4), (0x642, 4), (0x643, 4), (0x644, 4),
        (0x645, 4), (0x646, 4), (0x647, 4), (0x648, 2), (0x649, 2), (0x64A, 4),
    ]

    /// A letter's first form (its isolated one) and how many it has.
    static let forms: [UInt32: (first: UInt32, count: Int)] = {
        var table: [UInt32: (first: UInt32, count: Int)] = [:]
        var next: UInt32 = 0xFE80
        for (letter, count) in letters {
            table[letter] = (next, count)
            next += UInt32(count)
        }
        return table
    }()

    /// Lam with each alef: the ligature's isolated form (its final form follows it).
    private static let lamAlef: [UInt32: UInt32] = [0x622: 0xFEF5, 0x623: 0xFEF7, 0x625: 0xFEF9, 0x627: 0xFEFB]
    private static let lam: UInt32 = 0x644
    /// Tatweel, the joining stroke: joins on both sides and has no forms.
    private static let tatweel: UInt32 = 0x640

    /// What each form stands for.
    private static let sources: [UInt32: [Unicode.Scalar]] = {
        var table: [UInt32: [Unicode.Scalar]] = [:]
        for (letter, (first, count)) in forms {
            for offset in 0..<UInt32(count) { table[first + offset] = [Unicode.Scalar(letter)!] }
        }
        for (alef, ligature) in lamAlef {
            table[ligature] = [Unicode.Scalar(lam)!, Unicode.Scalar(alef)!]
            table[ligature + 1] = table[ligature]
        }
        return table
    }()

    /// `text` with its Arabic letters in their joined forms, where `drawable` says a font has the
    /// form (a letter keeps its plain form otherwise).
    public static func shape(_ text: String, drawable: (Unicode.Scalar) -> Bool = { _ in true }) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { forms[$0.value] != nil }) else { return text }
        var shaped = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard let letter = forms[scalar.value] else {
                shaped.append(scalar)
                index += 1
                continue
            }
            let before = neighbour(of: index, step: -1, in: scalars)
            let after = neighbour(of: index, step: 1, in: scalars)
            let joinsBefore = before.map(joinsOnItsLeft) ?? false
            if scalar.value == lam, index + 1 < scalars.count, let ligature = lamAlef[scalars[index + 1].value],
                let form = Unicode.Scalar(ligature + (joinsBefore ? 1 : 0)), drawable(form)
            {
                shaped.append(form)
                index += 2
                continue
            }
            let dual = letter.count == 4
            let joinsAfter = dual && (after.map { forms[$0.value].map { $0.count > 1 } ?? ($0.value == tatweel) } ?? false)
            let offset: UInt32 =
                switch (joinsBefore && letter.count > 1, joinsAfter) {
                case (true, true): 3
                case (false, true): 2
                case (true, false): 1
                case (false, false): 0
                }
            if let form = Unicode.Scalar(letter.first + offset), drawable(form) {
                shaped.append(form)
            } else {
                shaped.append(scalar)
            }
            index += 1
        }
        return String(shaped)
    }

    /// The letters `scalar` stands for: one letter for a joined form, lam and alef for their
    /// ligature, `scalar` itself for anything else.
    public static func source(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        sources[scalar.value] ?? [scalar]
    }

    /// The nearest character before or after `index` that is not a mark (marks sit on a letter
    /// and do not break its joins).
    private static func neighbour(of index: Int, step: Int, in scalars: [Unicode.Scalar]) -> Unicode.Scalar? {
        var index = index + step
        while scalars.indices.contains(index) {
            let scalar = scalars[index]
            guard scalar.properties.generalCategory == .nonspacingMark else { return scalar }
            index += step
        }
        return nil
    }

    /// Whether `scalar` joins the letter after it (a letter with initial and medial forms, or tatweel).
    private static func joinsOnItsLeft(_ scalar: Unicode.Scalar) -> Bool {
        forms[scalar.value]?.count == 4 || scalar.value == tatweel
    }
}
