import Foundation

/// The station secret lives in its own file, readable by its owner only (mode 0600).
public enum SecretFile {
    /// Checks the file's existence and mode without reading it.
    ///
    /// - Throws: ``ConfigurationError`` `.missingSecretFile` when it does not exist, `.insecureSecretFile`
    ///   when group or others may read or write it.
    public static func check(path: String, key: String = "central.secret_file") throws(ConfigurationError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ConfigurationError(
                .missingSecretFile,
                source: path,
                key: key,
                "the secrets file cannot be read (\(String(cString: strerror(errno)))); "
                    + "put the secret there with mode 0600, or point \(key) at it"
            )
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw ConfigurationError(
                .insecureSecretFile,
                source: path,
                key: key,
                "the secrets file has mode \(String(mode, radix: 8, uppercase: false).leftPadded(to: 4)), readable by "
                    + "group or others; run: chmod 600 \(path)"
            )
        }
    }

    /// Reads the secret (the file's text without surrounding white space) after ``check(path:)``.
    public static func read(path: String, key: String = "central.secret_file") throws(ConfigurationError) -> String {
        try check(path: path, key: key)
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        else {
            throw ConfigurationError(
                .missingSecretFile,
                source: path,
                key: key,
                "the secrets file is empty or not UTF-8 text"
            )
        }
        return text
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
