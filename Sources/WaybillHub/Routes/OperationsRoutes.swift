import Hummingbird
import WaybillCore

extension HubState {
    func addOperationsRoutes(to router: Router<HubRequestContext>) {
        router.post("/v1/ops") { request, _ in
            try await self.faulted(.ops) { _ in
                try await self.guarded {
                    let stationID = try self.authenticate(request)
                    let batch = try await request.decode(CentralAPI.OperationBatch.self)
                    let result = try self.store.apply(batch.ops, stationID: stationID, now: self.clock.now)
                    return try .json(result)
                }
            }
        }
    }
}
