import Foundation
import Testing
import WaybillCore
import WaybillHub
import WaybillHubStore
import Yams

/// One description of the central contract: every object schema of `openapi.yaml` has a Swift type
/// (or says why not) and an example; each example decodes with its type and encodes back to itself;
/// and the type and the schema name the same fields. A field added on one side only fails here.
@Suite struct ContractSchemaTests {
    /// Each schema's Swift type, as a JSON → type → JSON round trip, and the type's stored fields.
    static let types: [String: @Sendable (Data) throws -> (json: Data, fields: Int)] = [
        "Error": roundTrip(CentralAPI.ErrorBody.self),
        "TokenRequest": roundTrip(CentralAPI.TokenRequest.self),
        "RefreshRequest": roundTrip(CentralAPI.RefreshRequest.self),
        "TokenResponse": roundTrip(CentralAPI.TokenResponse.self),
        "Change": roundTrip(CentralAPI.Change.self),
        "ChangesPage": roundTrip(CentralAPI.ChangesPage.self),
        "Operation": roundTrip(CentralAPI.Operation.self),
        "VerifyPayload": roundTrip(CentralAPI.VerifyPayload.self),
        "WeighPayload": roundTrip(CentralAPI.WeighPayload.self),
        "OperationBatch": roundTrip(CentralAPI.OperationBatch.self),
        "OperationResult": roundTrip(CentralAPI.OperationResult.self),
        "OperationBatchResult": roundTrip(CentralAPI.OperationBatchResult.self),
        "Address": roundTrip(CentralAPI.Address.self),
        "Line": roundTrip(CentralAPI.Line.self),
        "SKU": roundTrip(CentralAPI.SKUData.self),
        "SKUBarcode": roundTrip(CentralAPI.SKUBarcode.self),
        "Order": roundTrip(CentralAPI.OrderData.self),
        "Stock": roundTrip(CentralAPI.StockData.self),
        "Box": roundTrip(CentralAPI.BoxData.self),
        "Rules": roundTrip(CentralAPI.RulesData.self),
        "LabelPurchase": roundTrip(CentralAPI.LabelPurchase.self),
        "Label": roundTrip(CentralAPI.LabelData.self),
        "RateRequest": roundTrip(CentralAPI.RateRequest.self),
        "Quote": roundTrip(RateQuote.self),
        "Delivery": roundTrip(Delivery.self),
        "LedgerEntry": roundTrip(LedgerEntry.self),
    ]

    /// Schemas no Swift type stands for, and why.
    static let untyped: [String: String] = [
        "Identifier": "a string pattern; CentralIdentifier checks it (CentralIdentifierTests)"
    ]

    static func roundTrip<T: Codable & SendableMetatype>(_: T.Type) -> @Sendable (Data) throws -> (json: Data, fields: Int) {
        { data in
            let value = try JSONDecoder().decode(T.self, from: data)
            return (try JSONEncoder().encode(value), Mirror(reflecting: value).children.count)
        }
    }

    static func schemas() throws -> [String: [String: Any]] {
        let document = try #require(try Yams.load(yaml: try HubServer.openAPIDocument()) as? [String: Any])
        let components = try #require(document["components"] as? [String: Any])
        return try #require(components["schemas"] as? [String: [String: Any]])
    }

    /// JSON text with sorted keys, so that two documents with the same content compare equal.
    static func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    @Test func everySchema_hasAType_orSaysWhyNot() throws {
        #expect(Set(try Self.schemas().keys) == Set(Self.types.keys).union(Self.untyped.keys))
    }

    @Test(arguments: types.keys.sorted())
    func theExamples_roundTripThroughTheType_andTypeAndSchemaNameTheSameFields(_ name: String) throws {
        let schema = try #require(try Self.schemas()[name], "no schema \(name)")
        let roundTrip = try #require(Self.types[name])
        let examples = try #require(schema["examples"] as? [Any], "\(name) has no examples")
        #expect(!examples.isEmpty)
        let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
        let required = Set(schema["required"] as? [String] ?? [])
        #expect(required.isSubset(of: properties), "\(name) requires fields it does not describe: \(required.subtracting(properties))")
        for (index, example) in examples.enumerated() {
            let json = try JSONSerialization.data(withJSONObject: example)
            let (encoded, fields) = try roundTrip(json)
            let back = try JSONSerialization.jsonObject(with: encoded)
            #expect(try Self.canonical(back) == Self.canonical(example), "\(name) example \(index) does not survive its type")
            let keys = Set((back as? [String: Any] ?? [:]).keys)
            #expect(required.isSubset(of: keys), "\(name): the type does not encode \(required.subtracting(keys))")
            if index == 0 {
                // The first example names every field: the type and the schema have the same ones.
                #expect(
                    keys == properties,
                    "\(name): only in the type \(keys.subtracting(properties)), only in the schema \(properties.subtracting(keys))"
                )
                #expect(fields == properties.count, "\(name): the type stores \(fields) fields, the schema describes \(properties.count)")
            }
        }
    }
}
