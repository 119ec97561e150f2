import Foundation
import Subprocess
import SystemPackage
import Testing
import WaybillCore
import WaybillHubStore
import WaybillStore
import WaybillTestSupport

/// The packer's station screen in a real Chromium (Debian's `chromium` and `chromium-driver`,
/// driven by Selenium from `Fixtures/station_browser.py`), against the real agent and hub over
/// loopback: open an order by scanning its number, pack a three-box order scan by scan with a
/// wrong item, an item of another box and one too many refused, hostile customer text shown as
/// text, each box weighed (one heavy box refused until a supervisor overrides it with a reason),
/// its documents printed only then, the order shipped with every label printed once on a private
/// cupsd, counts that follow the replica without a reload, the offline banner as the hub goes and
/// comes back, and the problems banner (the health model's) as a printer faults and is fixed.
/// Screenshots of every step go to `.build/test-output/station/`.
///
/// Runs where Chromium is installed (`packaging/dev.sh test` installs it); with
/// `REQUIRE_BROWSER=1` (as `dev.sh` sets) a missing browser fails instead of skipping.
@Suite(.timeLimit(.minutes(5)), .enabled(if: Browser.available || Browser.required))
struct StationBrowserTests {
    static let hostileName = #"<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><b data-injected=1>Eve</b> & "Co" 'Ltd'"#

    @Test func aPackerPacksAThreeBoxOrderInTheBrowser_mistakesAreRefused_andTheScreenFollowsTheStation() async throws {
        #expect(Browser.available, "Chromium, chromedriver or python3-selenium is missing: run packaging/dev.sh test (it installs them)")
        guard Browser.available else { return }
        // An NCI scale on a pseudo-terminal, still settling when the packer first reaches it.
        let scale = try ScaleEmulator(.nci, showing: .motion(0.5, unit: "lb"))
        defer { scale.unplug() }
        let printing = try await AutonomousStation.start(orders: 12, extra: "scale:\n  device: \(scale.devicePath)\n  protocol: nci\n")
        defer { printing.stop() }
        let station = printing.station
        let hub = try HubStore.open(path: station.hub.databasePath)
        // Ship-alone SKUs travel alone: two units of one and one of another make exactly three boxes.
        let skus = try (1...400).compactMap { index -> CentralAPI.SKUData? in
            try hub.entity(.sku, id: String(format: "SKU-%04d", index)).map {
                try JSONDecoder().decode(CentralAPI.SKUData.self, from: Data($0.data.utf8))
            }
        }
        let alone = skus.filter(\.shipAlone)
        try #require(alone.count >= 2, "the seed has no two ship-alone SKUs")
        let orderID = try hub.createOrder(
            stationID: "station-1",
            lines: [.init(lineNo: 1, sku: alone[0].id, quantity: 2), .init(lineNo: 2, sku: alone[1].id, quantity: 1)]
        )
        let wrong = try #require(skus.first { !$0.shipAlone && !$0.barcodes.isEmpty })
        let hostileOrder = "O-000003"
        var address = try hub.order(id: hostileOrder).order.shipTo
        address.name = Self.hostileName
        try hub.editAddress(hostileOrder, to: address)

        // Two packers: ana packs, sam is the supervisor whose PIN accepts a weight mismatch.
        for (name, pin, role) in [("ana", "2468", []), ("sam", "1357", ["--supervisor"])] {
            let added = try await WaybillBinary.run(["packers", "add", name, "--config", station.configPath] + role, input: pin + "\n")
            #expect(added.status == .exited(0), "\(added.standardError)")
        }
        // A manual station (the default mode): a packer opens, verifies and weighs; the station prints and ships.
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let base = try await agent.httpBase()
        let store = try WaybillStore.open(atPath: station.storePath)
        try await agent.poll("the replica never received the new order and the edited address") {
            try store.order(id: orderID) != nil && store.packingInputs(orderID: hostileOrder).order.shipTo.name == Self.hostileName
        }

        let output = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/test-output/station")
            .standardized.path
        try? FileManager.default.removeItem(atPath: output)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let handshake = try TemporaryDirectory()
        let scenario = handshake.file("scenario.json")
        try JSONSerialization.data(withJSONObject: [
            "base": base, "order_id": orderID, "wrong_code": wrong.barcodes[0].code, "hostile_order": hostileOrder,
            "out": output, "handshake": handshake.path, "packer": "ana", "pin": "2468", "supervisor_pin": "1357",
        ]).write(to: URL(fileURLWithPath: scenario))

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/station_browser.py").path
        async let browser = Subprocess.run(
            .path("/usr/bin/python3"),
            arguments: [script, scenario],
            output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20)
        )
        // The test's side of the scenario, each step when the page is ready for it.
        func awaitFile(_ name: String) async throws {
            try await agent.poll(timeout: .seconds(120), "the browser never reached '\(name)'; see \(output)") {
                FileManager.default.fileExists(atPath: handshake.file(name)) || FileManager.default.fileExists(atPath: output + "/result.json")
            }
            guard FileManager.default.fileExists(atPath: handshake.file(name)) else { throw HubTestError("the browser stopped before '\(name)'") }
        }
        var steps: [String] = []
        do {
            try await awaitFile("scale-wanted")
            let pounds = try #require(Double(try String(contentsOfFile: handshake.file("scale-wanted"), encoding: .utf8)))
            scale.show(.stable(pounds, unit: "lb"))
            _ = FileManager.default.createFile(atPath: handshake.file("scale-set"), contents: nil)
            try await awaitFile("counts-ready")
            _ = try hub.createOrder(stationID: "station-1")
            try await awaitFile("offline-ready")
            #expect(station.hub.crash())
            _ = FileManager.default.createFile(atPath: handshake.file("hub-down"), contents: nil)
            try await awaitFile("banner-shown")
            try await station.hub.restart()
            _ = FileManager.default.createFile(atPath: handshake.file("hub-up"), contents: nil)
            steps.append("offline round trip")
            try await awaitFile("problems-ready")
            try printing.cupsd.reject("document")
            _ = FileManager.default.createFile(atPath: handshake.file("printer-rejecting"), contents: nil)
            try await awaitFile("problems-shown")
            try printing.cupsd.accept("document")
            _ = FileManager.default.createFile(atPath: handshake.file("printer-accepting"), contents: nil)
            steps.append("problem banner round trip")
        } catch {
            Issue.record("\(error)")
        }
        let run = try await browser
        let stderr: String = run.standardError
        let data = try Data(contentsOf: URL(fileURLWithPath: output + "/result.json"))
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(result["ok"] as? Bool == true, "\(result["error"] ?? "") \(stderr)")

        func message(_ key: String) -> (text: String, error: Bool) {
            let value = result[key] as? [String: Any]
            return (value?["text"] as? String ?? "<\(key) missing>", (value?["class"] as? String ?? "").contains("error"))
        }
        // Sign-in: the screen asks first; a wrong PIN is refused; the session cookie is out of scripts' reach.
        #expect((result["sign_in_url"] as? String)?.hasSuffix("/station/sign-in") == true, "\(result["sign_in_url"] ?? "")")
        #expect(result["sign_in_focus"] as? String == "name")
        #expect((result["wrong_pin"] as? String)?.contains("do not match") == true, "\(result["wrong_pin"] ?? "")")
        #expect(result["signed_in_as"] as? String == "ana")
        let cookie = result["cookie"] as? [String: Any]
        #expect(cookie?["httpOnly"] as? Bool == true && cookie?["sameSite"] as? String == "Strict", "\(cookie ?? [:])")
        #expect(result["cookie_visible_to_script"] as? Bool == false)
        #expect(result["queue_lists_order"] as? Bool == true)
        #expect(result["queue_focus"] as? String == "scan", "the scan field has focus on the queue")
        #expect(result["pack_focus"] as? String == "scan", "the scan field has focus on the pack view")
        #expect((result["opened_url"] as? String)?.hasSuffix("/station/orders/" + orderID) == true)
        #expect(result["boxes"] as? Int == 3)
        // Page weight: everything the pack view loads comes from the station, and stays small.
        let resources = result["pack_resources"] as? [[String: Any]] ?? []
        let pageBytes = resources.compactMap { $0["bytes"] as? Int }.reduce(0, +)
        #expect(!resources.isEmpty && resources.allSatisfy { ($0["name"] as? String)?.hasPrefix(base) == true }, "\(resources)")
        #expect(pageBytes > 0 && pageBytes <= 150_000, "the pack view weighs \(pageBytes) bytes")
        print("station screen: the pack view of a 3-box order loads \(pageBytes) bytes in \(resources.count) requests, all from the station")
        #expect(result["pack_heading"] as? String == "BOX 1 OF 3")
        #expect(message("wrong_item").text.hasPrefix("Wrong item: \(wrong.id)") && message("wrong_item").error)
        #expect(message("other_box").text.contains("goes in box 3, not box 1") && message("other_box").error)
        #expect(message("over_scan").text.hasPrefix("One too many") && message("over_scan").error)
        #expect(message("last_message").text.contains("Every box is verified") && !message("last_message").error)
        #expect(message("after_complete").text.contains("already verified"))
        #expect(message("wrong_supervisor_pin").error, "a wrong supervisor PIN is refused")
        #expect(result["pin_left_typed"] as? String == "", "a refused PIN leaves no digits in its field")
        #expect(result["first_box_kept"] as? Bool == true, "a scan in box 2 leaves box 1's nodes as they were")
        #expect((result["box_headings"] as? [String])?.last?.hasPrefix("Every box is verified: 3 of 3 units") == true)
        let final = result["final"] as? [String: Any]
        #expect(final?["complete"] as? Bool == true)

        // Weighing: nothing prints before its box is verified and weighed; a mismatch is refused
        // and prints nothing until a supervisor's override; then every document prints once.
        let before = result["documents_before_weighing"] as? [String: [String: String]]
        #expect(before?.count == 3 && before?.values.allSatisfy(\.isEmpty) == true, "documents before weighing: \(before ?? [:])")
        #expect(message("mismatch").error && message("mismatch").text.contains("should weigh"), "\(message("mismatch"))")
        #expect((result["documents_after_mismatch"] as? [String: [String: String]])?["1"]?.isEmpty == true)
        #expect(!message("override").error && message("override").text.contains("accepted by sam"), "\(message("override"))")
        #expect(!message("weighed_2").error && !message("weighed_3").error, "\(message("weighed_2")) \(message("weighed_3"))")
        // The scale: its reading shows live; a settling one weighs nothing; a stable one weighs box 2.
        #expect((result["scale_moving"] as? String)?.contains("settling") == true, "\(result["scale_moving"] ?? "")")
        #expect(message("scale_refused").error && message("scale_refused").text.contains("no stable weight"), "\(message("scale_refused"))")
        #expect((result["scale_stable"] as? String)?.hasSuffix("(stable)") == true)
        #expect((result["override"] as? [String: Any])?["focus"] as? String == "scan", "the scan field has the focus again")
        #expect((result["shipped_panel"] as? String)?.contains("Shipped") == true)
        #expect(message("after_shipping").error && message("after_shipping").text.contains("nothing left to scan"), "\(message("after_shipping"))")
        let finalBoxes = final?["boxes"] as? [[String: Any]] ?? []
        #expect(finalBoxes.count == 3)
        for box in finalBoxes {
            let documents = box["documents"] as? [String: String] ?? [:]
            #expect(documents == ["box": "printed", "slip": "printed", "carrier": "printed"], "box \(box["number"] ?? "?"): \(documents)")
            #expect(box["weight_accepted"] as? Bool == true)
        }

        let hostile = result["hostile"] as? [String: Any]
        #expect((hostile?["shipto"] as? String)?.contains(Self.hostileName) == true, "the hostile name shows as text")
        #expect(hostile?["pwned"] is NSNull, "no script from customer text ran")
        #expect(hostile?["scripts"] as? Int == 1 && hostile?["images"] as? Int == 0 && hostile?["injected"] as? Int == 0)

        #expect((result["assigned_after"] as? Int ?? 0) == (result["assigned_before"] as? Int ?? -1) + 1)
        #expect(result["counts_without_reload"] as? Bool == true)
        #expect(result["banner_before"] as? Bool == false)
        #expect((result["banner_text"] as? String)?.hasPrefix("Offline") == true)
        #expect(result["banner_after"] as? Bool == false)
        #expect(steps == ["offline round trip", "problem banner round trip"])
        let problemsText = result["problems_text"] as? String ?? ""
        #expect(problemsText.contains("printer document (document) cannot print: its labels wait in the spool"), "\(problemsText)")
        #expect(result["problems_after"] as? Bool == false)

        // Every gesture is recorded with its verify operation, and the hub applies each once.
        let session = try store.packSession(orderID: orderID)
        #expect(session.verification.isComplete)
        #expect(session.weights.mapValues(\.source) == [1: "manual", 2: "scale", 3: "manual"])
        #expect(session.events.allSatisfy { $0.packer == "ana" }, "every gesture is ana's: \(Set(session.events.map(\.packer)))")
        #expect(session.weights[1]?.packer == "sam" && session.weights[2]?.packer == "ana", "the override is sam's, the weighings ana's")
        let gestures = session.events.count
        #expect(gestures == 3 + 4, "3 units, a wrong item, another box's item, one too many, one after completion")
        #expect(session.events.filter { $0.outcome != "counted" && $0.outcome != "box_closed" && $0.outcome != "order_complete" }.count == 4)
        try await agent.poll(timeout: .seconds(60), "the hub never applied every verify and weigh operation") {
            let ledger = try await station.hub.ledger().filter { $0.entityID == orderID }
            return ledger.filter { $0.type == "verify" }.count == gestures && ledger.filter { $0.type == "weigh" }.count == 4
        }
        try await agent.poll(timeout: .seconds(60), "the outbox never drained") { try store.status().outboxDepth == 0 }
        let order = try #require(try store.order(id: orderID))
        try await AutopilotTests.expectEachLabelOnceAndEachOperationOnce(printing, store, orders: [order])
        let timings = (result["timings_ms"] as? [Double] ?? []).sorted()
        if !timings.isEmpty {
            print(
                String(
                    format:
                        "station screen: gesture -> feedback in the browser over %d scans and weighings: p50 %.1f ms, p99 %.1f ms; screenshots in %@",
                    timings.count,
                    timings[timings.count / 2],
                    timings[min(timings.count - 1, Int(Double(timings.count) * 0.99))],
                    output
                )
            )
        }
        #expect(agent.stop() == 0)
    }
}

/// Whether this machine can run the browser tests.
enum Browser {
    static let available =
        ["/usr/bin/chromium", "/usr/bin/chromedriver"].allSatisfy(FileManager.default.isExecutableFile)
        && FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/selenium")
    static let required = ProcessInfo.processInfo.environment["REQUIRE_BROWSER"] == "1"
}
