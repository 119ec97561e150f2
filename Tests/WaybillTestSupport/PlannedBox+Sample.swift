public import WaybillCore

extension PlannedBox {
    /// Box `number` of a plan, as tests build one: a 12x10x8 box from location A by `service`,
    /// holding one item `1-<number>`; its totals are 9.5 postage and 0.5 material.
    public static func sample(_ number: Int, service: String = "GROUND") -> PlannedBox {
        PlannedBox(
            boxNo: number,
            boxID: "B0\(number)",
            outerDims: [12, 10, 8],
            location: "A",
            service: service,
            zone: 4,
            grossLb: 2.5,
            billableLb: 3,
            postage: 9.5,
            materialCost: 0.5,
            items: [PackingSolution.Placement(id: "1-\(number)", pos: [0, 0, 0], dims: [4, 3, 2])]
        )
    }
}
