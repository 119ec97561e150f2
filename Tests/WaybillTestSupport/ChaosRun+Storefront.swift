import Foundation
import WaybillCore
import WaybillHTTP
import WaybillStore

/// Storefront mode of the chaos harness: customers act in the store while the station works, and
/// the end is checked against what the Shopify and ShipEngine emulators recorded.
extension ChaosRun {
    /// A customer changes the address of an order the station has labelled (a relabel), or the store
    /// cancels one (an intercept), while the label printer is out of labels (its queue disabled by
    /// the caller), so the order cannot ship before the station hears of it; then waits for the
    /// conflict the station raises (relabel or intercept) and resolves it as the packer would.
    func changeInTheStore(
        _ station: AutonomousStation,
        _ store: WaybillStore,
        agent: AgentProcess,
        iteration: Int,
        random: inout SeededRandom,
        outcome: inout Outcome
    ) async throws {
        // An order whose labels were bought (their voids go to the provider) and wait for the
        // printer (it cannot ship before the station hears of the change).
        var candidates: [ReplicaOrder] = []
        try await agent.poll(timeout: .seconds(60), "no order got its labels while the label printer was out") {
            candidates = try station.stationOrders(store).filter { order in
                guard order.state == .labelled else { return false }
                let carrier = try store.orderLabels(orderID: order.id).filter { $0.kind == .carrier && !$0.voided }
                // Not yet handed to CUPS (a job submitted before the queue stopped may have printed unseen).
                return !carrier.isEmpty && carrier.contains { [nil, .spooled, .held].contains($0.printState) }
            }
            return !candidates.isEmpty
        }
        let order = candidates[Int.random(in: 0..<candidates.count, using: &random)]
        let conflictsBefore = try store.conflicts(openOnly: false).filter { $0.entityID == order.id }.count
        let hub = station.station.hub
        guard let number = Int(order.id.dropFirst(3)),
            let hubOrder = try await hub.emulatedStorefront().orders.first(where: { $0.number == number })?.orderID
        else { throw HubTestError("order \(order.id) is no fulfillment order of the storefront emulator") }
        // Every fourth change is a cancellation.
        let cancel = (outcome.addressEdits + outcome.cancellations) % 4 == 3
        let request: HTTPRequest
        if cancel {
            request = HTTPRequest(method: "POST", url: hub.base + "/admin/orders/\(hubOrder)/cancel")
            outcome.cancellations += 1
        } else {
            let address =
                #"{"name":"Moved \#(iteration)","street1":"\#(iteration) Chaos Road","city":"Oakland","region":"CA","postal_code":"94601","country":"US"}"#
            request = HTTPRequest(
                method: "POST",
                url: hub.base + "/admin/orders/\(hubOrder)/address",
                headers: [(name: "Content-Type", value: "application/json")],
                body: Array(address.utf8)
            )
            outcome.addressEdits += 1
        }
        let response = try await station.http.send(request)
        guard response.status == 200 else { throw HubTestError("\(request.method) \(request.url): \(response.status) \(response.text)") }
        // Its labels' jobs may have printed in CUPS unseen (before a kill): then it ships first, and
        // the change comes too late for a relabel or an intercept, as it can at a real bench.
        var heard = false
        try await agent.poll(timeout: .seconds(60), "the station never heard that order \(order.id) was \(cancel ? "cancelled" : "moved")") {
            heard = try store.conflicts(openOnly: false).filter { $0.entityID == order.id }.count > conflictsBefore
            return try heard || store.order(id: order.id)?.state == .shipped
        }
        if !heard {
            outcome.lateChanges += 1
            outcome.lateOrders.insert(order.id)
        }
        // The packer does what the conflict asks (swaps the label, or puts the parcel aside) and says so.
        for conflict in try store.conflicts(openOnly: true) where conflict.entityID == order.id {
            let resolved = try await station.waybill(
                ["conflicts", "resolve", String(conflict.id), "--keep", "central", "--note", "chaos: done as the rule asks"]
            )
            guard resolved.status == .exited(0) else {
                throw HubTestError("conflict #\(conflict.id) (\(conflict.rule)) was not resolved: \(resolved.standardError)")
            }
        }
    }

    /// Every order of the station shipped or cancelled, nothing waiting to be pushed, printed or voided.
    static func storefrontDrained(_ station: AutonomousStation, _ store: WaybillStore) throws -> Bool {
        let orders = try station.stationOrders(store)
        guard orders.contains(where: { $0.state == .shipped }), orders.allSatisfy({ $0.state == .shipped || $0.state == .cancelled }) else {
            return false
        }
        let status = try store.status()
        let voidsDue = try store.providerVoidsDue(provider: "shipengine")
        let givenUpDue = try store.abandonedLabelAttemptsDue(provider: "shipengine")
        return status.outboxDepth == 0 && [PrintJobState.spooled, .submitted, .held].allSatisfy { (status.printJobs[$0] ?? 0) == 0 }
            && voidsDue.isEmpty && givenUpDue.isEmpty
    }

    /// What the storefront and the shipping provider must show:
    /// - every shipped order fulfilled exactly once, with the tracking numbers of its boxes' live labels;
    /// - every cancelled order never fulfilled, its cancellation accepted;
    /// - every label bought once per key, and each one sold either on a shipped box or voided at the
    ///   provider (none left live after a relabel or an intercept);
    /// - no fulfillment order of the location left open, no dead letter.
    static func checkStorefront(_ station: AutonomousStation, _ store: WaybillStore, orders: [ReplicaOrder], into outcome: inout Outcome) async throws
    {
        let hub = station.station.hub
        let (fulfillmentOrders, fulfillments) = try await hub.emulatedStorefront()
        let sold = try await hub.emulatedLabels()
        outcome.fulfillments = fulfillments.count
        outcome.labelsSold = sold.count
        outcome.labelsVoided = sold.filter(\.voided).count

        var live: Set<String> = []
        for order in orders {
            let givenUp = try store.abandonedLabelAttempts(orderID: order.id)
            outcome.purchasesGivenUp += givenUp.count
            outcome.givenUpLabelsVoided += givenUp.filter { $0.outcome?.hasSuffix(" voided") == true }.count
            guard let number = Int(order.id.dropFirst(3)) else {
                outcome.problems.append("order \(order.id) is no fulfillment order")
                continue
            }
            let liveIDs = Set(try store.orderLabels(orderID: order.id).filter { $0.kind == .carrier && !$0.voided }.map(\.labelID))
            let tracking = Set(try store.carrierLabels(orderID: order.id).filter { liveIDs.contains($0.labelID) }.map(\.trackingNumber))
            let mine = fulfillments.filter { $0.fulfillmentOrder == number }
            let status = fulfillmentOrders.first { $0.number == number }?.status
            switch order.state {
            case .shipped:
                live.formUnion(liveIDs)
                // Each label on a box was bought for the address the order has now (unless it moved after shipping).
                if !outcome.lateOrders.contains(order.id) {
                    let shipTo = try store.packingInputs(orderID: order.id).order.shipTo
                    for label in sold where liveIDs.contains(label.labelID.uppercased()) {
                        let request = try JSONDecoder().decode(ShipEngineAPI.LabelRequest.self, from: Data(label.request.utf8))
                        if request.shipment.shipTo.addressLine1 != shipTo.street1 || request.shipment.shipTo.postalCode != shipTo.postalCode {
                            outcome.problems.append(
                                "label \(label.labelID) of order \(order.id) was bought for \(request.shipment.shipTo.addressLine1), "
                                    + "the order ships to \(shipTo.street1)"
                            )
                        }
                    }
                }
                if mine.count != 1 {
                    outcome.problems.append("order \(order.id) was fulfilled \(mine.count) times")
                } else if Set(mine[0].trackingNumbers) != tracking {
                    outcome.problems.append(
                        "order \(order.id) was fulfilled with \(mine[0].trackingNumbers.sorted()), its boxes carry \(tracking.sorted())"
                    )
                }
                if status != "CLOSED" { outcome.problems.append("order \(order.id) shipped, its fulfillment order is \(status ?? "missing")") }
            case .cancelled:
                if !mine.isEmpty { outcome.problems.append("order \(order.id) was cancelled here, yet fulfilled \(mine.count) times") }
                if !liveIDs.isEmpty { outcome.problems.append("order \(order.id) was cancelled with live carrier labels \(liveIDs.sorted())") }
                if status != "CANCELLED" {
                    outcome.problems.append("order \(order.id) was cancelled here, its fulfillment order is \(status ?? "missing")")
                }
            default:
                continue
            }
        }
        let known = Set(orders.compactMap { Int($0.id.dropFirst(3)) })
        for order in fulfillmentOrders where order.location == 1 && ["OPEN", "IN_PROGRESS"].contains(order.status) {
            outcome.problems.append(
                "fulfillment order \(order.number) is still \(order.status)\(known.contains(order.number) ? "" : ", never pulled")"
            )
        }

        let keys = sold.compactMap(\.externalShipmentID)
        if Set(keys).count != sold.count {
            outcome.problems.append("\(sold.count) labels sold under \(Set(keys).count) keys: some were bought twice")
        }
        let liveAtProvider = Set(sold.filter { !$0.voided }.map { $0.labelID.uppercased() })
        for label in liveAtProvider.subtracting(live).sorted() {
            outcome.problems.append("label \(label) is live at the provider but on no shipped box (never voided)")
        }
        for label in live.subtracting(liveAtProvider).sorted() {
            outcome.problems.append(
                "label \(label) is on a shipped box but \(sold.contains { $0.labelID.uppercased() == label } ? "voided" : "unknown") at the provider"
            )
        }
        if try store.status().deadLetters > 0 {
            outcome.problems.append("\(try store.status().deadLetters) operations became dead letters")
        }
    }
}
