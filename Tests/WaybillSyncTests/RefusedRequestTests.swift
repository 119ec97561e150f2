import Foundation
import Testing
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// One place classifies the central API's answers (`ResponseClassification`): a request refused as
/// it is (here a cursor the hub does not know: 400 `invalid_request`) is not retried at the first
/// backoff step like a 503 but at the policy's longest wait, and the station records it as refused
/// (the health model's "the central API refuses this station's requests"); once the request is one
/// the hub takes, the station syncs and the record clears.
@Suite(.timeLimit(.minutes(5))) struct RefusedRequestTests {
    @Test func aRefusedRequest_waitsTheLongestBackoff_andIsRecordedAsRefused_thenClears() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 20)
        let station = try SyncHarness(hub: hub)
        // A cursor the central API never issued (a station bug, or a central one that lost it).
        _ = try station.store.applyPulledBatch([], cursor: "not-a-cursor")
        let refused = await station.engine.cycle()
        #expect(refused.error?.code == .refused && refused.error?.status == 400, "\(String(describing: refused.error))")
        #expect(refused.error?.message.contains("answered 400 invalid_request") == true, "\(String(describing: refused.error))")
        #expect(refused.retryIn == .milliseconds(100), "the harness policy's cap, not its first step: \(String(describing: refused.retryIn))")
        let recorded = try station.store.syncState()
        #expect(recorded[.lastErrorCode] == "refused", "\(recorded)")
        #expect(recorded[.connectivity] == "degraded", "the hub answers: the station is not offline")

        // A passing failure is retried at the first step, as before.
        #expect(try await hub.send("PUT", "/admin/faults", body: #"{"spec":"changes:503:1"}"#).status == 200)
        _ = try station.store.applyPulledBatch([], cursor: "0")
        let failing = await station.engine.cycle()
        #expect(failing.error?.code == .httpStatus && (failing.retryIn ?? .zero) < .milliseconds(100), "\(String(describing: failing.error))")

        #expect(try await hub.send("DELETE", "/admin/faults").status == 200)
        try await station.settle()
        #expect(try station.store.syncState()[.lastErrorCode] == nil)
        #expect(try station.store.replicaVersions(of: .order).count > 0)
        await hub.stop()
    }
}
