import Foundation
import Synchronization
import Testing
import WaybillCore

@testable import WaybillStation

/// PINs are kept as salted hashes, and wrong PINs pause a name and a computer.
@Suite struct StationSignInTests {
    @Test func aPINHash_matchesItsPINOnly_andNeverHoldsTheDigits() throws {
        let pin = try PackerPIN("2468")
        let stored = PINHash.make(pin, rounds: 1_000)
        #expect(PINHash.matches(pin, stored))
        #expect(!PINHash.matches(try PackerPIN("2469"), stored))
        #expect(!stored.contains("2468"))
        #expect(PINHash.make(pin, rounds: 1_000) != stored, "each hash has its own salt")
        for broken in ["", "2468", "pbkdf2-sha256$1000$$", stored.replacingOccurrences(of: "pbkdf2-sha256", with: "md5")] {
            #expect(!PINHash.matches(pin, broken), "\(broken)")
        }
    }

    @Test func namesAndPINs_outsideTheirRules_sayWhatIsExpected() {
        #expect(PackerName(rawValue: "j.smith") != nil)
        for bad in ["", "ana smith", "<b>", String(repeating: "a", count: 33)] {
            #expect(throws: PackerInputError.self) { try PackerName(bad) }
        }
        for bad in ["123", "12a4", "1234567890123", ""] {
            #expect(throws: PackerInputError.self) { try PackerPIN(bad) }
        }
        #expect(String(describing: try? PackerPIN(" 1234\n")).contains("4 digits"))
    }

    @Test func wrongPINs_pauseTheNameAfterFive_doubling_andARightOneForgetsThem() {
        let clock = Mutex(ContinuousClock.now)
        let sessions = StationSessions(perName: .init(free: 5), perComputer: .init(free: 20)) { clock.withLock { $0 } }
        for _ in 1...4 { #expect(sessions.miss(name: "ana", computer: "10.0.0.9") == nil) }
        #expect(sessions.pause(name: "ana", computer: "10.0.0.9") == nil)
        #expect(sessions.miss(name: "ana", computer: "10.0.0.9") == .seconds(30))
        #expect(sessions.pause(name: "ANA", computer: "10.0.0.1") == .seconds(30), "names count in any case")
        #expect(sessions.pause(name: "bo", computer: "10.0.0.9") == nil, "another name from the same computer may still try")
        clock.withLock { $0 += .seconds(31) }
        #expect(sessions.pause(name: "ana", computer: "10.0.0.9") == nil)
        #expect(sessions.miss(name: "ana", computer: "10.0.0.9") == .seconds(60))
        clock.withLock { $0 += .seconds(61) }
        sessions.hit(name: "ana")
        #expect(sessions.miss(name: "ana", computer: "10.0.0.9") == nil)
    }

    @Test func oneComputer_guessingManyNames_isPausedToo() {
        let sessions = StationSessions(perName: .init(free: 5), perComputer: .init(free: 20))
        for index in 1...19 { #expect(sessions.miss(name: "name\(index)", computer: "10.0.0.9") == nil) }
        #expect(sessions.miss(name: "name20", computer: "10.0.0.9") == .seconds(30))
        #expect(sessions.pause(name: "someone", computer: "10.0.0.9") != nil)
        #expect(sessions.pause(name: "someone", computer: "10.0.0.8") == nil)
    }

    @Test func aSession_lastsItsLifetime_andEndsWhenSignedOut() {
        let clock = Mutex(ContinuousClock.now)
        let sessions = StationSessions(lifetime: .seconds(3600)) { clock.withLock { $0 } }
        let (token, signIn) = sessions.start(name: "ana", supervisor: false)
        #expect(sessions.session(token: token) == signIn)
        #expect(signIn.csrf != token && signIn.csrf.count >= 43)
        #expect(sessions.session(token: token + "x") == nil)
        clock.withLock { $0 += .seconds(3601) }
        #expect(sessions.session(token: token) == nil, "expired")
        let (second, _) = sessions.start(name: "ana", supervisor: false)
        sessions.end(token: second)
        #expect(sessions.session(token: second) == nil)
    }

    @Test func tokens_matchOnlyWhenEveryByteIsTheSame() {
        let token = StationSessions.randomToken()
        #expect(StationSessions.tokensMatch(token, token))
        #expect(!StationSessions.tokensMatch(String(token.dropLast()) + (token.last == "A" ? "B" : "A"), token))
        #expect(!StationSessions.tokensMatch(String(token.dropLast()), token) && !StationSessions.tokensMatch("", token))
    }

    @Test func afterSignIn_onlyScreenPathsAreFollowed() {
        #expect(StationScreen.safeNext("/station/orders/O-1") == "/station/orders/O-1")
        for bad in [nil, "https://evil.example/", "//evil.example/station", "/station/sign-in", "/metrics"] {
            #expect(StationScreen.safeNext(bad) == "/station")
        }
    }
}
