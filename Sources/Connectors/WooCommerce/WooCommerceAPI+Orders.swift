import Foundation
import SyncCore

extension WooCommerceAPI {
    /// `GET orders?page=&per_page=&orderby=modified&order=asc[&modified_after=&dates_are_gmt=true]`.
    public func orders(page: Int = 1, perPage: Int = WooCommerceAPI.maxPageSize, modifiedAfter: Int64? = nil) -> StoreRequest {
        get("orders", WooCommerceAPI.paging(page, perPage) + [QueryItem("orderby", "modified"), QueryItem("order", "asc")]
            + WooCommerceAPI.modifiedAfter(modifiedAfter))
    }

    /// `GET orders/{id}`.
    public func order(id: String) -> StoreRequest { get("orders/\(id)") }

    /// What an order update changes; `nil` members are left alone.
    public struct OrderChanges: Sendable, Hashable {
        /// `pending`, `processing`, `on-hold`, `completed`, `cancelled`, `refunded`, `failed`.
        public var status: String?
        public var customerNote: String?
        public var shippingAddress: PostalAddress?

        public init(status: String? = nil, customerNote: String? = nil, shippingAddress: PostalAddress? = nil) {
            self.status = status
            self.customerNote = customerNote
            self.shippingAddress = shippingAddress
        }
    }

    /// `PUT orders/{id} {status?, customer_note?, shipping?}`.
    public func updateOrder(id: String, _ changes: OrderChanges) -> StoreRequest {
        var o: [String: JSONValue] = [:]
        if let s = changes.status { o["status"] = .string(s) }
        if let n = changes.customerNote { o["customer_note"] = .string(n) }
        if let a = changes.shippingAddress {
            var fields = WooCommerceAPI.addressFields(a)
            fields["phone"] = nil
            o["shipping"] = .object(fields)
        }
        return send(.put, "orders/\(id)", .object(o))
    }

    /// `PUT orders/{id} {"status": "cancelled"}` (WooCommerce restores stock).
    public func cancelOrder(id: String) -> StoreRequest { updateOrder(id: id, OrderChanges(status: "cancelled")) }

    /// `GET orders/{id}/refunds`.
    public func refunds(orderID: String, page: Int = 1, perPage: Int = WooCommerceAPI.maxPageSize) -> StoreRequest {
        get("orders/\(orderID)/refunds", WooCommerceAPI.paging(page, perPage))
    }
}
