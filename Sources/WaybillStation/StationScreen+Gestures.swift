import Foundation
import Hummingbird
import WaybillCore
import WaybillStore

extension StationScreen {
    func scan(_ who: StationSessions.SignIn, orderID: String, gesture: PackGesture, json: Bool) async throws -> Response {
        let packer = who.name
        let step: PackStep
        do {
            step = try await blocking { try $0.recordPackGesture(orderID: orderID, gesture: gesture, packer: packer) }
        } catch let error as StoreError {
            if json {
                return StationResponse.json(ScanAnswer(accepted: false, outcome: "error", message: error.message, panel: nil), status: .conflict)
            }
            return try await packPage(who, orderID: orderID, message: (error.message, "error"))
        }
        changed()
        logger.debug(
            "bench gesture",
            metadata: [
                "order": "\(orderID)", "gesture": "\(gesture.kind)", "outcome": "\(step.outcome.code)", "seq": "\(step.operation.seq)",
                "packer": "\(packer)",
            ]
        )
        let tone = step.outcome.isAccepted ? "ok" : "error"
        guard json else { return StationResponse.html(render(session: step.session, who: who, message: (step.message, tone)), status: .ok) }
        return StationResponse.json(
            ScanAnswer(accepted: step.outcome.isAccepted, outcome: step.outcome.code, message: step.message, panel: panel(step.session, who)),
            status: .ok
        )
    }

    func weigh(_ who: StationSessions.SignIn, orderID: String, box: Int?, weight: String?, json: Bool) async throws -> Response {
        let text = (weight ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard let box, let pounds = Double(text.hasSuffix("lb") ? String(text.dropLast(2)).trimmingCharacters(in: .whitespaces) : text) else {
            return try await answer(
                who,
                orderID: orderID,
                accepted: false,
                outcome: "error",
                message: "Type the box's weight in pounds, such as 2.45.",
                json: json
            )
        }
        return try await record(who, orderID: orderID, box: box, pounds: pounds, source: .manual, json: json)
    }

    /// Weighs a box with the scale's stable reading, read here (never a number the page sends).
    func weighOnScale(_ who: StationSessions.SignIn, orderID: String, box: Int?, json: Bool) async throws -> Response {
        guard let box else {
            return try await answer(who, orderID: orderID, accepted: false, outcome: "error", message: "Choose the box to weigh.", json: json)
        }
        guard let status = scale?() else {
            let message = "This station has no scale: type the box's weight."
            return try await answer(who, orderID: orderID, accepted: false, outcome: "error", message: message, json: json)
        }
        guard let pounds = status.stableWeightLb else {
            let message = "The scale shows no stable weight (\(status.description)). Wait for it to settle, or type the weight."
            return try await answer(who, orderID: orderID, accepted: false, outcome: "error", message: message, json: json)
        }
        return try await record(who, orderID: orderID, box: box, pounds: pounds, source: .scale, json: json)
    }

    private func record(
        _ who: StationSessions.SignIn,
        orderID: String,
        box: Int,
        pounds: Double,
        source: WeightSource,
        json: Bool
    ) async throws -> Response {
        let (packer, check) = (who.name, weightCheck)
        do {
            let weight = try await blocking {
                try $0.recordBoxWeight(orderID: orderID, boxNo: box, measuredLb: pounds, source: source, check: check, packer: packer)
            }
            changed()
            let message =
                weight.accepted
                ? String(format: "Box %d weighs %.2f lb, as expected: its labels print now.", box, pounds)
                : String(
                    format:
                        "Box %d weighs %.2f lb but should weigh %.2f ± %.2f lb. Check its contents and weigh it again, or a supervisor overrides with a reason.",
                    box,
                    pounds,
                    weight.expectedLb,
                    weight.allowedLb
                )
            let outcome = weight.accepted ? "within" : "mismatch"
            return try await answer(who, orderID: orderID, accepted: weight.accepted, outcome: outcome, message: message, json: json)
        } catch let error as StoreError {
            return try await answer(who, orderID: orderID, accepted: false, outcome: "error", message: error.message, json: json)
        }
    }

    /// A supervisor accepts a weight mismatch with a reason: the signed-in packer when they are
    /// one, otherwise whoever's supervisor PIN comes with the form (recorded as the one who accepted).
    func override(_ context: StationRequestContext, orderID: String, form: StationForm, json: Bool) async throws -> Response {
        let who = context.who
        func refuse(_ message: String) async throws -> Response {
            try await answer(who, orderID: orderID, accepted: false, outcome: "error", message: message, json: json)
        }
        guard let box = form.box else { return try await refuse("Choose the box to override.") }
        let approver: String
        if who.supervisor {
            approver = who.name
        } else {
            switch try await supervisor(pin: form.supervisorPin ?? "", computer: context.computer) {
            case .approved(let name): approver = name
            case .refused(let message): return try await refuse(message)
            }
        }
        let reason = form.reason ?? ""
        do {
            _ = try await blocking { try $0.overrideBoxWeight(orderID: orderID, boxNo: box, reason: reason, packer: approver) }
            changed()
            let message =
                "Box \(box)'s weight accepted by \(approver) (\(reason.trimmingCharacters(in: .whitespaces))): its labels print now."
            return try await answer(who, orderID: orderID, accepted: true, outcome: "override", message: message, json: json)
        } catch let error as StoreError {
            return try await refuse(error.message)
        }
    }
}

/// What a gesture answers to the page's script.
struct ScanAnswer: Encodable {
    let accepted: Bool
    let outcome: String
    let message: String
    let panel: String?
}

/// `GET /station/scale`: whether the station has a scale, and what it shows.
struct ScaleAnswer: Encodable {
    let present: Bool
    let connected: Bool
    let stableLb: Double?
    let text: String

    init(_ status: ScaleStatus?) {
        present = status != nil
        connected = status?.connected ?? false
        stableLb = status?.stableWeightLb
        text = status?.description ?? "no scale: type each box's weight"
    }
}
