/// A scale setting that cannot work, with what to change.
public struct ScaleError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
