import WaybillCore
import WaybillStore

/// What the scanner does with one key of an entity's data: which of an order's required fields it
/// is, where the store indexes it, and the type the contract gives it in an order.
struct DataKeyRule {
    /// Its position in ``JSONKey/requiredOrderFields`` (an order's data only).
    var required: Int?
    /// Its position in ``IndexedFields/keys``.
    var indexed: Int?
    var type = OrderFieldType.other

    /// The type an order's field must have (``CentralAPI/OrderData``).
    enum OrderFieldType {
        /// The order's own `id`, which must be the change's.
        case id
        case lines, shipTo, zones, flag, wholeNumber, string, optionalString, other
    }
}

/// The keys of one kind of entity data the scanner knows, in the order the central API writes them
/// (canonical JSON: sorted), with their rules; built once from the contract's lists.
struct DataKeys {
    let table: JSONKeyTable
    let rules: [DataKeyRule]

    /// An order's keys (`order`), or those of a stock or a label (the indexed ones only).
    init(order: Bool) {
        var keys = IndexedFields.keys
        if order {
            for key in JSONKey.requiredOrderFields + JSONKey.orderStrings + JSONKey.orderOptionalStrings
            where !keys.contains(where: { $0.isSameText(as: key) }) {
                keys.append(key)
            }
        }
        table = JSONKeyTable(sorting: keys)
        rules = table.keys.map { key in
            var rule = DataKeyRule(indexed: IndexedFields.keys.firstIndex { $0.isSameText(as: key) })
            guard order else { return rule }
            rule.required = JSONKey.requiredOrderFields.firstIndex { $0.isSameText(as: key) }
            let types: [(StaticString, DataKeyRule.OrderFieldType)] = [
                ("id", .id), ("lines", .lines), ("ship_to", .shipTo), ("zones", .zones), ("residential", .flag), ("content_version", .wholeNumber),
            ]
            if let type = types.first(where: { $0.0.isSameText(as: key) }) {
                rule.type = type.1
            } else if JSONKey.orderStrings.contains(where: { $0.isSameText(as: key) }) {
                rule.type = .string
            } else if JSONKey.orderOptionalStrings.contains(where: { $0.isSameText(as: key) }) {
                rule.type = .optionalString
            }
            return rule
        }
    }
}
