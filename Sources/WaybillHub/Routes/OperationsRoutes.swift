import Hummingbird
import WaybillCore

extension HubState {
    func addOperationsRoutes(to router: Router<HubRequestContext>) {
        router.post("/v1/ops") { request, _ in
            try await self.faulted(.ops) { _ in
                try await self.guarded {
                    let stationID = try self.authenticate(request)
                    let batch = try await request.decode(CentralAPI.OperationBatch.self)
                    if let entity = self.refusals.refused(among: batch.ops.map(\.entityID)) {
                        return .error(
                            .unprocessableContent,
                            "operation_refused",
                            "the central system does not take operations on \(entity) (PUT /admin/ops/refuse); nothing in this batch was applied"
                        )
                    }
                    let result = try self.store.apply(batch.ops, stationID: stationID, now: self.clock.now)
                    return try .json(result)
                }
            }
        }
    }
}
