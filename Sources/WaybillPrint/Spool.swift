import Foundation
import Glibc
import Synchronization

/// The folder where labels wait, durably, until their printer has printed them.
///
/// ``write(_:named:)`` makes a label survive a crash or power cut the moment it returns: the bytes go
/// to a temporary file that is fsynced, renamed into place and followed by an fsync of the folder.
/// A reader therefore sees either the whole label or no file at all.
public struct Spool: Sendable {
    /// The spool folder.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The path a label named `name` has in the spool.
    public func path(for name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Creates the spool folder (and its parents) when absent, with mode 0750.
    public func prepare() throws(SpoolError) {
        var current = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o750) != 0, errno != EEXIST {
                throw SpoolError(path: current, operation: "create folder", errno: errno)
            }
        }
    }

    /// Writes `bytes` as the spool file `name`, durably, replacing any earlier file of that name.
    ///
    /// - Parameter name: a plain file name (no `/`), such as `L-1234.zpl`.
    /// - Returns: the file's path.
    @discardableResult
    public func write(_ bytes: [UInt8], named name: String) throws(SpoolError) -> String {
        precondition(!name.isEmpty && !name.contains("/"), "spool file names are plain names")
        try prepare()
        let final = path(for: name)
        let temporary = path(for: ".\(name).\(getpid()).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw SpoolError(path: temporary, operation: "create", errno: errno) }
        do throws(SpoolError) {
            try Self.writeAll(bytes, to: descriptor, path: temporary)
            guard fsync(descriptor) == 0 else { throw SpoolError(path: temporary, operation: "fsync", errno: errno) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, final) == 0 else {
            let failure = SpoolError(path: final, operation: "rename", errno: errno)
            unlink(temporary)
            throw failure
        }
        try syncDirectory()
        return final
    }

    /// Writes several labels, each as durably as ``write(_:named:)``, with fewer disk flushes: all
    /// temporary files are written first, then fsynced (the first flush commits the journal for all),
    /// renamed, and the folder fsynced once. When it throws, no temporary file is left; labels
    /// already renamed into place stay (each is whole).
    ///
    /// - Returns: the files' paths, in order.
    @discardableResult
    public func write(batch files: [(name: String, bytes: [UInt8])]) throws(SpoolError) -> [String] {
        try prepare()
        var temporaries: [(descriptor: Int32, path: String)] = []
        defer {
            for temporary in temporaries {
                if temporary.descriptor >= 0 { close(temporary.descriptor) }
                unlink(temporary.path)
            }
        }
        for file in files {
            precondition(!file.name.isEmpty && !file.name.contains("/"), "spool file names are plain names")
            let temporary = path(for: ".\(file.name).\(getpid()).tmp")
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else { throw SpoolError(path: temporary, operation: "create", errno: errno) }
            temporaries.append((descriptor, temporary))
            try Self.writeAll(file.bytes, to: descriptor, path: temporary)
        }
        // Flushing from several threads at once lets ext4 commit them in one journal transaction
        // (measured here: ~1 ms per label in a batch of 200, against ~5 ms one after another).
        let failures = Self.fsyncConcurrently(temporaries.map(\.descriptor))
        if let failure = failures.firstIndex(where: { $0 != 0 }) {
            throw SpoolError(path: temporaries[failure].path, operation: "fsync", errno: failures[failure])
        }
        for index in temporaries.indices {
            close(temporaries[index].descriptor)
            temporaries[index].descriptor = -1
        }
        var finals: [String] = []
        for (index, file) in files.enumerated() {
            let final = path(for: file.name)
            guard rename(temporaries[index].path, final) == 0 else { throw SpoolError(path: final, operation: "rename", errno: errno) }
            finals.append(final)
        }
        temporaries.removeAll()
        try syncDirectory()
        return finals
    }

    /// Reads a spool file whole.
    public func read(named name: String) throws(SpoolError) -> [UInt8] {
        let file = path(for: name)
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SpoolError(path: file, operation: "open", errno: errno) }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: file, operation: "read", errno: errno)
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Checks that the spool folder exists (creating it if needed) and accepts a durable write.
    public func checkWritable() throws(SpoolError) {
        let probe = ".waybill-probe-\(getpid())"
        try write(Array("probe".utf8), named: probe)
        unlink(path(for: probe))
    }

    /// fsyncs `descriptors` from up to 16 threads; returns each one's errno (0: flushed).
    ///
    /// The calling thread flushes too, taking descriptors until none is left, then waits for the
    /// ones other threads are still flushing: a helper thread that never started costs speed, not
    /// a wait that never ends.
    private static func fsyncConcurrently(_ descriptors: [Int32]) -> [Int32] {
        /// The descriptors not yet taken, the results so far and how many are flushed.
        final class Flushes: Sendable {
            let descriptors: [Int32]
            let state: Mutex<(next: Int, results: [Int32], flushed: Int)>
            /// Signalled once, by whoever flushes the last descriptor.
            let allFlushed = DispatchSemaphore(value: 0)
            init(_ descriptors: [Int32]) {
                self.descriptors = descriptors
                state = Mutex((0, Array(repeating: 0, count: descriptors.count), 0))
            }
            /// Flushes descriptors until none is left to take.
            func run() {
                while true {
                    let index = state.withLock { state in
                        defer { state.next += 1 }
                        return state.next
                    }
                    guard index < descriptors.count else { return }
                    let result = fsync(descriptors[index]) == 0 ? 0 : errno
                    let last = state.withLock { state in
                        state.results[index] = result
                        state.flushed += 1
                        return state.flushed == descriptors.count
                    }
                    if last { allFlushed.signal() }
                }
            }
        }
        guard !descriptors.isEmpty else { return [] }
        let flushes = Flushes(descriptors)
        for _ in 0..<min(16, descriptors.count - 1) {
            Thread { flushes.run() }.start()
        }
        flushes.run()
        flushes.allFlushed.wait()
        return flushes.state.withLock { $0.results }
    }

    private func syncDirectory() throws(SpoolError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SpoolError(path: directory, operation: "open folder", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SpoolError(path: directory, operation: "fsync folder", errno: errno) }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(SpoolError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: path, operation: "write", errno: errno)
            }
            offset += written
        }
    }
}
