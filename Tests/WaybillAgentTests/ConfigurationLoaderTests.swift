import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

@testable import WaybillAgent

@Suite struct ConfigurationLoaderTests {
    private func load(_ fixture: ConfigFixture, environment: [String: String] = [:]) async throws -> StationConfiguration {
        try await ConfigurationLoader(explicitPath: fixture.configPath, environment: environment).load()
    }

    private func loadError(_ fixture: ConfigFixture, environment: [String: String] = [:]) async -> ConfigurationError? {
        await #expect(throws: ConfigurationError.self) { try await load(fixture, environment: environment) }
    }

    @Test func validFile_loadsWithDefaultsForOptionalKeys() async throws {
        let fixture = try ConfigFixture()
        let configuration = try await load(fixture)
        #expect(configuration.stationID.rawValue == "station-7")
        #expect(configuration.centralURL == "http://127.0.0.1:8700")
        #expect(configuration.httpListen == nil)
        #expect(configuration.pollInterval == .seconds(5))
        #expect(configuration.retryBase == .seconds(1))
        #expect(configuration.retryCap == .seconds(300))
        #expect(configuration.logLevel == .info)
        #expect(configuration.verifyTLS)
        #expect(configuration.sourceFile == fixture.configPath)
    }

    @Test func repositoryDefaultFile_loadsAndDocumentsEveryKey() async throws {
        let path = ConfigFixture.repositoryRoot + "/config/waybill.yaml"
        let configuration = try await ConfigurationLoader(explicitPath: path, environment: [:]).load()
        #expect(configuration.stationID.rawValue == "station-1")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for key in ConfigurationKey.all {
            let leaf = String(key.name.split(separator: ".").last!)
            #expect(text.contains("  \(leaf):") || text.contains("# \(leaf):"), "config/waybill.yaml does not document \(key.name)")
        }
    }

    @Test func unknownKey_namesTheFileTheKeyAndASuggestion() async throws {
        let fixture = try ConfigFixture(extra: "sync:\n  pol_interval: 5s")
        let error = await loadError(fixture)
        #expect(error?.code == .unknownKey)
        #expect(error?.key == "sync.pol_interval")
        #expect(error?.description.contains(fixture.configPath) == true)
        #expect(error?.description.contains("did you mean 'sync.poll_interval'") == true)
    }

    /// PDF carrier labels print on the document printer: without one the station says so at start,
    /// instead of sending PDF to a raw label queue.
    @Test func pdfCarrierLabels_withoutADocumentPrinter_nameTheMissingKey() async throws {
        let shipping = "shipping:\n  url: http://127.0.0.1:9\n  api_key_file: /tmp/k\n  carrier_id: se-1\n  warehouse_id: se-2\n  label_format: pdf"
        let error = await loadError(try ConfigFixture(extra: shipping))
        #expect(error?.code == .missingKey)
        #expect(error?.key == "printers.document")
        let wrong = await loadError(try ConfigFixture(extra: shipping.replacingOccurrences(of: "label_format: pdf", with: "label_format: png")))
        #expect(wrong?.key == "shipping.label_format")
    }

    @Test func unknownSection_isAnUnknownKey() async throws {
        let error = await loadError(try ConfigFixture(extra: "printer:\n  label: zebra"))
        #expect(error?.code == .unknownKey)
        #expect(error?.key == "printer.label" || error?.key == "printer")
    }

    @Test(arguments: [
        ("sync:\n  poll_interval: soon", "sync.poll_interval"),
        ("sync:\n  retry_base: -1s", "sync.retry_base"),
        ("log:\n  level: loud", "log.level"),
        ("printers:\n  label: [a, b]", "printers.label"),
        ("sync:\n  poll_interval: [1, 2]", "sync.poll_interval"),
        ("sync: 5", "sync"),
        ("scale:\n  device: /dev/ttyUSB0\n  protocol: rs232", "scale.protocol"),
        ("scale:\n  device: /dev/ttyUSB0\n  baud: 9601", "scale.baud"),
        ("scale:\n  tolerance_percent: 500", "scale.tolerance_percent"),
    ])
    func wrongType_namesTheKeyAndWhatIsExpected(extra: String, key: String) async throws {
        let error = await loadError(try ConfigFixture(extra: extra))
        #expect(error?.code == .wrongType)
        #expect(error?.key == key)
        #expect(error?.message.contains("expected") == true || error?.message.contains("is not") == true)
    }

    @Test func aScale_isConfiguredByDevice_withNCIAt9600ByDefault() async throws {
        #expect(try await load(try ConfigFixture()).scale == nil, "no device, no scale: weights are typed")
        let nci = try await load(try ConfigFixture(extra: "scale:\n  device: /dev/ttyUSB0"))
        #expect(nci.scale == ScaleSettings(device: "/dev/ttyUSB0", scaleProtocol: .nci, baud: 9600))
        let hid = try await load(try ConfigFixture(extra: "scale:\n  device: /dev/hidraw0\n  protocol: hid-pos"))
        #expect(hid.scale?.scaleProtocol == .hidPOS)
    }

    @Test func badStationIDAndURL_areWrongTypes() async throws {
        let fixture = try ConfigFixture()
        var error = await loadError(fixture, environment: ["WAYBILL_STATION_ID": "station 7"])
        #expect(error?.code == .wrongType)
        #expect(error?.key == "station.id")
        #expect(error?.source == "environment variable WAYBILL_STATION_ID")
        error = await loadError(fixture, environment: ["WAYBILL_CENTRAL_URL": "ftp://hub"])
        #expect(error?.key == "central.url")
    }

    @Test func missingRequiredKey_isReported() async throws {
        let fixture = try ConfigFixture()
        try fixture.write("station:\n  id: station-7\n")
        let error = await loadError(fixture)
        #expect(error?.code == .missingKey)
        #expect(error?.key == "central.url")
        #expect(error?.source == fixture.configPath)
    }

    @Test func malformedYAML_isReportedAsSuch() async throws {
        let fixture = try ConfigFixture()
        try fixture.write("station: [unclosed\n")
        #expect(await loadError(fixture)?.code == .malformed)
    }

    @Test func environmentVariables_overrideTheFile() async throws {
        let configuration = try await load(
            try ConfigFixture(extra: "sync:\n  poll_interval: 5s"),
            environment: ["WAYBILL_CENTRAL_URL": "https://hub.example/", "WAYBILL_SYNC_POLL_INTERVAL": "250ms", "WAYBILL_LOG_LEVEL": "debug"]
        )
        #expect(configuration.centralURL == "https://hub.example")
        #expect(configuration.pollInterval == .milliseconds(250))
        #expect(configuration.logLevel == .debug)
    }

    @Test func misspelledEnvironmentVariable_isRefused() async throws {
        let error = await loadError(try ConfigFixture(), environment: ["WAYBILL_CENTRAL_ULR": "http://x"])
        #expect(error?.code == .unknownKey)
        #expect(error?.description.contains("WAYBILL_CENTRAL_URL") == true)
    }

    @Test func lookupOrder_isFlagThenEnvironmentThenWorkingDirectoryThenSystem() throws {
        let flag = try ConfigFixture(), fromEnvironment = try ConfigFixture()
        let work = try TemporaryDirectory(), system = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: work.file("config"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: work.file("config/waybill.yaml"), contents: Data())
        _ = FileManager.default.createFile(atPath: system.file("waybill.yaml"), contents: Data())
        let environment = ["WAYBILL_CONFIG": fromEnvironment.configPath]

        func locate(_ explicit: String?, _ environment: [String: String]) throws -> String {
            try ConfigurationLoader(explicitPath: explicit, environment: environment, workingDirectory: work.path, systemDirectory: system.path)
                .locate()
        }
        #expect(try locate(flag.configPath, environment) == flag.configPath)
        #expect(try locate(nil, environment) == fromEnvironment.configPath)
        #expect(try locate(nil, [:]) == work.file("config/waybill.yaml"))
        try FileManager.default.removeItem(atPath: work.file("config/waybill.yaml"))
        #expect(try locate(nil, [:]) == system.file("waybill.yaml"))
        try FileManager.default.removeItem(atPath: system.file("waybill.yaml"))
        let error = #expect(throws: ConfigurationError.self) { try locate(nil, [:]) }
        #expect(error?.code == .fileNotFound)
    }

    @Test func missingExplicitFile_namesIt() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader(explicitPath: "/nonexistent/waybill.yaml", environment: [:]).locate()
        }
        #expect(error?.code == .fileNotFound)
        #expect(error?.source == "/nonexistent/waybill.yaml")
    }

    @Test func secretFile_mustBeOwnerOnly() throws {
        let secure = try ConfigFixture(secretMode: 0o600)
        #expect(try SecretFile.read(path: secure.secretPath) == "s3cret")
        for mode in [0o644, 0o640, 0o604, 0o660] {
            let fixture = try ConfigFixture(secretMode: mode)
            let error = #expect(throws: ConfigurationError.self) { try SecretFile.read(path: fixture.secretPath) }
            #expect(error?.code == .insecureSecretFile)
            #expect(error?.message.contains("chmod 600") == true)
        }
        let error = #expect(throws: ConfigurationError.self) { try SecretFile.check(path: secure.folder.file("absent")) }
        #expect(error?.code == .missingSecretFile)
    }

    @Test(arguments: [("500ms", 0.5), ("5s", 5), ("2m", 120), ("1h", 3600), ("7", 7), ("1.5s", 1.5)])
    func durations_parse(text: String, seconds: Double) {
        #expect(ConfigurationValue.duration(text) == .milliseconds(Int64(seconds * 1000)))
    }

    @Test(arguments: ["", "0", "0s", "-1", "5 parsecs", "s", "nan"])
    func badDurations_areRefused(text: String) {
        #expect(ConfigurationValue.duration(text) == nil)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8700/", "http://127.0.0.1:8700"), ("https://hub.example", "https://hub.example"),
        ("HTTPS://hub.example/v", "HTTPS://hub.example/v"), ("http://[::1]:8700", "http://[::1]:8700"),
        ("https://xn--bcher-kva.example", "https://xn--bcher-kva.example"),
    ])
    func urls_parse(text: String, expected: String) {
        #expect(ConfigurationValue.url(text) == expected)
    }

    @Test(arguments: ["", "hub.example", "ftp://hub.example", "http://", "https:///v1", "http://hub example", "mailto:ops@hub.example"])
    func badURLs_areRefused(text: String) {
        #expect(ConfigurationValue.url(text) == nil)
    }

    @Test func valuesYAMLWouldType_areReadAsWritten() async throws {
        let fixture = try ConfigFixture(extra: "sync:\n  poll_interval: 7\npacking:\n  budget: 0.25\nprinters:\n  label: 'null'")
        let configuration = try await load(fixture)
        #expect(configuration.pollInterval == .seconds(7))
        #expect(configuration.packingBudget == .milliseconds(250))
        #expect(configuration.labelPrinter == "null")
    }
}
