public import WaybillCore

extension PlannedBox {
    /// A small ground box (one item) numbered `number`, for tests that need a plan, not a planner.
    public static func fixture(_ number: Int) -> PlannedBox {
        PlannedBox(
            boxNo: number,
            boxID: "B02",
            outerDims: [12, 10, 8],
            location: "A",
            service: "SIM_GROUND",
            zone: 4,
            grossLb: 3.5,
            billableLb: 4,
            postage: 9,
            materialCost: 0.6,
            items: [PackingSolution.Placement(id: "1-\(number)", pos: [0, 0, 0], dims: [4, 3, 2])]
        )
    }
}
