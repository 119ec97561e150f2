import GRDB

extension WaybillStore {
    /// Every code that names a SKU of the replica's catalog: its id and each of its barcodes, to the
    /// SKU's id (a storefront's line items name variants by SKU or barcode).
    public func skuCodes() throws -> [String: String] {
        try read("list the SKU codes") { db in
            var codes: [String: String] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, b.value ->> '$.code' AS code FROM skus s
                    LEFT JOIN json_each(s.data, '$.barcodes') b
                    """
            ) {
                let id: String = row["id"]
                codes[id] = id
                if let code = row["code"] as String?, codes[code] == nil { codes[code] = id }
            }
            return codes
        }
    }
}

extension WaybillStore {
    /// The warehouse locations the catalog's stock is held at.
    public func stockLocations() throws -> [String] {
        try read("list the stock locations") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT location FROM stock ORDER BY location")
        }
    }
}
