import Dispatch
import GRDB
import Synchronization
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

@Suite struct MigrationTests {
    @Test func freshDatabase_isMigratedToTheLatestSchema() throws {
        let folder = try TemporaryDirectory()
        let store = try WaybillStore.open(atPath: folder.file("nested/dir/station.sqlite"))
        #expect(try store.schemaVersion() == WaybillStore.latestSchemaVersion)
        #expect(WaybillStore.latestSchemaVersion >= 1)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func migratedDatabase_reopensWithoutChangesAndKeepsItsData() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let station = StationID(rawValue: "station-1")!
        do {
            let store = try WaybillStore.open(atPath: path)
            _ = try store.identity(for: station)
            try store.upsertOrder(ReplicaOrder(id: "O-1", version: 1, state: .assigned))
        }
        let reopened = try WaybillStore.open(atPath: path)
        #expect(try reopened.schemaVersion() == WaybillStore.latestSchemaVersion)
        #expect(try reopened.order(id: "O-1")?.state == .assigned)
    }

    /// The agent and a `waybill` command opening a database not yet migrated at the same moment both
    /// migrate it; the one that applies a migration second no longer fails to open ("duplicate
    /// column"). The file exists in WAL mode first (opens creating the file: the test below).
    @Test func aDatabaseNotYetMigratedOpenedByManyAtOnce_opensForEach_atTheLatestSchema() throws {
        try openEachAtOnce(rounds: 12) { path in
            try DatabaseQueue(path: path).writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        }
    }

    /// The agent's first start and a `waybill` command creating the database at the same moment (a
    /// fresh install): each opens it, though one of them switches the new file to WAL while the
    /// others wait for it ("database is locked" before).
    @Test func aDatabaseNotYetCreatedOpenedByManyAtOnce_opensForEach() throws {
        try openEachAtOnce(rounds: 40) { _ in }
    }

    /// Opens a database from 4 threads at once, `rounds` times (a new file each, first given to
    /// `prepare`); expects every open to succeed and each database at the latest schema.
    private func openEachAtOnce(rounds: Int, prepare: (String) throws -> Void) throws {
        let folder = try TemporaryDirectory()
        let failures = Mutex<[String]>([])
        for round in 0..<rounds {
            let path = folder.file("station-\(round).sqlite")
            try prepare(path)
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    _ = try WaybillStore.open(atPath: path)
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(try WaybillStore.open(atPath: path).schemaVersion() == WaybillStore.latestSchemaVersion)
        }
        failures.withLock { #expect($0.isEmpty, "\($0.count) opens failed, first: \($0.first ?? "")") }
    }
}
