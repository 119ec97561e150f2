import ArgumentParser
import Foundation
import WaybillStore

extension WaybillCommand {
    /// `waybill auto pause|resume|status`: the switch of the autonomous station mode.
    struct Auto: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause, resume or show the autonomous station mode (orders packed, labelled and printed unattended).",
            discussion: """
                The switch is kept in the station database, so it holds across restarts, and a running agent \
                sees it at its next round. Pausing stops new work; labels already queued still print.
                """
        )

        enum Action: String, ExpressibleByArgument, CaseIterable {
            case pause, resume, status
        }

        @OptionGroup var global: GlobalOptions
        @Argument(help: "pause, resume or status.") var action: Action = .status

        func run() async throws {
            let (configuration, store) = try await global.openStore()
            switch action {
            case .pause: try store.setAutoModePaused(true)
            case .resume: try store.setAutoModePaused(false)
            case .status: break
            }
            if action != .status { ControlSocket.nudge(storePath: configuration.storePath) }
            let paused = try store.autoModePaused()
            let enabled = configuration.autoMode
            if global.json {
                print("{\"enabled\":\(enabled),\"paused\":\(paused)}")
            } else if !enabled {
                print("the station packs by hand (station.mode: manual)\(paused ? "; also paused" : "")")
            } else {
                print(paused ? "auto mode is paused; `waybill auto resume` restarts it" : "auto mode is running")
            }
        }
    }
}
