// The field names a hand-written reader checks a central document against, given beside the types
// so that the reader takes them from the contract rather than from a copy. `ContractSchemaTests`
// ties each list to `openapi.yaml`, and the types to the same schema.

extension CentralAPI.OrderData {
    /// The fields every order names: the schema's `required`.
    public static let requiredFields: [StaticString] = [
        "id", "state", "warehouse", "reference", "service_level", "residential", "ship_to", "lines", "zones", "content_version",
    ]
    /// The fields that are strings.
    public static let stringFields: [StaticString] = ["id", "state", "warehouse", "reference", "service_level"]
    /// The fields that are a string or null.
    public static let optionalStringFields: [StaticString] = ["station_id", "claimed_by"]
}

extension CentralAPI.Address {
    /// The fields every address names, each a string: the schema's `required`.
    public static let requiredFields: [StaticString] = ["name", "street1", "city", "region", "postal_code", "country"]
    /// The fields that may be a string or null.
    public static let optionalFields: [StaticString] = ["company", "street2", "phone"]
}

extension CentralAPI.Change {
    /// The fields of a change's envelope, each named once.
    public static let fields: [StaticString] = ["entity", "id", "version", "op", "data"]
}
