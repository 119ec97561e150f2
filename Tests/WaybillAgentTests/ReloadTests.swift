import Foundation
import Testing
import WaybillStore
import WaybillTestSupport

/// SIGHUP reloads the configuration values that can change at run time, and logs what changed.
@Suite(.timeLimit(.minutes(5))) struct ReloadTests {
    @Test func sighup_appliesPollIntervalAndLogLevel_andLogsWhatChanged() async throws {
        let station = try await SyncedStation.start()
        defer { station.stop() }
        try station.writeConfig(pollInterval: "1h")
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Connectivity changed")
        #expect(!agent.log.contains("Sync cycle"), "debug lines are off at log.level info")

        let store = try WaybillStore.open(atPath: station.storePath)
        #expect(try store.syncState()[.documentPrinter] == "", "recorded at start: no document printer")
        try station.writeConfig(pollInterval: "100ms", logLevel: "debug", extra: "printers:\n  label: zebra-9\n  document: office-2")
        agent.send(SIGHUP)
        try await agent.waitForLog("Configuration reloaded")
        let line = try #require(agent.log.split(separator: "\n").first { $0.contains("Configuration reloaded") })
        #expect(line.contains("sync.poll_interval 3600000ms -> 100ms"))
        #expect(line.contains("log.level info -> debug"))
        #expect(line.contains("printers.label unset -> zebra-9"))
        #expect(try store.syncState()[.documentPrinter] == "office-2", "recorded for waybill ship")
        #expect(!agent.log.contains("restart"), "nothing that needs a restart changed")
        // The new level and interval apply at once: debug "Sync cycle" lines, several of them, with a 1 h interval before.
        try await agent.poll("no debug sync cycles after the reload") {
            agent.log.components(separatedBy: "Sync cycle").count - 1 >= 3
        }
        #expect(agent.stop() == 0)
    }

    @Test func sighup_withABrokenFile_keepsRunning_andNamesKeysThatNeedARestart() async throws {
        let station = try await SyncedStation.start()
        defer { station.stop() }
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")

        try "station: [unclosed".write(toFile: station.configPath, atomically: true, encoding: .utf8)
        agent.send(SIGHUP)
        try await agent.waitForLog("Configuration reload failed")
        let failure = try #require(agent.log.split(separator: "\n").first { $0.contains("Configuration reload failed") })
        #expect(failure.contains("not valid YAML"))
        #expect(failure.contains("did not find expected"), "the YAML error's later lines stay on the event's one line")

        try station.writeConfig(spool: station.folder.file("other-spool"))
        agent.send(SIGHUP)
        try await agent.waitForLog("Configuration reloaded")
        try await agent.waitForLog("config.restart_needed=spool.path")
        #expect(agent.stop() == 0, "the agent survived both reloads")
    }
}
