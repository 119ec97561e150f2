import Foundation
import Testing
import WaybillTestSupport

/// The bench scale in `waybill status` (asked from the running agent, which holds the device) and
/// in the systemd status line: connected with its reading, disconnected as a problem that says what
/// to do (exit 3), and "not read" with no agent running.
@Suite(.timeLimit(.minutes(5))) struct ScaleStatusTests {
    @Test func status_showsTheAgentsScale_aPulledCableDegradesTheStation_andNoAgentMeansNotRead() async throws {
        let scale = try ScaleEmulator(.nci, showing: .stable(2.5, unit: "lb"))
        defer { scale.unplug() }
        let station = try await SyncedStation.start(orders: 5, extra: "scale:\n  device: \(scale.devicePath)\n  protocol: nci\n")
        defer { station.stop() }
        func status() async throws -> (code: Int32?, object: [String: Any], scale: [String: Any]) {
            let run = try await WaybillBinary.run(["status", "--json", "--config", station.configPath])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
            guard case .exited(let code) = run.status else { return (nil, object, [:]) }
            return (code, object, object["scale"] as? [String: Any] ?? [:])
        }
        let idle = try await status()
        #expect(idle.scale["state"] as? String == "not read" && idle.scale["device"] as? String == scale.devicePath, "\(idle.scale)")
        #expect(!(idle.object["problems"] as? [String] ?? []).contains { $0.contains("scale") }, "no agent, nothing weighs: not a problem")

        let receiver = try DatagramReceiver(path: station.folder.file("notify.sock"))
        defer { receiver.close() }
        let agent = try AgentProcess.start(config: station.configPath, environment: ["NOTIFY_SOCKET": receiver.address])
        defer { agent.kill() }
        var reading: (code: Int32?, object: [String: Any], scale: [String: Any]) = (nil, [:], [:])
        try await agent.poll("status never showed the scale's stable reading") {
            reading = try await status()
            return reading.scale["stable_lb"] as? Double == 2.5
        }
        #expect(reading.scale["state"] as? String == "connected" && reading.scale["protocol"] as? String == "nci", "\(reading.scale)")
        #expect((reading.scale["text"] as? String)?.hasSuffix("(stable)") == true && reading.scale["last_reading_at"] is String)
        #expect(!(reading.object["problems"] as? [String] ?? []).contains { $0.contains("scale") }, "\(reading.object["problems"] ?? "")")
        try await agent.poll("no STATUS= line with the scale") {
            receiver.messages.contains { $0.hasPrefix("STATUS=") && $0.contains("scale connected") }
        }
        let text = try await WaybillBinary.run(["status", "--config", station.configPath])
        #expect(text.standardOutput.contains("\nScale       \(scale.devicePath) (nci), connected: 2.50 lb"), "\(text.standardOutput)")

        scale.unplug()
        var pulled: (code: Int32?, object: [String: Any], scale: [String: Any]) = (nil, [:], [:])
        try await agent.poll("status never showed the pulled cable") {
            pulled = try await status()
            return pulled.scale["state"] as? String == "disconnected"
        }
        #expect(pulled.code == 3 && pulled.object["state"] as? String == "degraded")
        let problems = pulled.object["problems"] as? [String] ?? []
        #expect(
            problems.contains { $0.hasPrefix("the scale \(scale.devicePath) gives no reading") && $0.contains("type weights by hand") },
            "\(problems)"
        )
        #expect(!(pulled.scale["stable_lb"] is Double), "a disconnected scale weighs nothing")
        try await agent.poll("no STATUS= line with the disconnected scale") {
            receiver.messages.contains { $0.hasPrefix("STATUS=") && $0.contains("scale disconnected") }
        }
        #expect(agent.stop() == 0)
    }
}
