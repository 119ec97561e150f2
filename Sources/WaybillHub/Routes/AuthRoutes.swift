import Hummingbird
import WaybillCore

extension HubState {
    func addAuthRoutes(to router: Router<HubRequestContext>) {
        router.post("/v1/auth/token") { request, _ in
            try await self.faulted(.auth) { _ in
                try await self.guarded {
                    let body = try await request.decode(CentralAPI.TokenRequest.self)
                    guard let station = try self.store.authenticate(stationID: body.stationID, secret: body.secret) else {
                        return .error(.unauthorized, "invalid_credentials", "unknown station or wrong secret")
                    }
                    guard !station.revoked else {
                        return .error(.forbidden, "station_revoked", "station \(station.id) has been revoked; contact the central admin")
                    }
                    return try self.issueTokens(for: station.id)
                }
            }
        }
        router.post("/v1/auth/refresh") { request, _ in
            try await self.faulted(.auth) { _ in
                try await self.guarded {
                    let body = try await request.decode(CentralAPI.RefreshRequest.self)
                    guard let stationID = try self.store.consumeRefreshToken(body.refreshToken, now: self.clock.now) else {
                        return .error(
                            .unauthorized,
                            "refresh_token_invalid",
                            "the refresh token is unknown, used or expired; sign in with the station secret"
                        )
                    }
                    guard let station = try self.store.station(id: stationID), !station.revoked else {
                        return .error(.forbidden, "station_revoked", "station \(stationID) has been revoked; contact the central admin")
                    }
                    return try self.issueTokens(for: stationID)
                }
            }
        }
    }

    private func issueTokens(for stationID: String) throws -> HubReply {
        let now = clock.now
        let refresh = AccessTokens.refreshToken()
        try store.storeRefreshToken(refresh, stationID: stationID, expiresAt: now.addingTimeInterval(refreshLifetime))
        let access = try tokens.issue(stationID: stationID, now: now)
        return try .json(CentralAPI.TokenResponse(accessToken: access, refreshToken: refresh, expiresIn: Int(tokens.lifetime)))
    }
}
