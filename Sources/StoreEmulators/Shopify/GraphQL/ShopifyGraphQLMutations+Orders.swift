internal import GraphQL
import SyncCore

/// `orderUpdate`, `orderCancel` and `fulfillmentCreate`, through the REST-side order functions
/// (their validation, `updated_at`, stock and `orders/*` webhooks).
extension ShopifyGraphQLMutations {
    /// `orderUpdate(input:)` → `{ order userErrors }`; `shippingAddress` merges into the address.
    func orderUpdate(_ args: Map) -> ShopifyGraphQLObject {
        let input = ShopifyGraphQLInput.object(args["input"])
        let result = attempt { s -> Int in
            guard let id = ShopifyGlobalID.parse(input["id"]?.string, type: "Order"), s.orders[id] != nil else {
                throw ShopifyUserError(["id"], "Order does not exist")
            }
            var fields: [String: JSONValue] = [:]
            for key in ["email", "note", "tags"] { ShopifyGraphQLInput.copy(input, key, to: key, into: &fields) }
            if let a = input["shippingAddress"] {
                var address = a.isNull ? .null : Self.addressFields(a.object ?? [:])
                if case .object(var o) = address { o["id"] = nil; address = .object(o) }
                fields["shipping_address"] = address
            }
            _ = try s.updateOrder(id, fields)
            return id
        }
        let view = self.view
        return .values(["order": (try? result.get()).flatMap { view.shop.orders[$0] }.map(view.order), "userErrors": Self.objects(result)])
    }

    /// `orderCancel(orderId:reason:refund:refundMethod:restock:notifyCustomer:staffNote:)` →
    /// `{ job { id done } orderCancelUserErrors userErrors }`. Shopify cancels in a background job;
    /// the emulator cancels at once and answers a job that is already `done`. Money is refunded
    /// when `refund` is true or `refundMethod` names a method (`refund` is deprecated since 2025-07).
    func orderCancel(_ args: Map) -> ShopifyGraphQLObject {
        let method = ShopifyGraphQLInput.object(args["refundMethod"])
        let refund = args["refund"].bool ?? (method["originalPaymentMethodsRefund"]?.bool == true || method["storeCreditRefund"].map { !$0.isNull } == true)
        let result = attempt(code: "INVALID") { s -> String in
            guard let id = ShopifyGlobalID.parse(args["orderId"].string, type: "Order"), s.orders[id] != nil else {
                throw ShopifyUserError(["orderId"], "Order does not exist", code: "NOT_FOUND")
            }
            _ = try s.cancelOrder(id, ["reason": .string((args["reason"].string ?? "OTHER").lowercased()), "restock": .bool(args["restock"].bool ?? false),
                                       "refund": .bool(refund)])
            return s.randomUUID()
        }
        let job = (try? result.get()).map { ShopifyGraphQLObject.values(["id": "gid://shopify/Job/\($0)", "done": true]) }
        var plain: [(any Sendable)?] = []
        if case .failure(let errors) = result {
            plain = errors.list.map { e -> (any Sendable)? in ShopifyUserError(e.field, e.message).object }
        }
        return .values(["job": job, "orderCancelUserErrors": Self.objects(result), "userErrors": plain])
    }

    /// `fulfillmentCreate(fulfillment:message:)` → `{ fulfillment userErrors }`. Each order has one
    /// fulfillment order (``ShopifyGraphQLRoot/fulfillmentOrder(_:)``); its line items without
    /// quantities mean every remaining unit.
    func fulfillmentCreate(_ args: Map) -> ShopifyGraphQLObject {
        let input = ShopifyGraphQLInput.object(args["fulfillment"])
        let result = attempt(prefix: ["fulfillment"]) { s -> JSONValue in
            var last: JSONValue = .null
            for (i, group) in (input["lineItemsByFulfillmentOrder"]?.array ?? []).enumerated() {
                guard let id = ShopifyGlobalID.parse(group["fulfillmentOrderId"]?.string, type: "FulfillmentOrder"), s.orders[id] != nil else {
                    throw ShopifyUserError(["fulfillment", "lineItemsByFulfillmentOrder", String(i), "fulfillmentOrderId"], "Fulfillment order does not exist.")
                }
                var fields: [String: JSONValue] = [:]
                if let lines = group["fulfillmentOrderLineItems"]?.array {
                    fields["line_items"] = .array(lines.map { l in
                        ["id": ShopifyGlobalID.parse(l["id"]?.string, type: "FulfillmentOrderLineItem").map { .integer($0) } ?? .null,
                         "quantity": l["quantity"] ?? .null]
                    })
                }
                last = try s.fulfillOrder(id, fields)["fulfillment"] ?? .null
            }
            guard !last.isNull else { throw ShopifyUserError(["fulfillment", "lineItemsByFulfillmentOrder"], "Line items by fulfillment order can't be blank") }
            return last
        }
        let view = self.view
        return .values(["fulfillment": (try? result.get()).map(view.fulfillment), "userErrors": Self.objects(result)])
    }
}

extension ShopifyGraphQLRoot {
    /// `Fulfillment` from the REST fulfilment JSON.
    func fulfillment(_ f: JSONValue) -> ShopifyGraphQLObject {
        .values([
            "id": f["id"]?.int.map { ShopifyGlobalID.make("Fulfillment", $0) }, "name": f["name"]?.string,
            "status": Map.string((f["status"]?.string ?? "success").uppercased()), "createdAt": f["created_at"]?.string, "updatedAt": f["updated_at"]?.string,
        ])
    }

    /// The one fulfillment order the emulator keeps per order (same number as the order): every
    /// line item, `OPEN` until something ships, `IN_PROGRESS` while partly fulfilled, `CLOSED` when
    /// nothing remains, `CANCELLED` with the order.
    func fulfillmentOrder(_ o: ShopifyOrder) -> ShopifyGraphQLObject {
        let remaining = o.lineItems.reduce(0) { $0 + max(0, $1.quantity - $1.refundedQuantity - $1.fulfilledQuantity) }
        let fulfilled = o.lineItems.reduce(0) { $0 + $1.fulfilledQuantity }
        let status = o.cancelledAt != nil ? "CANCELLED" : remaining == 0 ? "CLOSED" : fulfilled > 0 ? "IN_PROGRESS" : "OPEN"
        return ShopifyGraphQLObject { name, args in
            switch name {
            case "id": return ShopifyGlobalID.make("FulfillmentOrder", o.id)
            case "status": return Map.string(status)
            case "createdAt": return time(o.createdAt)
            case "updatedAt": return time(o.updatedAt)
            case "lineItems":
                return try ShopifyGraphQLConnection.page(o.lineItems, id: \.id, args: args) { l in
                    .values(["id": ShopifyGlobalID.make("FulfillmentOrderLineItem", l.id), "totalQuantity": l.quantity - l.refundedQuantity,
                             "remainingQuantity": max(0, l.quantity - l.refundedQuantity - l.fulfilledQuantity), "lineItem": lineItem(l)])
                }
            default: return nil
            }
        }
    }
}
