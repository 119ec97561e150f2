import Foundation
import Subprocess
import SystemPackage
import Testing
import WaybillTestSupport

@testable import WaybillAgent

/// `waybill diagnose` writes a tar.gz support bundle with no secret in it.
@Suite(.timeLimit(.minutes(5))) struct DiagnoseTests {
    @Test func diagnose_writesABundleOfEveryPart_withSecretsRedacted() async throws {
        let fixture = try ConfigFixture()
        // A log that (wrongly) holds the secret: the bundle must still not.
        let logFile = fixture.folder.file("agent.log")
        try "line one\nsomething leaked s3cret here\nlast line\n".write(toFile: logFile, atomically: true, encoding: .utf8)
        let bundle = fixture.folder.file("support.tar.gz")
        let output = try await WaybillBinary.run(
            ["diagnose", "--output", bundle, "--log-file", logFile, "--config", fixture.configPath],
            environment: ["WAYBILL_CENTRAL_PROXY": "http://packer:hunter22@127.0.0.1:9"]
        )
        #expect(output.status == .exited(0), "\(output.standardError)")
        #expect(output.standardOutput.contains(bundle))

        let extracted = fixture.folder.file("extracted")
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        let untar = try await Subprocess.run(.name("tar"), arguments: ["-xzf", bundle, "-C", extracted], output: .discarded, error: .discarded)
        #expect(untar.terminationStatus == .exited(0))
        let top = try #require(try FileManager.default.contentsOfDirectory(atPath: extracted).first)
        #expect(top.hasPrefix("waybill-diagnose-station-7-"))
        let folder = extracted + "/" + top
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        for file in [
            "config.yaml", "environment.txt", "status.json", "doctor.txt", "outbox.json", "conflicts.json", "integrity.txt", "logs.txt",
            "version.txt",
        ] {
            #expect(files.contains(file), "the bundle lacks \(file)")
        }
        var everything = ""
        for file in files { everything += try String(contentsOfFile: folder + "/" + file, encoding: .utf8) }
        #expect(!everything.contains("s3cret"), "the station secret is in the bundle")
        #expect(!everything.contains("hunter22"), "the proxy password is in the bundle")
        let config = try String(contentsOfFile: folder + "/config.yaml", encoding: .utf8)
        #expect(
            try String(contentsOfFile: folder + "/environment.txt", encoding: .utf8).contains("WAYBILL_CENTRAL_PROXY=http://<redacted>@127.0.0.1:9")
        )
        #expect(config.contains("secret_file: \(fixture.secretPath)"), "paths stay: support needs them")
        #expect(try String(contentsOfFile: folder + "/integrity.txt", encoding: .utf8) == "ok\n")
        #expect(try String(contentsOfFile: folder + "/logs.txt", encoding: .utf8).contains("something leaked <redacted> here"))
        let status = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/status.json"))) as? [String: Any]
        #expect(status?["station_id"] as? String == "station-7")
    }

    @Test func redaction_keepsKeysAndPaths_andDropsSecretValues() {
        let redaction = Redaction(secrets: ["topsecretvalue"])
        let text = """
            central:
              secret_file: /etc/waybill/station.secret
              proxy: https://user:pw@proxy:3128
            api_token: abc123
            WAYBILL_CENTRAL_PASSWORD=hunter2
            note: contains topsecretvalue inline
            """
        let redacted = redaction.apply(text)
        #expect(redacted.contains("secret_file: /etc/waybill/station.secret"))
        #expect(redacted.contains("proxy: https://<redacted>@proxy:3128"))
        #expect(redacted.contains("api_token: <redacted>"))
        #expect(redacted.contains("WAYBILL_CENTRAL_PASSWORD=<redacted>"))
        #expect(redacted.contains("note: contains <redacted> inline"))
        #expect(!redacted.contains("hunter2") && !redacted.contains("abc123") && !redacted.contains(":pw@"))
    }
}
