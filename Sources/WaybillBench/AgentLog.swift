import Foundation
import SystemPackage

/// The agent's standard error in a file of its folder, so a bench that fails can show how it ended.
enum AgentLog {
    static func path(in folder: String) -> String { folder + "/agent.log" }

    /// Opens (and empties) the folder's log for the agent to write.
    static func open(in folder: String) throws -> FileDescriptor {
        try FileDescriptor.open(FilePath(path(in: folder)), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
    }

    /// The last lines of the folder's log, for an error message.
    static func tail(in folder: String, lines: Int = 12) -> String {
        let text = (try? String(contentsOfFile: path(in: folder), encoding: .utf8)) ?? ""
        let last = text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        return last.isEmpty ? "(the agent wrote nothing)" : last
    }
}
