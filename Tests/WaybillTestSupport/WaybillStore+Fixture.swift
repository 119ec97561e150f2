import WaybillCore
public import WaybillStore

extension WaybillStore {
    /// A fresh station replica: `station.sqlite` in a new temporary folder, opened with the default
    /// checkpoints, with the station-1 identity claimed, as a station has it after its first start.
    /// Keep `folder` alive as long as the store: releasing it deletes the file.
    public static func fixture() throws -> (folder: TemporaryDirectory, store: WaybillStore) {
        let folder = try TemporaryDirectory()
        let store = try WaybillStore.open(atPath: folder.file("station.sqlite"))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        return (folder, store)
    }
}

extension WaybillStore {
    /// Plans order `orderID` in `boxes` fixture boxes and records it at `label_request` (labelled), as
    /// a packer or the autonomous mode would before the carrier labels are bought.
    public func recordSampleLabelRequest(orderID: String, boxes: Int = 1) throws {
        try recordShipment(orderID: orderID, boxes: (1...boxes).map(PlannedBox.fixture), plannedBy: "test")
        try recordOrderTransition(orderID: orderID, to: .labelled, kind: .labelRequest, payload: CentralAPI.LabelRequestPayload(boxes: boxes))
    }
}
