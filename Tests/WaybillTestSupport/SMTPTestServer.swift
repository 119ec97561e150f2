import Foundation
import Glibc

/// A real SMTP server on loopback for the shift report's tests: aiosmtpd (`python3-aiosmtpd`)
/// driven by `Fixtures/smtp_server.py`, with STARTTLS and AUTH when asked, scripted refusals, and
/// a hold that keeps a message's `DATA` unanswered (to kill its sender mid-send).
public final class SMTPTestServer: @unchecked Sendable {
    public let port: Int
    /// Where accepted messages are written (`0001.eml`, …), each with `X-Envelope-From`,
    /// `X-Envelope-To` and `X-TLS` lines first.
    public let maildir: String
    /// The server's self-signed certificate (trust it with `smtp.ca_file`); nil without TLS.
    public let certificate: String?
    private let pid: pid_t

    /// Starts the server and waits until it listens.
    /// - Parameters:
    ///   - tls: offer STARTTLS and require it.
    ///   - auth: `(user, password)` to require.
    ///   - refuse: answer the first `count` messages with `code`.
    ///   - hold: keep `DATA` unanswered while ``isHolding`` (see ``release()``).
    public init(
        in folder: TemporaryDirectory,
        tls: Bool = true,
        auth: (String, String)? = nil,
        refuse: (count: Int, code: Int)? = nil,
        hold: Bool = false
    )
        async throws
    {
        port = try LoopbackPort.free()
        maildir = folder.file("mail")
        try FileManager.default.createDirectory(atPath: maildir, withIntermediateDirectories: true)
        var arguments = ["/usr/bin/python3", Self.script, "\(port)", maildir]
        if tls {
            let (cert, key) = (folder.file("smtp-cert.pem"), folder.file("smtp-key.pem"))
            try ChildProcess.run([
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
            ])
            arguments += ["--tls", cert, key]
            certificate = cert
        } else {
            certificate = nil
        }
        if let auth { arguments += ["--auth", "\(auth.0):\(auth.1)"] }
        if let refuse { arguments += ["--refuse", "\(refuse.count)", "\(refuse.code)"] }
        if hold {
            arguments.append("--hold")
            _ = FileManager.default.createFile(atPath: maildir + "/hold", contents: nil)
        }
        pid = try ChildProcess.spawn(arguments, logPath: folder.file("smtp.log"))
        let (ready, pid) = (maildir + "/ready", pid)
        try await ChildProcess.poll(
            timeout: .seconds(30),
            "the SMTP server did not start: \((try? String(contentsOfFile: folder.file("smtp.log"), encoding: .utf8)) ?? "")"
        ) {
            if ChildProcess.hasExited(pid) { throw TestSupportError("the SMTP server exited; is python3-aiosmtpd installed?") }
            return FileManager.default.fileExists(atPath: ready)
        }
    }

    deinit {
        ChildProcess.signalAndWait(pid, SIGTERM)
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/smtp_server.py").path

    /// `smtp://127.0.0.1:PORT`.
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// The messages accepted so far, in order, as received.
    public func messages() -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: maildir)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { try? String(contentsOfFile: maildir + "/" + $0, encoding: .utf8) }
    }

    /// Whether a held message waits for its answer.
    public var isHolding: Bool { FileManager.default.fileExists(atPath: maildir + "/holding") }

    /// Ends the hold: the waiting message is answered 451 and not kept; later ones are accepted.
    public func release() {
        unlink(maildir + "/hold")
    }
}
