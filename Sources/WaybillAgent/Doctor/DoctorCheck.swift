import Foundation
import WaybillPrint
import WaybillStore

/// One line of `waybill doctor`: what was checked, whether it passed, and what to do if not.
struct DoctorCheck: Encodable {
    let name: String
    let ok: Bool
    let detail: String

    /// Runs every check that a loaded configuration allows, in order: local set-up, then the hub,
    /// then printing (``printing(for:)``).
    static func all(for configuration: StationConfiguration) async -> [DoctorCheck] {
        [
            DoctorCheck(name: "configuration", ok: true, detail: "read \(configuration.sourceFile)"),
            databaseWritable(configuration.storePath),
            integrity(configuration.storePath),
            replicaContract(configuration.storePath),
            secrets(configuration.secretFile),
            spool(configuration.spoolPath),
            diskFree(configuration.spoolPath, name: "spool disk free"),
            diskFree(configuration.storePath, name: "database disk free", role: "database"),
        ] + (configuration.centralKind == .hub ? await hub(configuration) : await storefront(configuration)) + (await printing(for: configuration))
            + (await reportMail(configuration))
    }

    static func databaseWritable(_ path: String) -> DoctorCheck {
        // The file, or else the nearest folder above it that exists (the store creates the rest).
        var target = URL(fileURLWithPath: path)
        while !FileManager.default.fileExists(atPath: target.path), target.path != "/" {
            target.deleteLastPathComponent()
        }
        let writable = access(target.path, W_OK) == 0
        return DoctorCheck(
            name: "database writable",
            ok: writable,
            detail: writable ? path : "\(target.path) is not writable by this user; fix its owner or mode"
        )
    }

    static func integrity(_ path: String) -> DoctorCheck {
        do {
            let findings = try WaybillStore.open(atPath: path).integrityCheck()
            let ok = findings == ["ok"]
            return DoctorCheck(
                name: "database integrity",
                ok: ok,
                detail: ok ? "ok" : findings.prefix(5).joined(separator: "; ") + "; run `waybill resync` to rebuild the replica"
            )
        } catch {
            return DoctorCheck(name: "database integrity", ok: false, detail: "\(error)")
        }
    }

    /// Every replica row keeps the contract: it decodes with its type and keeps its rules (nothing
    /// unvalidated entered the replica).
    static func replicaContract(_ path: String) -> DoctorCheck {
        do {
            let rows = try WaybillStore.open(atPath: path).replicaRowsBreakingTheContract()
            guard let first = rows.first else { return DoctorCheck(name: "replica contract", ok: true, detail: "every row keeps it") }
            return DoctorCheck(
                name: "replica contract",
                ok: false,
                detail: "\(rows.count)\(rows.count == 20 ? "+" : "") rows break it, first \(first.table) \(first.id): "
                    + "\(first.reason.prefix(200)); run `waybill resync` to rebuild the replica from the hub"
            )
        } catch {
            return DoctorCheck(name: "replica contract", ok: false, detail: "\(error)")
        }
    }

    static func secrets(_ path: String) -> DoctorCheck {
        do {
            try SecretFile.check(path: path)
            return DoctorCheck(name: "secrets file", ok: true, detail: "\(path) (mode 0600)")
        } catch {
            return DoctorCheck(name: "secrets file", ok: false, detail: error.message.replacingOccurrences(of: "the secrets file", with: path))
        }
    }

    static func spool(_ path: String) -> DoctorCheck {
        do {
            try Spool(directory: path).checkWritable()
            return DoctorCheck(name: "spool writable", ok: true, detail: path)
        } catch {
            return DoctorCheck(name: "spool writable", ok: false, detail: "\(error)")
        }
    }

    /// The check as one line of text: `ok   name  detail` or `FAIL name  detail`.
    var line: String {
        (ok ? "ok    " : "FAIL  ") + name.padding(toLength: 20, withPad: " ", startingAt: 0) + detail
    }
}
