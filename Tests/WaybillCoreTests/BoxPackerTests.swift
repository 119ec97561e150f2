import Testing

@testable import WaybillCore

/// The planner's geometry: orientations, the extreme-point packer and its exact-fill search.
@Suite struct BoxPackerTests {
    static func packer(_ items: [[Double]], upright: Bool = false, inner: [Double]) -> BoxPacker {
        let sizes = items.map { Size3($0) }
        return BoxPacker(
            rotations: sizes.map { $0.rotations(keepUpright: upright) },
            types: Array(items.indices),
            inner: Size3(inner)
        )
    }

    /// Every slot placed once, inside the box, without overlap, in one of its orientations.
    static func isValid(_ placed: [Placed], _ packer: BoxPacker) -> Bool {
        guard placed.map(\.slot).sorted() == Array(packer.rotations.indices) else { return false }
        for (index, item) in placed.enumerated() {
            guard packer.rotations[item.slot].contains(item.size), item.end.fits(in: packer.inner),
                item.origin.x >= 0, item.origin.y >= 0, item.origin.z >= 0
            else { return false }
            if placed[..<index].contains(where: { $0.overlaps(item.origin, item.size) }) { return false }
        }
        return true
    }

    @Test func orientations_sixOrTwoUprightOrOneForACube() {
        #expect(Size3(3, 2, 1).rotations(keepUpright: false).count == 6)
        #expect(Size3(3, 2, 1).rotations(keepUpright: true) == [Size3(3, 2, 1), Size3(2, 3, 1)])
        #expect(Size3(2, 2, 2).rotations(keepUpright: false) == [Size3(2, 2, 2)])
        #expect(Size3(2, 2, 1).rotations(keepUpright: false).count == 3)
    }

    @Test func eightCubes_fillABoxTwiceTheirSide() throws {
        let packer = Self.packer(Array(repeating: [1, 1, 1], count: 8), inner: [2, 2, 2])
        let placed = try #require(packer.pack())
        #expect(Self.isValid(placed, packer))
    }

    @Test func aGuillotineCut_isPutBackTogether_inAnyOrderAndOrientation() throws {
        // 10 x 8 x 6 cut at x = 4 (the 4 wide part at z = 3.5), the rest at y = 2.5, then its halves at
        // z = 3 and x = 3: six pieces, each listed with its sides shuffled.
        let pieces: [[Double]] = [[8, 3.5, 4], [2.5, 4, 8], [3, 6, 2.5], [2.5, 3, 6], [5.5, 6, 3], [6, 3, 5.5]]
        #expect(pieces.reduce(0) { $0 + $1.reduce(1, *) } == 480)
        let packer = Self.packer(pieces, inner: [10, 8, 6])
        let placed = try #require(packer.pack())
        #expect(Self.isValid(placed, packer))
    }

    @Test func moreVolumeThanTheBox_orAnItemTooLong_doesNotPack() {
        #expect(Self.packer([[2, 2, 2], [2, 2, 2.01]], inner: [4, 2, 2]).pack() == nil)
        #expect(Self.packer([[5, 1, 1]], inner: [4, 4, 4]).pack() == nil)
    }

    @Test func keepUpright_refusesTheOrientationThatWouldFit() {
        // 9 in tall: lying down it fits a 10 x 10 x 4 box, upright it does not.
        #expect(Self.packer([[3, 3, 9]], upright: true, inner: [10, 10, 4]).pack() == nil)
        #expect(Self.packer([[3, 3, 9]], upright: false, inner: [10, 10, 4]).pack() != nil)
    }

    @Test func extremePoints_slideBackOntoTheNearestFace() {
        let below = Placed(slot: 0, origin: .zero, size: Size3(4, 4, 2))
        let projected = ExtremePoints.project(Size3(1, 1, 5), along: 2, placed: [below])
        #expect(projected == Size3(1, 1, 2))
        #expect(ExtremePoints.project(Size3(5, 1, 5), along: 2, placed: [below]) == Size3(5, 1, 0))
    }
}
