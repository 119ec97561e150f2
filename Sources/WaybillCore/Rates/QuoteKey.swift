/// What decides a quote's price: the key under which a station caches a quote.
public struct QuoteKey: Sendable, Hashable {
    public var service: String
    public var zone: Int
    public var billableLb: Int
    /// The rounded outer dimensions as the service bills them, e.g. `"12x10x8"`.
    public var dims: String
    /// Surcharge flags, e.g. `"residential"`, sorted and comma-separated.
    public var flags: String
    public var tableVersion: Int

    public init(service: String, zone: Int, billableLb: Int, dims: String, flags: String, tableVersion: Int) {
        self.service = service
        self.zone = zone
        self.billableLb = billableLb
        self.dims = dims
        self.flags = flags
        self.tableVersion = tableVersion
    }
}
