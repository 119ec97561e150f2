import Foundation
import Testing
import WaybillStore
import WaybillTestSupport

@testable import WaybillAgent

@Suite(.timeLimit(.minutes(5))) struct CommandLineTests {
    static let goldenHelp = ConfigFixture.repositoryRoot + "/Tests/WaybillAgentTests/Fixtures/help.txt"

    @Test func help_matchesTheGoldenFileAndListsEverySubcommand() throws {
        let help = WaybillCommand.helpMessage(columns: 100)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try help.write(toFile: Self.goldenHelp, atomically: true, encoding: .utf8)
        }
        #expect(help == (try String(contentsOfFile: Self.goldenHelp, encoding: .utf8)))
        for subcommand in [
            "agent", "status", "doctor", "diagnose", "sync", "resync", "outbox", "conflicts", "orders", "pack", "auto", "printers", "labels",
            "report",
        ] {
            #expect(help.contains("  \(subcommand) "), "--help does not list \(subcommand)")
        }
    }

    @Test func version_printsTheVersion() async throws {
        let output = try await WaybillBinary.run(["--version"])
        #expect(output.status == .exited(0))
        #expect(output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == WaybillVersion.current)
    }

    @Test func statusJSON_hasTheStableKeys_onAFreshDatabase_andExits3ForNeverSynced() async throws {
        let fixture = try ConfigFixture()
        let output = try await WaybillBinary.run(["status", "--json", "--config", fixture.configPath])
        #expect(output.status == .exited(3), "a station that never synced is degraded: \(output.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
        for key in ["station_id", "epoch", "schema_version", "outbox", "conflicts_open", "cursors", "print_jobs"] {
            #expect(object[key] != nil, "status --json lacks \(key)")
        }
        #expect(object["station_id"] as? String == "station-7")
        #expect(object["state"] as? String == "degraded")
        #expect((object["problems"] as? [String])?.first?.hasPrefix("never synced") == true)
        #expect(object["epoch"] as? Int == 1)
        #expect(object["schema_version"] as? Int == WaybillStore.latestSchemaVersion)
        let outbox = try #require(object["outbox"] as? [String: Any])
        #expect(outbox["depth"] as? Int == 0)
        #expect(outbox.keys.contains("oldest_pending_age_s"))
        #expect(outbox["oldest_pending_age_s"] is NSNull)
        let jobs = try #require(object["print_jobs"] as? [String: Int])
        #expect(Set(jobs.keys) == ["spooled", "submitted", "printed", "held", "failed"])
        // The database was created and migrated by the status command itself.
        #expect(FileManager.default.fileExists(atPath: fixture.folder.file("db/waybill.sqlite")))
    }

    @Test func status_withAnUnknownKey_failsNamingTheKey() async throws {
        let fixture = try ConfigFixture(extra: "cups:\n  sever: /tmp/x")
        let output = try await WaybillBinary.run(["status", "--config", fixture.configPath])
        #expect(output.status != .exited(0))
        #expect(output.standardError.contains("cups.sever"))
        #expect(output.standardError.contains(fixture.configPath))
    }

    @Test func doctor_passesOnAGoodSetUp_withTheHubReachable() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 1)
        let fixture = try ConfigFixture(centralURL: hub.base)
        let output = try await WaybillBinary.run(["doctor", "--config", fixture.configPath])
        await hub.stop()
        #expect(output.status == .exited(0), "\(output.standardOutput)")
        let lines = output.standardOutput.split(separator: "\n")
        #expect(
            lines.map { $0.dropFirst(6).prefix(20).trimmingCharacters(in: .whitespaces) } == [
                "configuration", "database writable", "database integrity", "replica contract", "secrets file", "spool writable", "spool disk free",
                "database disk free",
                "hub reachable", "clock skew",
            ]
        )
        #expect(lines.allSatisfy { $0.hasPrefix("ok ") })
        #expect(output.standardOutput.contains("HTTP 200 from \(hub.base)/healthz"))
    }

    @Test func doctor_failsWhenTheHubDoesNotAnswer_sayingWhatToCheck() async throws {
        let fixture = try ConfigFixture(centralURL: "http://127.0.0.1:\(try HubProcess.freePort())")
        let output = try await WaybillBinary.run(["doctor", "--config", fixture.configPath])
        #expect(output.status == .exited(1))
        let line = try #require(output.standardOutput.split(separator: "\n").first { $0.contains("hub reachable") })
        #expect(line.hasPrefix("FAIL"))
        #expect(line.contains("check central.url"))
    }

    @Test func clockSkew_passesWithinAMinute_andFailsBeyondSayingHowToFix() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let close = DoctorCheck.clockSkew(dateHeader: formatter.string(from: now.addingTimeInterval(-20)), sent: now, received: now)
        #expect(close.ok)
        #expect(close.detail == "20 s ahead of the hub's clock")
        let far = DoctorCheck.clockSkew(dateHeader: formatter.string(from: now.addingTimeInterval(300)), sent: now, received: now)
        #expect(!far.ok)
        #expect(far.detail.contains("300 s behind the central API's"))
        #expect(far.detail.contains("timedatectl set-ntp true"))
        #expect(!DoctorCheck.clockSkew(dateHeader: "yesterday", sent: now, received: now).ok)
        #expect(DoctorCheck.clockSkew(dateHeader: nil, sent: now, received: now).ok)
    }

    @Test func doctor_failsOnAWorldReadableSecretsFile() async throws {
        let fixture = try ConfigFixture(secretMode: 0o644)
        let output = try await WaybillBinary.run(["doctor", "--config", fixture.configPath])
        #expect(output.status == .exited(1))
        let line = try #require(output.standardOutput.split(separator: "\n").first { $0.contains("secrets file") })
        #expect(line.hasPrefix("FAIL"))
        #expect(line.contains("chmod 600"))
        #expect(!output.standardOutput.contains("s3cret"))
    }

    @Test func doctorJSON_reportsEachCheck() async throws {
        let fixture = try ConfigFixture(secretMode: 0o640)
        let output = try await WaybillBinary.run(["doctor", "--json", "--config", fixture.configPath])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(
            checks.map { $0["name"] as? String } == [
                "configuration", "database writable", "database integrity", "replica contract", "secrets file", "spool writable", "spool disk free",
                "database disk free",
                "hub reachable", "clock skew",
            ]
        )
    }

    @Test func agent_refusesAGroupReadableSecretsFile() async throws {
        let fixture = try ConfigFixture(secretMode: 0o640)
        let output = try await WaybillBinary.run(["agent", "--config", fixture.configPath])
        #expect(output.status == .exited(1))
        #expect(output.standardError.contains("chmod 600 \(fixture.secretPath)"))
    }
}
