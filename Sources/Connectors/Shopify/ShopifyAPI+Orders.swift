import Foundation
import SyncCore

extension ShopifyAPI {
    /// `GET orders.json?limit=&status=any&updated_at_min=&fields=` (Shopify defaults to open orders only).
    public func orders(limit: Int = ShopifyAPI.maxPageSize, updatedAtMin: Int64? = nil, status: String = "any", fields: [String]? = nil) -> StoreRequest {
        let filters = [QueryItem("status", status)] + ShopifyAPI.timeFilter("updated_at_min", updatedAtMin)
        return get("orders", listQuery(limit: limit, filters: filters, fields: fields))
    }

    /// The following page of an order list.
    public func ordersPage(pageInfo: String, limit: Int = ShopifyAPI.maxPageSize, fields: [String]? = nil) -> StoreRequest {
        get("orders", pageQuery(pageInfo: pageInfo, limit: limit, fields: fields))
    }

    /// `GET orders/count.json?status=any[&updated_at_min=]`.
    public func ordersCount(updatedAtMin: Int64? = nil, status: String = "any") -> StoreRequest {
        get("orders/count", [QueryItem("status", status)] + ShopifyAPI.timeFilter("updated_at_min", updatedAtMin))
    }

    /// `GET orders/{id}.json`.
    public func order(id: String) -> StoreRequest { get("orders/\(id)") }

    /// What an order update changes; `nil` members are left alone (an empty note clears it).
    public struct OrderChanges: Sendable, Hashable {
        public var note: String?
        public var shippingAddress: PostalAddress?
        public var tags: String?

        public init(note: String? = nil, shippingAddress: PostalAddress? = nil, tags: String? = nil) {
            self.note = note
            self.shippingAddress = shippingAddress
            self.tags = tags
        }
    }

    /// `PUT orders/{id}.json {"order": {"id", note?, shipping_address?, tags?}}`.
    public func updateOrder(id: String, _ changes: OrderChanges) -> StoreRequest {
        var o: [String: JSONValue] = ["id": RequestBody.id(id)]
        if let note = changes.note { o["note"] = .string(note) }
        if let a = changes.shippingAddress { o["shipping_address"] = .object(ShopifyAPI.addressFields(a)) }
        if let tags = changes.tags { o["tags"] = .string(tags) }
        return send(.put, "orders/\(id)", ["order": .object(o)])
    }

    /// `POST orders/{id}/cancel.json {"reason", "email": false, "restock"}`.
    public func cancelOrder(id: String, reason: String = "other", restock: Bool = true, notifyCustomer: Bool = false) -> StoreRequest {
        send(.post, "orders/\(id)/cancel", ["reason": .string(reason), "email": .bool(notifyCustomer), "restock": .bool(restock)])
    }

    /// `POST orders/{id}/fulfillments.json {"fulfillment": {"location_id", "notify_customer": false}}`:
    /// fulfils every remaining unit (the legacy order fulfillment endpoint).
    public func fulfillOrder(id: String, locationID: String) -> StoreRequest {
        send(.post, "orders/\(id)/fulfillments", ["fulfillment": ["location_id": RequestBody.id(locationID), "notify_customer": false]])
    }

    /// `POST orders/{id}/close.json {}` (archive).
    public func closeOrder(id: String) -> StoreRequest { send(.post, "orders/\(id)/close", [:]) }

    /// `GET orders/{id}/refunds.json`.
    public func refunds(orderID: String) -> StoreRequest { get("orders/\(orderID)/refunds") }
}
