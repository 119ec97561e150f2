import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

@Suite(.timeLimit(.minutes(5))) struct AuthTests {
    @Test func token_isIssuedForTheRightSecretOnly() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        defer { Task { await hub.stop() } }
        let tokens = try await hub.tokens()
        #expect(tokens.expiresIn == 900)
        #expect(tokens.accessToken.split(separator: ".").count == 3)
        let wrong = try await hub.send("POST", "/v1/auth/token", body: #"{"station_id":"station-1","secret":"nope","extra":1}"#)
        #expect(wrong.status == 401)
        #expect(wrong.errorCode == "invalid_credentials")
        let unauthenticated = try await hub.send("GET", "/v1/changes")
        #expect(unauthenticated.status == 401)
        #expect(unauthenticated.errorCode == "token_missing")
        let forged = try await hub.authorized("GET", "/v1/changes", token: tokens.accessToken + "x")
        #expect(forged.errorCode == "token_invalid")
        await hub.stop()
    }

    @Test func refresh_rotatesTheRefreshToken() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let first = try await hub.tokens()
        let body = try encode(CentralAPI.RefreshRequest(refreshToken: first.refreshToken))
        let refreshed = try await hub.send("POST", "/v1/auth/refresh", body: body)
        #expect(refreshed.status == 200)
        let second = try decode(CentralAPI.TokenResponse.self, refreshed)
        #expect(second.refreshToken != first.refreshToken)
        #expect(try await hub.authorized("GET", "/v1/changes?limit=1", token: second.accessToken).status == 200)
        let reused = try await hub.send("POST", "/v1/auth/refresh", body: body)
        #expect(reused.status == 401)
        #expect(reused.errorCode == "refresh_token_invalid")
        await hub.stop()
    }

    @Test func expiredAccessToken_gets401WithAReason() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let tokens = try await hub.tokens()
        #expect(try await hub.send("POST", "/admin/clock", body: #"{"advance_s": 901}"#).status == 200)
        let expired = try await hub.authorized("GET", "/v1/changes", token: tokens.accessToken)
        #expect(expired.status == 401)
        #expect(expired.errorCode == "token_expired")
        await hub.stop()
    }

    @Test func revokedStation_gets403() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let tokens = try await hub.tokens()
        #expect(try await hub.send("POST", "/admin/stations/station-1/revoke").status == 200)
        let refused = try await hub.authorized("GET", "/v1/changes", token: tokens.accessToken)
        #expect(refused.status == 403)
        #expect(refused.errorCode == "station_revoked")
        let body = try encode(CentralAPI.TokenRequest(stationID: "station-1", secret: hub.secrets["station-1"]!))
        #expect(try await hub.send("POST", "/v1/auth/token", body: body).status == 403)
        await hub.stop()
    }
}
