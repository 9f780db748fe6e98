import Foundation
import SyncCore

extension ShopifyAPI {
    /// `orders.json` → orders.
    public static func orders(from body: Data) throws -> [OrderRecord] {
        try list(body, "orders").map(order(json:))
    }

    /// `orders/{id}.json` (or an update/cancel response) → order.
    public static func order(from body: Data) throws -> OrderRecord {
        try order(json: single(body, "order"))
    }

    /// `orders/{id}/refunds.json` → refunds.
    public static func refunds(from body: Data) throws -> [OrderRefund] {
        try list(body, "refunds").map { try refund(JSONFieldReader($0, resource: "refund")) }
    }

    /// A single refund response (`{"refund": {...}}`).
    public static func refund(from body: Data) throws -> OrderRefund {
        try refund(JSONFieldReader(single(body, "refund"), resource: "refund"))
    }

    /// One order object (also an `orders/*` webhook payload). Amounts are shop money:
    /// `*_set.shop_money.amount` when present, else the plain field.
    public static func order(json: JSONValue) throws -> OrderRecord {
        let r = try JSONFieldReader(json, resource: "order")
        let currency = try r.requiredString("currency")
        let presentment = try r.string("presentment_currency")
        let financialText = try r.string("financial_status") ?? "pending"
        let fulfillmentText = try r.string("fulfillment_status")
        let lifecycle = OrderLifecycle(
            financial: try financial(financialText, r),
            fulfillment: fulfillmentText == "fulfilled" ? .fulfilled : fulfillmentText == "partial" ? .partial : .unfulfilled,
            cancelledAt: try r.time("cancelled_at"), closedAt: try r.time("closed_at"))
        let number = try r.string("name") ?? r.int("order_number").map { "#\($0)" } ?? r.requiredID("id")
        return OrderRecord(
            store: .shopify, remoteID: try r.requiredID("id"), number: number,
            email: try r.string("email") ?? r.string("contact_email"), customerRemoteID: try r.object("customer")?.id("id"),
            billingAddress: try r.object("billing_address").map(parseAddress),
            shippingAddress: try r.object("shipping_address").map(parseAddress), currency: currency,
            presentmentCurrency: presentment == currency ? nil : presentment, taxesIncluded: try r.bool("taxes_included") ?? false,
            lifecycle: lifecycle, storeStatus: financialText, lines: try r.objects("line_items").map(line),
            taxLines: try r.objects("tax_lines").map(taxLine), shippingLines: try r.objects("shipping_lines").map(shippingLine),
            discountTotal: try shopMoney(r, "total_discounts"), subtotal: try shopMoney(r, "subtotal_price"),
            totalTax: try shopMoney(r, "total_tax"), total: try shopMoney(r, "total_price"),
            refunds: try r.objects("refunds").map(refund), note: try r.string("note"), paidAt: nil, completedAt: nil,
            createdAt: try r.time("created_at"), updatedAt: try r.time("updated_at"))
    }

    /// REST's `financial_status` (GraphQL's `displayFinancialStatus`, lower-cased, is the same words).
    static func financial(_ text: String, _ r: JSONFieldReader, field: String = "financial_status") throws -> OrderLifecycle.Financial {
        switch text {
        case "pending": .pending
        case "authorized": .authorized
        case "partially_paid": .partiallyPaid
        case "paid": .paid
        case "partially_refunded": .partiallyRefunded
        case "refunded": .refunded
        case "voided": .voided
        case "expired", "failed": .failed
        default: throw r.error(field, .invalidValue, "expected a Shopify financial status, got \"\(text.prefix(40))\"")
        }
    }

    /// `key_set.shop_money.amount`, else `key`, else 0.
    static func shopMoney(_ r: JSONFieldReader, _ key: String) throws -> ExactDecimal {
        if let set = try r.object(key + "_set"), let shop = try set.object("shop_money"), let amount = try shop.decimal("amount") {
            return amount
        }
        return try r.money(key)
    }

    static func taxLine(_ t: JSONFieldReader) throws -> OrderTaxLine {
        let rate = try t.decimal("rate")
        return OrderTaxLine(title: try t.string("title") ?? "", ratePercent: rate.map { $0 * 100 }, amount: try shopMoney(t, "price"))
    }

    static func line(_ l: JSONFieldReader) throws -> OrderLine {
        let quantity = try l.int("quantity") ?? 0
        let unit = try shopMoney(l, "price")
        let subtotal = unit * quantity
        let allocations = try l.objects("discount_allocations")
        let discount = allocations.isEmpty
            ? try shopMoney(l, "total_discount")
            : try allocations.reduce(ExactDecimal.zero) { $0 + (try shopMoney($1, "amount")) }
        return OrderLine(
            remoteID: try l.requiredID("id"), sku: try l.string("sku"), remoteProductID: try l.id("product_id"),
            remoteVariantID: try l.id("variant_id"), title: try l.string("name") ?? l.string("title") ?? "", quantity: quantity,
            unitPrice: unit, subtotal: subtotal, discount: discount, total: subtotal - discount,
            taxLines: try l.objects("tax_lines").map(taxLine))
    }

    static func shippingLine(_ s: JSONFieldReader) throws -> OrderShippingLine {
        let taxes = try s.objects("tax_lines").map(taxLine)
        return OrderShippingLine(
            title: try s.string("title") ?? s.string("code") ?? "", price: try shopMoney(s, "price"),
            tax: taxes.reduce(ExactDecimal.zero) { $0 + $1.amount }, taxLines: taxes)
    }

    /// A refund: its amount is the sum of its successful `refund` transactions.
    static func refund(_ f: JSONFieldReader) throws -> OrderRefund {
        var amount = ExactDecimal.zero
        for t in try f.objects("transactions") {
            let kind = try t.string("kind") ?? "refund"
            let status = try t.string("status") ?? "success"
            if kind == "refund" && status == "success" { amount = amount + (try shopMoney(t, "amount")) }
        }
        let lines = try f.objects("refund_line_items").map { li in
            let reported = li.value("subtotal") != nil || li.value("subtotal_set") != nil
            return OrderRefund.Line(
                lineID: try li.id("line_item_id") ?? li.object("line_item")?.requiredID("id") ?? li.requiredID("line_item_id"),
                quantity: try li.int("quantity") ?? 0, subtotal: reported ? try shopMoney(li, "subtotal") : nil)
        }
        return OrderRefund(
            remoteID: try f.requiredID("id"), createdAt: try f.time("created_at"), amount: amount, reason: try f.string("note"),
            restock: try f.bool("restock"), lines: lines)
    }
}
