import Foundation
import SyncCore

extension WooCommerceAPI {
    /// `orders` → orders.
    public static func orders(from body: Data) throws -> [OrderRecord] {
        try list(body, "orders").map(order(json:))
    }

    /// `orders/{id}` (or an update response) → order.
    public static func order(from body: Data) throws -> OrderRecord {
        try order(json: ResponseBody.json(body, expecting: "order"))
    }

    /// `orders/{id}/refunds` → refunds.
    public static func refunds(from body: Data) throws -> [OrderRefund] {
        try list(body, "refunds").map { try refund(JSONFieldReader($0, resource: "refund")) }
    }

    /// `orders/{id}/refunds/{rid}` → refund.
    public static func refund(from body: Data) throws -> OrderRefund {
        try refund(JSONFieldReader(ResponseBody.json(body, expecting: "refund"), resource: "refund"))
    }

    /// One order object (also an `order.*` webhook payload).
    ///
    /// Tax percentages come from the order's `tax_lines[].rate_percent` (WooCommerce 3.7+) by rate
    /// id; older stores leave them `nil` — resolve with ``OrderRecord/resolvingTaxRates(_:)``.
    /// Fee lines become order lines without product. ``OrderRecord/subtotal`` is the sum of the
    /// product lines' totals (after discounts, before tax and shipping).
    public static func order(json: JSONValue) throws -> OrderRecord {
        let r = try JSONFieldReader(json, resource: "order")
        let status = try r.requiredString("status")
        let orderTaxes = try r.objects("tax_lines").map(orderTaxLine)
        var byRate: [String: OrderTaxLine] = [:]
        for t in orderTaxes { if let id = t.rateID, byRate[id] == nil { byRate[id] = t } }
        func taxes(_ owner: JSONFieldReader) throws -> [OrderTaxLine] {
            try owner.objects("taxes").compactMap { t in
                guard let amount = try t.decimal("total") else { return nil }
                let rateID = try t.requiredID("id")
                let known = byRate[rateID]
                return OrderTaxLine(title: known?.title ?? "", ratePercent: known?.ratePercent, rateID: rateID, amount: amount, compound: known?.compound ?? false)
            }
        }
        let productLines = try r.objects("line_items").map { l -> OrderLine in
            let quantity = try l.int("quantity") ?? 0
            let subtotal = try l.money("subtotal")
            let total = try l.money("total")
            let unit = quantity == 0 ? subtotal : subtotal.divided(by: ExactDecimal(quantity), scale: 6) ?? subtotal
            return OrderLine(
                remoteID: try l.requiredID("id"), sku: try l.string("sku"), remoteProductID: try l.id("product_id"),
                remoteVariantID: try l.id("variation_id"), title: try l.string("name") ?? "", quantity: quantity, unitPrice: unit,
                subtotal: subtotal, discount: subtotal - total, total: total, taxLines: try taxes(l))
        }
        let feeLines = try r.objects("fee_lines").map { f -> OrderLine in
            let total = try f.money("total")
            return OrderLine(
                remoteID: try f.requiredID("id"), title: try f.string("name") ?? "", quantity: 1, unitPrice: total, subtotal: total,
                discount: .zero, total: total, taxLines: try taxes(f))
        }
        let shipping = try r.objects("shipping_lines").map { s in
            OrderShippingLine(
                title: try s.string("method_title") ?? "", price: try s.money("total"), tax: try s.money("total_tax"),
                taxLines: try taxes(s))
        }
        let refunds = try r.objects("refunds").map { f in
            OrderRefund(remoteID: try f.requiredID("id"), amount: try f.money("total").absoluteValue, reason: try f.string("reason"))
        }
        return OrderRecord(
            store: .woocommerce, remoteID: try r.requiredID("id"), number: try r.string("number") ?? r.requiredID("id"),
            email: try r.object("billing")?.string("email"), customerRemoteID: try r.id("customer_id"),
            billingAddress: try r.object("billing").map(parseAddress), shippingAddress: try r.object("shipping").map(parseAddress),
            currency: try r.requiredString("currency"), taxesIncluded: try r.bool("prices_include_tax") ?? false,
            lifecycle: lifecycle(status: status, refunded: !refunds.isEmpty), storeStatus: status,
            lines: productLines + feeLines, taxLines: orderTaxes, shippingLines: shipping,
            discountTotal: try r.money("discount_total"), subtotal: productLines.reduce(.zero) { $0 + $1.total },
            totalTax: try r.money("total_tax"), total: try r.money("total"), refunds: refunds, note: try r.string("customer_note"),
            paidAt: try r.time("date_paid_gmt"), completedAt: try r.time("date_completed_gmt"),
            createdAt: try r.time("date_created_gmt"), updatedAt: try r.time("date_modified_gmt"))
    }

    /// WooCommerce's single status → canonical lifecycle. Unknown (plugin) statuses read as pending
    /// and unfulfilled; the raw text stays in ``OrderRecord/storeStatus``.
    public static func lifecycle(status: String, refunded: Bool) -> OrderLifecycle {
        var financial: OrderLifecycle.Financial
        var fulfillment = OrderLifecycle.Fulfillment.unfulfilled
        var cancelled = false
        switch status {
        case "processing": financial = .paid
        case "completed": financial = .paid; fulfillment = .fulfilled
        case "refunded": financial = .refunded
        case "cancelled": financial = .voided; cancelled = true
        case "trash": financial = .voided; cancelled = true
        case "failed": financial = .failed
        default: financial = .pending
        }
        if refunded && financial == .paid { financial = .partiallyRefunded }
        return OrderLifecycle(financial: financial, fulfillment: fulfillment, cancelled: cancelled)
    }

    /// An order-level tax line: amount = `tax_total + shipping_tax_total`.
    static func orderTaxLine(_ t: JSONFieldReader) throws -> OrderTaxLine {
        OrderTaxLine(
            title: try t.string("label") ?? t.string("rate_code") ?? "", ratePercent: try t.decimal("rate_percent"),
            rateID: try t.id("rate_id"), amount: try t.money("tax_total") + t.money("shipping_tax_total"),
            compound: try t.bool("compound") ?? false)
    }

    /// A refund resource: line quantities and subtotals are made positive; the refunded order line is
    /// the `_refunded_item_id` meta value.
    static func refund(_ f: JSONFieldReader) throws -> OrderRefund {
        let lines = try f.objects("line_items").map { l -> OrderRefund.Line in
            var lineID = try l.requiredID("id")
            for m in try l.objects("meta_data") where try m.string("key") == "_refunded_item_id" {
                if let v = try m.id("value") { lineID = v }
            }
            return OrderRefund.Line(lineID: lineID, quantity: abs(try l.int("quantity") ?? 0), subtotal: try l.decimal("subtotal")?.absoluteValue)
        }
        return OrderRefund(
            remoteID: try f.requiredID("id"), createdAt: try f.time("date_created_gmt"), amount: try f.money("amount").absoluteValue,
            reason: try f.string("reason"), lines: lines)
    }
}
