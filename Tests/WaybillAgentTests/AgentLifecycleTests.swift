import Foundation
import Subprocess
import SystemPackage
import Testing
import WaybillTestSupport

@Suite(.timeLimit(.minutes(5))) struct AgentLifecycleTests {
    /// The agent runs until SIGTERM or SIGINT and then exits 0 within 2 s, logging its start-up facts.
    @Test(arguments: [Signal.terminate, Signal.interrupt])
    func agent_exitsZeroWithinFiveSecondsOfTheSignal(signal: Signal) async throws {
        let fixture = try ConfigFixture(extra: "sync:\n  poll_interval: 1h")
        let result = try await Subprocess.run(
            .path(FilePath(WaybillBinary.path)),
            arguments: ["agent", "--config", fixture.configPath],
            environment: WaybillBinary.cleanEnvironment(),
            input: .none,
            output: .discarded,
            error: .sequence
        ) { execution in
            var startLine: String?
            var signalledAt: ContinuousClock.Instant?
            for try await line in execution.standardError.strings() {
                if startLine == nil, line.contains("Agent started") {
                    startLine = line
                    signalledAt = .now
                    try execution.send(signal: signal)
                }
            }
            return (startLine, signalledAt.map { ContinuousClock.now - $0 })
        }
        let (startLine, stopTime) = result.closureResult
        let line = try #require(startLine, "the agent never logged its start")
        #expect(line.contains("station.id=station-7"))
        #expect(line.contains("store.path=\(fixture.folder.file("db/waybill.sqlite"))"))
        #expect(line.contains("config.file=\(fixture.configPath)"))
        #expect(result.terminationStatus == .exited(0))
        #expect(try #require(stopTime) < .seconds(5), "the issue allows 5 s from SIGTERM to exit")
    }
}
