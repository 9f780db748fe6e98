import Foundation
import SyncCore

/// Pure request builders for the Shopify Admin REST API (one API version).
///
/// Every builder returns an UNSIGNED ``StoreRequest`` (no auth header): ``StoreClient`` applies the
/// credentials. Paths are absolute from the shop's origin; query items keep a fixed order so the
/// same call always yields the same request.
///
/// ```swift
/// let api = ShopifyAPI(version: "2024-10")
/// let first = api.customers(limit: 250, updatedAtMin: cursor)
/// // GET /admin/api/2024-10/customers.json?limit=250&updated_at_min=2026-11-29T15:00:05Z
/// let next = ShopifyPage.nextPageInfo(from: response.headers).map { api.customersPage(pageInfo: $0) }
/// ```
public struct ShopifyAPI: Sendable, Hashable {
    /// The `YYYY-MM` API version in every path.
    public let version: String
    /// The largest page Shopify serves.
    public static let maxPageSize = 250
    /// The metafield namespace and key holding our entity id.
    public static let markerNamespace = "oorden"
    public static let markerKey = "entity_id"

    public init(version: String = "2024-10") {
        self.version = version
    }

    /// `/admin/api/{version}/{resource}.json`.
    public func path(_ resource: String) -> String {
        "/admin/api/\(version)/\(resource).json"
    }

    func get(_ resource: String, _ query: [QueryItem] = []) -> StoreRequest {
        StoreRequest(method: .get, path: path(resource), query: query, headers: ["Accept": "application/json"])
    }

    func send(_ method: StoreRequest.Method, _ resource: String, _ body: JSONValue) -> StoreRequest {
        StoreRequest(method: method, path: path(resource), headers: RequestBody.headers(), body: body.jsonData)
    }

    func delete(_ resource: String) -> StoreRequest {
        StoreRequest(method: .delete, path: path(resource), headers: ["Accept": "application/json"])
    }

    /// The query of a first list page: `limit`, then the filters, then `fields`.
    func listQuery(limit: Int, filters: [QueryItem], fields: [String]?) -> [QueryItem] {
        var q = [QueryItem("limit", String(min(max(limit, 1), ShopifyAPI.maxPageSize)))]
        q += filters
        if let fields, !fields.isEmpty { q.append(QueryItem("fields", fields.joined(separator: ","))) }
        return q
    }

    /// The query of a following page: with `page_info` Shopify accepts only `limit` and `fields`.
    func pageQuery(pageInfo: String, limit: Int, fields: [String]?) -> [QueryItem] {
        var q = [QueryItem("limit", String(min(max(limit, 1), ShopifyAPI.maxPageSize))), QueryItem("page_info", pageInfo)]
        if let fields, !fields.isEmpty { q.append(QueryItem("fields", fields.joined(separator: ","))) }
        return q
    }

    /// `updated_at_min` in UTC ISO 8601 (`2026-11-29T15:00:05Z`).
    static func timeFilter(_ name: String, _ milliseconds: Int64?) -> [QueryItem] {
        guard let milliseconds else { return [] }
        return [QueryItem(name, ISO8601Time.format(milliseconds, zulu: true))]
    }

    /// The inline metafield that marks a record we created.
    static func markerMetafield(_ marker: EntityID) -> JSONValue {
        [
            "namespace": .string(markerNamespace), "key": .string(markerKey), "value": .string(marker.hex),
            "type": "single_line_text_field",
        ]
    }

    // MARK: Shop

    /// `GET shop.json`: currency, taxes_included, timezone, primary location.
    public func shop() -> StoreRequest { get("shop") }

    // MARK: Webhooks

    /// `POST webhooks.json {"webhook": {"topic", "address", "format": "json"}}`.
    public func registerWebhook(topic: String, address: String) -> StoreRequest {
        send(.post, "webhooks", ["webhook": ["topic": .string(topic), "address": .string(address), "format": "json"]])
    }

    /// `GET webhooks.json?limit=250`.
    public func webhooks(limit: Int = ShopifyAPI.maxPageSize) -> StoreRequest {
        get("webhooks", listQuery(limit: limit, filters: [], fields: nil))
    }

    /// `DELETE webhooks/{id}.json`.
    public func deleteWebhook(id: String) -> StoreRequest { delete("webhooks/\(id)") }
}
