import WaybillCore

/// One change of the central feed, as the pull engine hands it over: the envelope decoded, the
/// entity's `data` kept as the JSON text it arrived as, and the few fields the store indexes.
public struct PulledChange: Sendable, Hashable {
    public let entity: String
    public let id: String
    public let version: Int
    public let op: String
    /// The entity's `data` as the JSON text it arrived as (nil for a delete).
    public let dataText: JSONText?
    /// ``dataText`` as a string.
    public var data: String? { dataText?.string }
    /// Top-level scalar fields of `data` the store needs as columns (orders, stock, labels), read
    /// while the page was parsed so SQLite need not parse the JSON again.
    public let fields: IndexedFields
    /// For an order: the digest of its lines (``OrderLinesDigest``), read while the page was parsed.
    public let linesDigest: Int64?
    /// ``linesDigest``, or the digest of no lines when the change has none.
    var linesDigestOrEmpty: Int64 { linesDigest ?? OrderLinesDigest().storedValue }
    /// Why this change must not enter the replica (its data is not valid JSON, breaks a limit or
    /// the contract); the store quarantines it with this reason and the rest of its batch applies.
    public let problem: String?

    public init(
        entity: String,
        id: String,
        version: Int,
        op: String,
        data: String?,
        fields: IndexedFields = .init(),
        linesDigest: Int64? = nil,
        problem: String? = nil
    ) {
        self.init(
            entity: entity,
            id: id,
            version: version,
            op: op,
            dataText: data.map(JSONText.init),
            fields: fields,
            linesDigest: linesDigest,
            problem: problem
        )
    }

    /// A change whose data is kept as the bytes it arrived as.
    public init(
        entity: String,
        id: String,
        version: Int,
        op: String,
        dataText: JSONText?,
        fields: IndexedFields = .init(),
        linesDigest: Int64? = nil,
        problem: String? = nil
    ) {
        self.entity = entity
        self.id = id
        self.version = version
        self.op = op
        self.dataText = dataText
        self.fields = fields
        self.linesDigest = linesDigest
        self.problem = problem
    }
}

/// The top-level scalar fields of a change's `data` that the store keeps in columns, as text (a
/// number as its digits). A field absent or `null` in the data is `nil`.
public struct IndexedFields: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The JSON keys read, in the order of ``subscript(position:)``.
    public static let keys: [StaticString] = ["state", "station_id", "claimed_by", "content_version", "sku", "location", "quantity", "order_id"]
    /// ``keys`` as strings.
    public static let names = keys.map { "\($0)" }

    public var state: String?
    public var stationID: String?
    public var claimedBy: String?
    public var contentVersion: String?
    public var sku: String?
    public var location: String?
    public var quantity: String?
    public var orderID: String?

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements { self[key] = value }
    }

    /// The field named `key` (one of ``keys``; any other name reads `nil` and is not stored).
    public subscript(key: String) -> String? {
        get { Self.names.firstIndex(of: key).flatMap { self[position: $0] } }
        set { if let index = Self.names.firstIndex(of: key) { self[position: index] = newValue } }
    }

    /// The field at `index` of ``keys``.
    public subscript(position index: Int) -> String? {
        get {
            switch index {
            case 0: state
            case 1: stationID
            case 2: claimedBy
            case 3: contentVersion
            case 4: sku
            case 5: location
            case 6: quantity
            default: orderID
            }
        }
        set {
            switch index {
            case 0: state = newValue
            case 1: stationID = newValue
            case 2: claimedBy = newValue
            case 3: contentVersion = newValue
            case 4: sku = newValue
            case 5: location = newValue
            case 6: quantity = newValue
            default: orderID = newValue
            }
        }
    }
}
