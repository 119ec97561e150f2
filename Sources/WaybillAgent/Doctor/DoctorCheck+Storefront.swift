import Foundation
import Logging
import WaybillCore
import WaybillHTTP
import WaybillSync

extension DoctorCheck {
    /// `storefront answers` (`central.kind: storefront`): the location's first fulfillment order is
    /// asked for with the station's token, through the same cost bucket as sync.
    static func storefront(_ configuration: StationConfiguration) async -> [DoctorCheck] {
        guard let storefront = configuration.storefront else { return [] }
        let settings: ShopifySettings
        do {
            settings = try storefront.connector(stationID: configuration.stationID.rawValue)
        } catch {
            return [DoctorCheck(name: "storefront answers", ok: false, detail: "\(error)")]
        }
        let client = ShopifyClient(
            settings: settings,
            http: CurlHTTPClient(
                configuration: HTTPClientConfiguration(
                    connectTimeout: .seconds(5),
                    requestTimeout: .seconds(10),
                    userAgent: "waybill/\(WaybillVersion.current) doctor"
                )
            ),
            logger: Logger(label: "waybill.doctor")
        )
        do {
            let page = try await client.run(
                .assignedFulfillmentOrders,
                variables: ShopifyAPI.PageVariables(first: 1, after: nil, locationIds: [settings.locationID]),
                first: 1,
                as: ShopifyAPI.AssignedFulfillmentOrders.self
            ).assignedFulfillmentOrders
            let more = page.pageInfo.hasNextPage ? " and more" : ""
            return [
                DoctorCheck(
                    name: "storefront answers",
                    ok: true,
                    detail: "\(settings.endpoint): \(page.edges.count) fulfillment order\(more) assigned to \(settings.locationID)"
                )
            ]
        } catch {
            return [
                DoctorCheck(
                    name: "storefront answers",
                    ok: false,
                    detail: "\(settings.endpoint): \(error.message); check storefront.url, storefront.token_file and storefront.location_id"
                )
            ]
        }
    }
}
