import Foundation
import WaybillCore

/// Reading instances and rate files, writing plans: the file side of `waybill pack`.
enum PackFiles {
    static func read(_ path: String) throws(PackError) -> Data {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PackError(.fileNotFound, path: path, "no such file; give a packing-bench instance (binpack-lab/instance/v1)")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PackError(.unreadable, path: path, "cannot be read (\(error.localizedDescription)); check its permissions")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, at path: String, schema: String) throws(PackError) -> T {
        let data = try read(path)
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw PackError(.malformed, path: path, "is not a valid \(schema): \(describe(error))")
        } catch {
            throw PackError(.malformed, path: path, "is not a valid \(schema): \(error)")
        }
    }

    /// The instance at `path`, checked for what the planner relies on.
    static func instance(at path: String) throws(PackError) -> PackingInstance {
        let instance = try decode(PackingInstance.self, at: path, schema: "packing-bench instance (binpack-lab/instance/v1)")
        if let problem = problem(in: instance) { throw PackError(.invalidInstance, path: path, problem) }
        return instance
    }

    /// The rate model at `path`, or packing-bench's built-in model.
    static func rates(at path: String?) throws(PackError) -> RateModel {
        guard let path else { return .packingBench }
        let model = try decode(RateModel.self, at: path, schema: "rate model (binpack-lab/rates/v1)")
        if model.services.isEmpty { throw PackError(.malformed, path: path, "has no services; a rate file needs at least one") }
        return model
    }

    static func write(_ solution: PackingSolution, to path: String?) throws(PackError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(solution)
        } catch {
            throw PackError(.unwritable, path: path ?? "stdout", "the plan cannot be encoded: \(error)")
        }
        guard let path else {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PackError(.unwritable, path: path, "cannot write the plan (\(error.localizedDescription)); check the folder exists and is writable")
        }
    }

    static func problem(in instance: PackingInstance) -> String? {
        if let box = instance.boxes.first(where: { $0.inner.count != 3 || $0.outer.count != 3 }) {
            return "box \(box.id) needs inner and outer as [L, W, H]"
        }
        if let item = instance.items.first(where: { $0.dims.count != 3 || $0.dims.contains { !($0 > 0) } }) {
            return "item \(item.id) needs dims as three positive lengths [L, W, H]"
        }
        if let item = instance.items.first(where: { instance.zoneByLocation[$0.location] == nil }) {
            return "item \(item.id) is at location \(item.location), which zone_by_location does not list"
        }
        if Set(instance.items.map(\.id)).count != instance.items.count { return "item ids must be unique" }
        if Set(instance.boxes.map(\.id)).count != instance.boxes.count { return "box ids must be unique" }
        return nil
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the top level" : path
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : path(context)
            return "missing key \(parent).\(key.stringValue)"
        case .typeMismatch(_, let context): return "wrong type at \(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "missing value at \(path(context))"
        case .dataCorrupted(let context): return "bad JSON at \(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
