import Foundation
import SyncCore

/// Pure request builders for the WooCommerce REST API v3.
///
/// Every builder returns an UNSIGNED ``StoreRequest``: ``StoreClient`` adds Basic auth, the
/// query-string keys or an OAuth 1.0a signature. Paths are absolute from the site's origin
/// (`/wp-json/wc/v3/customers`); query items keep a fixed order.
///
/// ```swift
/// let api = WooCommerceAPI()
/// api.products(page: 1, modifiedAfter: cursor)
/// // GET /wp-json/wc/v3/products?page=1&per_page=100&orderby=modified&order=asc&modified_after=2026-11-29T15:00:05&dates_are_gmt=true
/// ```
public struct WooCommerceAPI: Sendable, Hashable {
    /// The REST namespace root, `/wp-json/wc/v3`.
    public let basePath: String
    /// The largest page WooCommerce serves.
    public static let maxPageSize = 100
    /// The most items one batch request may carry.
    public static let maxBatchItems = 100
    /// The `meta_data` key holding our entity id.
    public static let markerKey = "_oorden_entity_id"

    public init(basePath: String = "/wp-json/wc/v3") {
        self.basePath = basePath
    }

    /// `{basePath}/{resource}`.
    public func path(_ resource: String) -> String { basePath + "/" + resource }

    func get(_ resource: String, _ query: [QueryItem] = []) -> StoreRequest {
        StoreRequest(method: .get, path: path(resource), query: query, headers: ["Accept": "application/json"])
    }

    func send(_ method: StoreRequest.Method, _ resource: String, _ body: JSONValue, query: [QueryItem] = []) -> StoreRequest {
        StoreRequest(method: method, path: path(resource), query: query, headers: RequestBody.headers(), body: body.jsonData)
    }

    static func paging(_ page: Int, _ perPage: Int) -> [QueryItem] {
        [QueryItem("page", String(max(page, 1))), QueryItem("per_page", String(min(max(perPage, 1), maxPageSize)))]
    }

    /// `modified_after` in WooCommerce's GMT form plus `dates_are_gmt=true`.
    static func modifiedAfter(_ milliseconds: Int64?) -> [QueryItem] {
        guard let milliseconds else { return [] }
        return [QueryItem("modified_after", ISO8601Time.formatGMTNoZone(milliseconds)), QueryItem("dates_are_gmt", "true")]
    }

    static func markerMeta(_ marker: EntityID) -> JSONValue {
        ["key": .string(markerKey), "value": .string(marker.hex)]
    }

    // MARK: Settings and taxes

    /// `GET settings/general/woocommerce_currency` → `{"id": "woocommerce_currency", "value": "MXN"}`.
    public func currencySetting() -> StoreRequest { get("settings/general/woocommerce_currency") }

    /// `GET settings/tax/woocommerce_prices_include_tax` → `{"value": "yes" | "no"}`.
    public func pricesIncludeTaxSetting() -> StoreRequest { get("settings/tax/woocommerce_prices_include_tax") }

    /// `GET data/currencies/current` → `{"code": "MXN", ...}`.
    public func currentCurrency() -> StoreRequest { get("data/currencies/current") }

    /// `GET taxes?page=&per_page=`.
    public func taxes(page: Int = 1, perPage: Int = WooCommerceAPI.maxPageSize) -> StoreRequest {
        get("taxes", WooCommerceAPI.paging(page, perPage))
    }

    // MARK: Webhooks

    /// `POST webhooks {"name", "topic", "delivery_url", "secret", "status": "active"}`.
    public func createWebhook(name: String, topic: String, deliveryURL: String, secret: String) -> StoreRequest {
        send(.post, "webhooks", [
            "name": .string(name), "topic": .string(topic), "delivery_url": .string(deliveryURL), "secret": .string(secret),
            "status": "active",
        ])
    }

    /// `GET webhooks?page=&per_page=`.
    public func webhooks(page: Int = 1, perPage: Int = WooCommerceAPI.maxPageSize) -> StoreRequest {
        get("webhooks", WooCommerceAPI.paging(page, perPage))
    }

    /// `PUT webhooks/{id} {"status": …}`: `active` re-activates a webhook WooCommerce disabled after
    /// repeated delivery failures.
    public func updateWebhook(id: String, status: String) -> StoreRequest {
        send(.put, "webhooks/\(id)", ["status": .string(status)])
    }

    /// `DELETE webhooks/{id}?force=true`.
    public func deleteWebhook(id: String) -> StoreRequest {
        StoreRequest(method: .delete, path: path("webhooks/\(id)"), query: [QueryItem("force", "true")], headers: ["Accept": "application/json"])
    }

    // MARK: Batch

    /// `POST {resource}/batch {"create": [...], "update": [...], "delete": [ids]}`; WooCommerce accepts
    /// at most 100 items in total, so more is a ``WooCommerceBatchError``.
    public func batch(_ resource: String, create: [JSONValue] = [], update: [JSONValue] = [], delete: [String] = []) throws -> StoreRequest {
        let total = create.count + update.count + delete.count
        guard total <= WooCommerceAPI.maxBatchItems else {
            throw WooCommerceBatchError(
                code: "too_many_items",
                message: "a WooCommerce batch takes at most \(WooCommerceAPI.maxBatchItems) items, got \(total); split it into several batches")
        }
        var o: [String: JSONValue] = [:]
        if !create.isEmpty { o["create"] = .array(create) }
        if !update.isEmpty { o["update"] = .array(update) }
        if !delete.isEmpty { o["delete"] = .array(delete.map(RequestBody.id)) }
        return send(.post, "\(resource)/batch", .object(o))
    }
}

/// A batch request that WooCommerce would refuse.
public struct WooCommerceBatchError: Error, Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let message: String
    public var description: String { "\(code): \(message)" }
}
