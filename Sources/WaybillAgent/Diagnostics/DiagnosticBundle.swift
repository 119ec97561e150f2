import Foundation
import Subprocess
import SystemPackage
import WaybillCore
import WaybillStore

/// The support bundle of `waybill diagnose`: a `.tar.gz` of one folder holding the configuration
/// (secrets redacted), `waybill status` and `waybill doctor` as JSON, outbox and conflict summaries
/// (no order data), the database integrity check and recent logs. Every file passes ``Redaction``,
/// which also replaces the station secret itself should it appear anywhere.
struct DiagnosticBundle {
    let configuration: StationConfiguration
    /// A log file to include the end of; `nil` tries `journalctl -u waybill`.
    let logFile: String?
    /// How many log lines to include.
    var logLines = 5000

    /// Writes the bundle to `output` (a `.tar.gz`); returns the names of the files in it.
    func write(to output: String) async throws -> [String] {
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let name = "waybill-diagnose-\(configuration.stationID)-\(stamp)"
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("waybill-diagnose-\(UUID().uuidString)")
        let folder = scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let secret = try? SecretFile.read(path: configuration.secretFile)
        let redaction = Redaction(secrets: [secret].compactMap { $0 })
        let files = try await collect()
        for (file, text) in files {
            try redaction.apply(text).write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        let result = try await Subprocess.run(
            .name("tar"),
            arguments: ["-czf", output, "-C", scratch.path, name],
            output: .discarded,
            error: .string(limit: 1 << 16)
        )
        guard result.terminationStatus.isSuccess else {
            throw DiagnoseError("tar could not write \(output): \(result.standardError)")
        }
        return files.map(\.0).sorted()
    }

    /// Each file's name and text.
    private func collect() async throws -> [(String, String)] {
        var files: [(String, String)] = []
        let configText = (try? String(contentsOfFile: configuration.sourceFile, encoding: .utf8)) ?? "(cannot read \(configuration.sourceFile))"
        files.append(("config.yaml", "# \(configuration.sourceFile)\n" + configText))
        let overrides = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("WAYBILL_") }.sorted { $0.key < $1.key }
        files.append(("environment.txt", overrides.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n"))
        files.append(("version.txt", "waybill \(WaybillVersion.current)\nhost \(ProcessInfo.processInfo.hostName)\ncreated \(Date())\n"))
        files.append(("doctor.txt", await DoctorCheck.all(for: configuration).map(\.line).joined(separator: "\n") + "\n"))
        do {
            let store = try WaybillStore.open(atPath: configuration.storePath)
            let report = try await StatusReport.read(configuration: configuration, store: store, scale: nil)
            files.append(("status.json", try report.json() + "\n"))
            files.append(("integrity.txt", try store.integrityCheck().joined(separator: "\n") + "\n"))
            files.append(("outbox.json", try json(outboxSummary(store))))
            files.append(("conflicts.json", try json(store.conflicts(limit: 200).map(ConflictSummary.init))))
        } catch {
            files.append(("database-error.txt", "\(error)\n"))
        }
        files.append(("logs.txt", await recentLogs()))
        return files
    }

    private struct OutboxLine: Encodable {
        let epoch: Int
        let seq: Int
        let kind: String
        let entity_id: String
        let state: String
        let attempts: Int
        let last_error: String?
        let created_at: Date
    }

    /// Counts by state, and the oldest entries of the states that need attention (no payloads).
    private func outboxSummary(_ store: WaybillStore) throws -> [String: [OutboxLine]] {
        var summary: [String: [OutboxLine]] = [:]
        for state in OutboxState.allCases {
            summary[state.rawValue] = try store.outboxEntries(state: state, limit: 100).map {
                OutboxLine(
                    epoch: $0.operation.epoch,
                    seq: $0.operation.seq,
                    kind: $0.operation.kind.rawValue,
                    entity_id: $0.operation.entityID,
                    state: $0.state.rawValue,
                    attempts: $0.attempts,
                    last_error: $0.lastError,
                    created_at: $0.createdAt
                )
            }
        }
        return summary
    }

    /// A conflict without the order data it carries (addresses stay on the station).
    private struct ConflictSummary: Encodable {
        let id: Int64
        let entity: String
        let entity_id: String
        let rule: String
        let reason: String
        let state: String
        let resolution: String?
        let created_at: Date

        init(_ record: ConflictRecord) {
            id = record.id
            entity = record.entity
            entity_id = record.entityID
            rule = record.rule
            reason = record.reason
            state = record.state
            resolution = record.resolution
            created_at = record.createdAt
        }
    }

    private func json(_ value: some Encodable) throws -> String {
        try CommandJSON.text(value, pretty: true) + "\n"
    }

    /// The end of the log file, or of the unit's journal.
    private func recentLogs() async -> String {
        if let logFile {
            guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return "(cannot read the log file \(logFile))\n" }
            return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(logLines).joined(separator: "\n")
        }
        let journal = try? await Subprocess.run(
            .name("journalctl"),
            arguments: ["-u", "waybill", "--no-pager", "-o", "short-iso", "-n", "\(logLines)"],
            output: .string(limit: 16 << 20),
            error: .discarded
        )
        if let journal, journal.terminationStatus.isSuccess, !journal.standardOutput.isEmpty {
            return journal.standardOutput
        }
        return "(no logs: journalctl -u waybill gave nothing; pass --log-file PATH when the agent logs to a file)\n"
    }
}

/// `waybill diagnose` could not write its bundle.
struct DiagnoseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
