import Foundation
import Testing
import WaybillCore

/// A rate table from the central system is checked before a station keeps it: one that decodes yet
/// would divide by zero in every quote, price a parcel below nothing, or name zones no order has is
/// quarantined with its reason, not handed to the planner.
@Suite struct RateTableValidationTests {
    /// packing-bench's rates.json, the table the reference hub serves.
    static let ratesJSON = try! Data(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/packing-bench/rates.json")
    )

    /// A fresh copy of the table to change.
    static var rates: [String: Any] { try! JSONSerialization.jsonObject(with: ratesJSON) as! [String: Any] }

    /// The problem of the table with `change` made to its first service.
    private func problem(_ change: (inout [String: Any]) -> Void) throws -> String? {
        var table = Self.rates
        var services = table["services"] as! [[String: Any]]
        change(&services[0])
        table["services"] = services
        return CentralValidation.problem(entity: "rate_table", data: try JSONSerialization.data(withJSONObject: table))
    }

    @Test func theReferenceTable_passes() throws {
        #expect(try problem { _ in } == nil)
    }

    @Test(arguments: [
        ("dim_divisor", 0.0, "dim_divisor 0.0 is outside"),
        ("dim_divisor", -139.0, "dim_divisor -139.0 is outside"),
        ("residential_fee", -5.0, "residential_fee -5.0 is outside"),
        ("fuel_pct", 15.5, "fuel_pct 15.5 is outside"),
        ("max_weight_lb", 0.0, "max_weight_lb 0.0 is outside"),
        ("curvature", 40.0, "curvature 40.0 is outside"),
    ])
    func aNumberOutOfRange_isRefused(field: String, value: Double, reason: String) throws {
        let found = try problem { $0[field] = value }
        #expect(found?.contains(reason) == true, "\(field): \(found ?? "accepted")")
        #expect(found?.hasPrefix("service SIM_GROUND: ") == true)
    }

    @Test func zonesAndTheTablesShape_areChecked() throws {
        let zone = try problem { service in
            var base = service["base"] as! [String: Double]
            base["9"] = 12
            service["base"] = base
        }
        #expect(zone?.contains("base names zone \"9\"; zones are 2, 3, 4, 5, 6, 7, 8") == true, "\(zone ?? "accepted")")
        // A zone without a price would be priced at nothing: the cheapest service by mistake.
        let missing = try problem { service in
            var perLb = service["per_lb"] as! [String: Double]
            perLb["5"] = nil
            service["per_lb"] = perLb
        }
        #expect(missing?.contains("per_lb has no price for zone 5") == true, "\(missing ?? "accepted")")
        let padded = try problem { service in
            var base = service["base"] as! [String: Double]
            base["03"] = base.removeValue(forKey: "3")
            service["base"] = base
        }
        #expect(padded?.contains("base names zone \"03\"") == true, "\(padded ?? "accepted")")
        let shape = try problem { service in
            var table = service["table"] as! [String: Any]
            table["rates"] = (table["rates"] as! [[Double]]).dropLast().map { $0 }
            service["table"] = table
        }
        #expect(shape?.contains("one row per weight") == true, "\(shape ?? "accepted")")
        let negative = try problem { service in
            var table = service["table"] as! [String: Any]
            var rows = table["rates"] as! [[Double]]
            rows[0][0] = -1
            table["rates"] = rows
            service["table"] = table
        }
        #expect(negative?.contains("a table price -1.0 is outside") == true, "\(negative ?? "accepted")")
    }

    @Test func aTableWithoutServicesOrWithOneTwice_isRefused() throws {
        let empty = CentralValidation.problem(entity: "rate_table", data: Data(#"{"services":[]}"#.utf8))
        #expect(empty == "it has no services")
        var table = Self.rates
        let services = table["services"] as! [[String: Any]]
        table["services"] = [services[0], services[0]]
        let twice = CentralValidation.problem(entity: "rate_table", data: try JSONSerialization.data(withJSONObject: table))
        #expect(twice == "service SIM_GROUND is listed twice")
    }
}
