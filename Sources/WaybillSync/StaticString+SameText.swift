extension StaticString {
    /// Whether two literals spell the same text (the contract's key lists name keys as literals).
    func isSameText(as other: StaticString) -> Bool {
        withUTF8Buffer { mine in other.withUTF8Buffer { theirs in mine.elementsEqual(theirs) } }
    }

    /// Whether the literal spells `text`.
    func isSameText(as text: String) -> Bool {
        withUTF8Buffer { mine in mine.elementsEqual(text.utf8) }
    }
}
