/// A postal address as printed on a label. Every field is customer (or shipper) text: renderers escape
/// and cap it, never trust it.
public struct LabelAddress: Sendable, Hashable, Codable {
    public var name: String
    public var lines: [String]
    public var city: String
    public var region: String
    public var postalCode: String
    public var country: String

    public init(name: String, lines: [String], city: String, region: String = "", postalCode: String, country: String) {
        self.name = name
        self.lines = lines
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }

    /// The lines under the name: street lines, then "city region postal code", then the country.
    public var printedLines: [String] {
        let place = [city, region, postalCode].filter { !$0.isEmpty }.joined(separator: " ")
        return (lines + [place, country]).filter { !$0.isEmpty }
    }
}
