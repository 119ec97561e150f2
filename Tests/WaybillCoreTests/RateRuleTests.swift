import Foundation
import Testing
import WaybillCore

/// Every rule of packing-bench's `rates.py`, one at a time, with hand-computed cases (formula prices:
/// zone 5 ground is 11.30 + 1.10 * (w - 1)^0.97, zone 5 postal 6.75 + 1.45 * (w - 1)^0.97).
@Suite struct RateRuleTests {
    static let ground = RateModelTests.ground

    /// packing-bench's postal service with its legacy rules (nearest inch, divisor 166, DIM above 1728 in3).
    static let postal: RateService = {
        let json = """
            {"code": "P", "dim_divisor": 166.0, "dim_threshold_cuin": 1728.0, "dim_rounding": "nearest", "max_weight_lb": 70,
             "max_length_in": 130, "max_length_girth_in": 130, "base": {"5": 6.75}, "per_lb": {"5": 1.45}, "curvature": 0.97,
             "residential_fee": 0.0, "fuel_pct": 0.0, "ah_dims_fee": 0.0, "ah_weight_fee": 0.0, "large_pkg_fee": 0.0,
             "large_pkg_min_billable": 90, "nonstd_len_22_fee": 4.0, "nonstd_len_30_fee": 15.0, "nonstd_vol_2cuft_fee": 25.0}
            """
        return try! JSONDecoder().decode(RateService.self, from: Data(json.utf8))
    }()

    /// The announced postal rules: fractions of an inch round up, divisor 139.
    static let postal2025: RateService = {
        var service = postal
        service.dimRounding = .up
        service.dimDivisor = 139
        return service
    }()

    func quote(_ service: RateService, _ dims: [Double], _ pounds: Double, residential: Bool = false) throws -> RateQuote {
        try #require(service.quote(outerDims: dims, grossLb: pounds, zone: 5, residential: residential))
    }

    // MARK: Dimensions and dimensional weight

    @Test func postal2025_roundsFractionsUp_andDividesBy139() throws {
        // 12.01 -> 13: 13 x 12 x 12 = 1872 in3 > 1728, 1872 / 139 = 13.47 -> 14 lb.
        let quote = try quote(Self.postal2025, [12.01, 12, 12], 1)
        #expect(quote.dimWeightLb == 14)
        #expect(quote.billableLb == 14)
        #expect(quote.total == 24.20)  // 6.75 + 1.45 * 13^0.97 = 6.75 + 17.45
    }

    @Test func postalDimWeight_onlyAboveOneCubicFoot() throws {
        // 12 x 12 x 12 = 1728: not above the threshold, so no DIM; 12.5 rounds to 13: 1872 / 166 = 11.28 -> 12.
        let atThreshold = try quote(Self.postal, [12, 12, 12], 1)
        #expect(atThreshold.dimWeightLb == 0)
        #expect(atThreshold.total == 6.75)
        let above = try quote(Self.postal, [12, 12, 12.5], 1)
        #expect(above.dimWeightLb == 12)
        #expect(above.total == 21.59)  // 6.75 + 1.45 * 11^0.97 = 6.75 + 14.84
    }

    @Test func divisor166_exactMultiplesDoNotRoundUp() throws {
        // 83 x 6 x 4 = 1992 = 12 x 166; 83 x 6 x 5 (4.5 rounds up) = 2490 = 15 x 166; 84 x 6 x 4 = 2016 -> 12.14 -> 13.
        #expect(try quote(Self.postal, [83, 6, 4], 1).dimWeightLb == 12)
        #expect(try quote(Self.postal, [83, 6, 4.5], 1).dimWeightLb == 15)
        #expect(try quote(Self.postal, [84, 6, 4], 1).dimWeightLb == 13)
    }

    @Test func divisor139_exactMultiplesDoNotRoundUp() throws {
        // 139 is prime, so only a 139 in side makes an exact multiple: lift the length limits to reach it.
        var long = Self.ground
        long.maxLengthIn = 300
        long.maxLengthGirthIn = 400
        #expect(try quote(long, [139, 2, 1], 1).dimWeightLb == 2)  // 278 / 139 = 2
        #expect(try quote(long, [140, 2, 1], 1).dimWeightLb == 3)  // 280 / 139 = 2.01
        #expect(try quote(Self.ground, [13, 10, 10.49], 1).dimWeightLb == 10)  // 1300 / 139 = 9.35
    }

    // MARK: Ground surcharges

    @Test func lengthAbove96_isALargePackage_billedAtExactly90Pounds() throws {
        // 97 + 2 * (4 + 4) = 113 <= 130, but 97 > 96. Actual 5 lb, DIM 1552 / 139 -> 12, minimum 90.
        let quote = try quote(Self.ground, [97, 4, 4], 5)
        #expect(quote.billableLb == 90)
        #expect(quote.surcharges["large_package"] == 210)
        #expect(quote.surcharges["additional_handling_dims"] == nil)
        #expect(quote.base == 96.87)  // 11.30 + 1.10 * 89^0.97
        #expect(quote.surcharges["fuel"] == 47.56)  // (96.87 + 210) * 0.155 = 47.56485
        #expect(quote.total == 354.43)
    }

    @Test func largePackageMinimum_neverLowersAHeavierParcel() throws {
        // 97 in long (large) and 100 lb: DIM is 1552 / 139 -> 12, so the actual 100 lb is billed.
        let heavy = try quote(Self.ground, [97, 4, 4], 100)
        #expect(heavy.billableLb == 100)
    }

    @Test func additionalHandling_byLengthWidthAndLengthPlusGirth() throws {
        #expect(try quote(Self.ground, [48, 10, 10], 5).surcharges["additional_handling_dims"] == nil)
        #expect(try quote(Self.ground, [49, 10, 10], 5).surcharges["additional_handling_dims"] == 28)  // L > 48
        #expect(try quote(Self.ground, [31, 31, 1], 5).surcharges["additional_handling_dims"] == 28)  // 2nd side > 30, L+G 95
        #expect(try quote(Self.ground, [39, 16, 17], 5).surcharges["additional_handling_dims"] == nil)  // L+G = 105
        #expect(try quote(Self.ground, [40, 16, 17], 5).surcharges["additional_handling_dims"] == 28)  // L+G = 106
    }

    @Test func additionalHandlingByWeight_replacesTheDimensionFee() throws {
        // 51 lb in a 49 in box: one additional-handling fee, the weight one.
        let quote = try quote(Self.ground, [49, 10, 10], 51)
        #expect(quote.surcharges["additional_handling_weight"] == 45)
        #expect(quote.surcharges["additional_handling_dims"] == nil)
        #expect(quote.total == 121.52)  // 60.21 + 45 + fuel (105.21 * 0.155 = 16.31)
    }

    @Test func residential_isAGroundFeeOnly_andFuelIsChargedOnIt() throws {
        let ground = try quote(Self.ground, [6, 6, 6], 1, residential: true)
        #expect(ground.surcharges["residential"] == 5.55)
        #expect(ground.surcharges["fuel"] == 2.78)  // (12.40 + 5.55) * 0.155 = 2.782
        #expect(ground.total == 20.73)
        let postal = try quote(Self.postal, [6, 6, 6], 1, residential: true)
        #expect(postal.surcharges.isEmpty)
        #expect(postal.total == 6.75)
    }

    // MARK: Postal fees and limits

    @Test func postalNonStandardLength_22And30Inches() throws {
        #expect(try quote(Self.postal, [22.49, 10, 2], 3).surcharges.isEmpty)  // rounds to 22
        #expect(try quote(Self.postal, [30.4, 10, 2], 3).surcharges == ["nonstandard_length_22": 4])  // 30
        #expect(try quote(Self.postal, [30.5, 10, 2], 3).surcharges == ["nonstandard_length_30": 15])  // 31
    }

    @Test func postalNonStandardVolume_above2CubicFeet() throws {
        // 24 x 12 x 12 = 3456 exactly: no volume fee; 24 x 12 x 13 = 3744: 25 more.
        #expect(try quote(Self.postal, [24, 12, 12], 3).surcharges == ["nonstandard_length_22": 4])
        let over = try quote(Self.postal, [24, 12, 12.5], 3)
        #expect(over.surcharges == ["nonstandard_length_22": 4, "nonstandard_volume_2cuft": 25])
        #expect(over.total == 64.82)  // 3744 / 166 -> 23 lb: 6.75 + 1.45 * 22^0.97 = 35.82, + 29
    }

    @Test func carrierLimits_weightLengthAndLengthPlusGirth() {
        func carries(_ service: RateService, _ dims: [Double], _ pounds: Double) -> Bool {
            service.quote(outerDims: dims, grossLb: pounds, zone: 5, residential: false) != nil
        }
        #expect(carries(Self.postal, [10, 10, 10], 70))
        #expect(!carries(Self.postal, [10, 10, 10], 70.01))
        #expect(carries(Self.postal, [50, 39, 1], 1))  // 50 + 2 * (39 + 1) = 130
        #expect(!carries(Self.postal, [51, 39, 1], 1))
        #expect(carries(Self.ground, [10, 10, 10], 150))
        #expect(!carries(Self.ground, [10, 10, 10], 150.01))
        #expect(carries(Self.ground, [65, 49, 1], 1))  // 65 + 2 * (49 + 1) = 165
        #expect(!carries(Self.ground, [66, 49, 1], 1))
        // Within every length limit, but 65 x 25 x 25 bills 40625 / 139 -> 293 lb, above the 150 lb maximum.
        #expect(!carries(Self.ground, [65, 25, 25], 1))
        #expect(carries(Self.ground, [108, 2, 2], 1))
    }

    // MARK: Tables, choice and money

    @Test func theBestQuote_isTheCheapestServiceThatCarriesTheParcel() throws {
        let model = RateModel(services: [Self.ground, Self.postal])
        let small = try #require(model.best(outerDims: [6, 6, 6], grossLb: 1, zone: 5, residential: true))
        #expect(small.service == "P")  // 6.75 postal against 20.73 ground
        let heavy = try #require(model.best(outerDims: [10, 10, 10], grossLb: 80, zone: 5, residential: true))
        #expect(heavy.service == "G")  // postal stops at 70 lb
        #expect(model.best(outerDims: [10, 10, 10], grossLb: 200, zone: 5, residential: true) == nil)
    }

    @Test func publishedTable_givesTheSamePricesAsTheFormula() throws {
        let url = PlanCheckerTests.fixtures.appendingPathComponent("rates.json")
        let model = try JSONDecoder().decode(RateModel.self, from: Data(contentsOf: url))
        let ground = try #require(model.services.first { $0.code == "SIM_GROUND" })
        var formula = ground
        formula.table = nil
        for weight in [1, 2, 17, 50, 90, 150] {
            for zone in 2...8 {
                #expect(ground.tableRate(billableLb: weight, zone: zone) == formula.tableRate(billableLb: weight, zone: zone))
            }
        }
    }

    @Test(arguments: [(1.115, 1.11), (0.125, 0.12), (2.675, 2.67), (1.005, 1.0), (0.135, 0.14), (10.075, 10.07), (47.565, 47.56)])
    func cents_roundLikePythonRound(value: Double, expected: Double) {
        // Python's round(x, 2) looks at the double's exact value; an exact half goes to even.
        #expect(Money.cents(value) == expected)
    }
}
