import Foundation
import Testing
import WaybillCore

@Suite struct RateModelTests {
    /// The ground service of packing-bench's rates.json, without its table (so prices come from the formula).
    static let ground: RateService = {
        let json = """
            {"code": "G", "dim_divisor": 139.0, "dim_threshold_cuin": 0.0, "dim_rounding": "nearest", "max_weight_lb": 150,
             "max_length_in": 108, "max_length_girth_in": 165, "base": {"5": 11.3}, "per_lb": {"5": 1.1}, "curvature": 0.97,
             "residential_fee": 5.55, "fuel_pct": 0.155, "ah_dims_fee": 28.0, "ah_weight_fee": 45.0, "large_pkg_fee": 210.0,
             "large_pkg_min_billable": 90, "nonstd_len_22_fee": 0.0, "nonstd_len_30_fee": 0.0, "nonstd_vol_2cuft_fee": 0.0}
            """
        return try! JSONDecoder().decode(RateService.self, from: Data(json.utf8))
    }()

    @Test func dimensionsRoundToTheNearestInch_halvesUp() throws {
        // 12.5 x 10 x 10 -> 13 x 10 x 10 = 1300 in3 / 139 = 9.35 -> 10 lb billable.
        let quote = try #require(Self.ground.quote(outerDims: [12.5, 10, 10], grossLb: 2, zone: 5, residential: false))
        #expect(quote.dimWeightLb == 10)
        #expect(quote.billableLb == 10)
        let below = try #require(Self.ground.quote(outerDims: [12.49, 10, 10], grossLb: 2, zone: 5, residential: false))
        #expect(below.dimWeightLb == 9)  // 12 x 10 x 10 = 1200 / 139 = 8.6 -> 9
    }

    @Test func actualWeightRoundsUpToTheNextPound_andFiftyPoundsIsTheHandlingEdge() throws {
        let fifty = try #require(Self.ground.quote(outerDims: [10, 10, 10], grossLb: 50, zone: 5, residential: false))
        #expect(fifty.actualLb == 50)
        #expect(fifty.surcharges["additional_handling_weight"] == nil)
        let over = try #require(Self.ground.quote(outerDims: [10, 10, 10], grossLb: 50.01, zone: 5, residential: false))
        #expect(over.actualLb == 51)
        #expect(over.surcharges["additional_handling_weight"] == 45)
    }

    @Test func lengthPlusGirthAbove130_isALargePackageWithA90PoundMinimum() throws {
        // 60 + 2 * (18 + 18) = 132 > 130.
        let large = try #require(Self.ground.quote(outerDims: [60, 18, 18], grossLb: 10, zone: 5, residential: false))
        #expect(large.surcharges["large_package"] == 210)
        #expect(large.billableLb >= 90)
        // 58 + 2 * (18 + 18) = 130: not large, but over 105: additional handling.
        let edge = try #require(Self.ground.quote(outerDims: [58, 18, 18], grossLb: 10, zone: 5, residential: false))
        #expect(edge.surcharges["large_package"] == nil)
        #expect(edge.surcharges["additional_handling_dims"] == 28)
    }

    @Test func residentialAndFuel_addUp() throws {
        let quote = try #require(Self.ground.quote(outerDims: [6, 6, 6], grossLb: 1, zone: 5, residential: true))
        #expect(quote.billableLb == 2)  // 216 / 139 = 1.55 -> 2
        let base = Self.ground.tableRate(billableLb: 2, zone: 5)
        #expect(base == 12.40)  // 11.30 + 1.10 * 1^0.97
        let fuel = ((base + 5.55) * 0.155 * 100).rounded(.toNearestOrEven) / 100
        #expect(quote.total == ((base + 5.55 + fuel) * 100).rounded(.toNearestOrEven) / 100)
    }

    @Test func tooHeavyOrTooLong_cannotBeCarried() {
        #expect(Self.ground.quote(outerDims: [10, 10, 10], grossLb: 150.5, zone: 5, residential: false) == nil)
        #expect(Self.ground.quote(outerDims: [109, 2, 2], grossLb: 5, zone: 5, residential: false) == nil)
    }
}
