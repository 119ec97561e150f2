extension CentralAPI {
    /// The payload of a `stock_delta` operation: units of a SKU taken from (negative) or put back at
    /// (positive) a location. Deltas never conflict.
    public struct StockDeltaPayload: OperationPayload {
        public var sku: String
        public var location: String
        public var delta: Int

        public init(sku: String, location: String, delta: Int) {
            self.sku = sku
            self.location = location
            self.delta = delta
        }
    }
}
