/// A font file that cannot be used: what is wrong with it.
public struct FontError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = "not a usable TrueType font: \(description); install (or reinstall) fonts-dejavu-core"
    }
}
