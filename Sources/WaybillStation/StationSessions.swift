import Crypto
import Foundation
import Synchronization

/// Who is signed in at the station's screens, and how many wrong PINs each name and each
/// computer typed lately. Kept in memory: a restarted agent asks packers to sign in again.
public final class StationSessions: Sendable {
    /// A signed-in packer (or, on a station without packers, the station itself at its own screen).
    public struct SignIn: Sendable, Equatable {
        /// The name recorded with every gesture.
        public let name: String
        /// Whether this person may accept a weight mismatch without a supervisor's PIN.
        public let supervisor: Bool
        /// The token every state-changing request of this session carries.
        public let csrf: String
        /// Whether this is a named packer's session (`false`: the station's own, at its console).
        public let named: Bool
        /// The packer's PIN hash when the session started: a new PIN (`waybill packers add
        /// --replace`) ends every session the old one started.
        var credential = ""
    }

    /// The wrong-PIN policy: `free` misses, then a pause that doubles with each further miss.
    public struct Limit: Sendable {
        public var free: Int
        public var firstPause: Duration
        public var longestPause: Duration

        public init(free: Int, firstPause: Duration = .seconds(30), longestPause: Duration = .seconds(900)) {
            self.free = free
            self.firstPause = firstPause
            self.longestPause = longestPause
        }

        /// The pause after `misses` misses in a row, or `nil` while they are free.
        func pause(after misses: Int) -> Duration? {
            guard misses >= free else { return nil }
            let doublings = min(misses - free, 10)
            return min(firstPause * (1 << doublings), longestPause)
        }
    }

    private struct Misses {
        var count = 0
        var pausedUntil: ContinuousClock.Instant?
    }

    private struct State {
        var sessions: [String: (signIn: SignIn, expires: ContinuousClock.Instant)] = [:]
        var misses: [String: Misses] = [:]
    }

    /// How long a sign-in lasts without signing out: a long shift.
    public let lifetime: Duration
    /// Misses allowed per name before a pause.
    public let perName: Limit
    /// Misses allowed per computer (all names together) before a pause.
    public let perComputer: Limit
    /// The token of requests made without a session (the station's own console).
    public let anonymousCSRF = StationSessions.randomToken()
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())

    public init(
        lifetime: Duration = .seconds(12 * 3600),
        perName: Limit = Limit(free: 5),
        perComputer: Limit = Limit(free: 20),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.lifetime = lifetime
        self.perName = perName
        self.perComputer = perComputer
        self.now = now
    }

    /// Starts a session for `name`, signed in with the PIN whose hash is `credential`; returns its
    /// cookie token.
    public func start(name: String, supervisor: Bool, credential: String = "") -> (token: String, signIn: SignIn) {
        let token = Self.randomToken()
        let signIn = SignIn(name: name, supervisor: supervisor, csrf: Self.randomToken(), named: true, credential: credential)
        let expires = now() + lifetime
        state.withLock { $0.sessions[token] = (signIn, expires) }
        return (token, signIn)
    }

    /// The session of a cookie token, or `nil` when there is none or it expired.
    public func session(token: String) -> SignIn? {
        let now = now()
        return state.withLock { state in
            guard let entry = state.sessions[token] else { return nil }
            guard entry.expires > now else {
                state.sessions[token] = nil
                return nil
            }
            return entry.signIn
        }
    }

    /// Whether two tokens are the same, in a time that does not depend on where they differ (a
    /// guesser learns nothing from how fast a wrong token is refused).
    public static func tokensMatch(_ sent: String, _ expected: String) -> Bool {
        let (sent, expected) = (Array(sent.utf8), Array(expected.utf8))
        guard sent.count == expected.count else { return false }
        return zip(sent, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Ends the session of `token`.
    public func end(token: String) {
        _ = state.withLock { $0.sessions.removeValue(forKey: token) }
    }

    /// How long `name` or `computer` must still wait before another PIN is tried, or `nil`.
    public func pause(name: String, computer: String) -> Duration? {
        let now = now()
        return state.withLock { state in
            [Self.key(name: name), Self.key(computer: computer)].compactMap { key -> Duration? in
                guard let until = state.misses[key]?.pausedUntil, until > now else { return nil }
                return until - now
            }.max()
        }
    }

    /// Counts a wrong PIN; returns the pause it starts, if any.
    @discardableResult
    public func miss(name: String, computer: String) -> Duration? {
        let now = now()
        return state.withLock { state in
            if state.misses.count > 10_000 { state.misses = state.misses.filter { ($0.value.pausedUntil ?? now) > now } }
            var longest: Duration?
            for (key, limit) in [(Self.key(name: name), perName), (Self.key(computer: computer), perComputer)] {
                var misses = state.misses[key, default: Misses()]
                misses.count += 1
                if let pause = limit.pause(after: misses.count) {
                    misses.pausedUntil = now + pause
                    longest = max(longest ?? pause, pause)
                }
                state.misses[key] = misses
            }
            return longest
        }
    }

    /// Forgets `name`'s misses after a right PIN (the computer's stay counted).
    public func hit(name: String) {
        _ = state.withLock { $0.misses.removeValue(forKey: Self.key(name: name)) }
    }

    private static func key(name: String) -> String { "name:" + name.lowercased() }
    private static func key(computer: String) -> String { "computer:" + computer }

    /// 32 random bytes, base64url without padding (a cookie and form value as it is).
    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
