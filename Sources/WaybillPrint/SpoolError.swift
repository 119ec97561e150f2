import Glibc

/// A label could not be written to, or read from, the spool. Nothing was half-written.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    /// The file or folder involved.
    public let path: String
    /// The operation that failed (`create`, `write`, `fsync`, `rename`, ...).
    public let operation: String
    /// The system's `errno`.
    public let errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        "spool: \(operation) \(path) failed: \(String(cString: strerror(errno))); "
            + "check that the spool folder exists, is writable by the agent's user and its disk is not full"
    }
}
