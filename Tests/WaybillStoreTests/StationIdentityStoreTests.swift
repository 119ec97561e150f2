import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

@Suite struct StationIdentityStoreTests {
    let station = StationID(rawValue: "station-1")!

    @Test func identity_isCreatedWithEpochOneAndStableAcrossReopen() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let first = try WaybillStore.open(atPath: path).identity(for: station)
        let second = try WaybillStore.open(atPath: path).identity(for: station)
        #expect(first == StationIdentity(stationID: station, epoch: 1))
        #expect(second == first)
        #expect(try WaybillStore.open(atPath: path).storedIdentity() == first)
    }

    @Test func identity_forAnotherStation_isRefused() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        _ = try WaybillStore.open(atPath: path).identity(for: station)
        let error = #expect(throws: StoreError.self) {
            try WaybillStore.open(atPath: path).identity(for: StationID(rawValue: "station-2")!)
        }
        #expect(error?.code == .stationMismatch)
        #expect(error?.message.contains("station-1") == true)
    }

    @Test func storedIdentity_isNilBeforeFirstUse() throws {
        #expect(try WaybillStore.inMemory().storedIdentity() == nil)
    }
}
