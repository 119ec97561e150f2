import Foundation
import Testing
import WaybillCore
import WaybillHub
import WaybillHubStore
import WaybillStore
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
        "EmptyPayload": roundTrip(CentralAPI.EmptyPayload.self),
        "Shipment": roundTrip(Shipment.self),
        "PlannedBox": roundTrip(PlannedBox.self),
        "Placement": roundTrip(PackingSolution.Placement.self),
        "LabelRequestPayload": roundTrip(CentralAPI.LabelRequestPayload.self),
        "PrintedPayload": roundTrip(CentralAPI.PrintedPayload.self),
        "ReprintPayload": roundTrip(CentralAPI.ReprintPayload.self),
        "VoidLabelPayload": roundTrip(CentralAPI.VoidLabelPayload.self),
        "StockDeltaPayload": roundTrip(CentralAPI.StockDeltaPayload.self),
        "ResolveConflictPayload": roundTrip(CentralAPI.ResolveConflictPayload.self),
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

    /// Every operation type is in the schema's `type` enum, and its payload type has a schema that the
    /// `payload` field's description names for it.
    @Test func everyOperationType_namesItsPayloadSchema() throws {
        let schemas = try Self.schemas()
        let operation = try #require(schemas["Operation"]?["properties"] as? [String: [String: Any]])
        let types = try #require(operation["type"]?["enum"] as? [String])
        #expect(Set(types) == Set(OperationKind.allCases.map(\.rawValue)))
        let description = try #require(operation["payload"]?["description"] as? String)
        for kind in OperationKind.allCases {
            let name = String(describing: kind.payloadType)
            #expect(schemas[name] != nil, "\(kind.rawValue)'s payload \(name) has no schema")
            #expect(Self.types[name] != nil, "\(name) is not round-tripped")
            #expect(
                description.contains(kind.rawValue) && description.contains(name),
                "the payload's description does not give \(kind.rawValue) a \(name)"
            )
        }
    }

    /// The field lists the feed's scanner checks orders against are the schema's: required fields,
    /// strings, and strings that may be null; the same for an address and a change's envelope.
    @Test func theScannersFieldLists_areTheSchemas() throws {
        let schemas = try Self.schemas()
        func names(_ list: [StaticString]) -> Set<String> { Set(list.map { "\($0)" }) }
        func fields(_ name: String, typed type: Any? = nil) throws -> Set<String> {
            let properties = try #require(schemas[name]?["properties"] as? [String: [String: Any]])
            guard let type else { return Set(properties.keys) }
            let wanted = try Self.canonical(type)
            return Set(try properties.filter { try $0.value["type"].map(Self.canonical) == wanted }.keys)
        }
        func required(_ name: String) throws -> Set<String> { Set(try #require(schemas[name]?["required"] as? [String])) }

        #expect(names(CentralAPI.OrderData.requiredFields) == (try required("Order")))
        #expect(names(CentralAPI.OrderData.stringFields) == (try fields("Order", typed: "string")))
        #expect(names(CentralAPI.OrderData.optionalStringFields) == (try fields("Order", typed: ["string", "null"])))
        #expect(names(CentralAPI.Address.requiredFields) == (try required("Address")))
        #expect(names(CentralAPI.Address.requiredFields) == (try fields("Address", typed: "string")))
        #expect(names(CentralAPI.Address.optionalFields) == (try fields("Address", typed: ["string", "null"])))
        #expect(names(CentralAPI.Address.requiredFields).union(names(CentralAPI.Address.optionalFields)) == (try fields("Address")))
        #expect(names(CentralAPI.Change.fields) == (try fields("Change")))
        // Each column the store indexes is a field of an entity the feed carries.
        let entityFields = try fields("Order").union(try fields("Stock")).union(try fields("Label"))
        #expect(
            Set(IndexedFields.names).isSubset(of: entityFields),
            "indexed but in no schema: \(Set(IndexedFields.names).subtracting(entityFields))"
        )
    }
}
