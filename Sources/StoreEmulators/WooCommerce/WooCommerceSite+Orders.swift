import Foundation
import SyncCore

/// One line of an order placed through the merchant API or `POST /orders`.
struct WooLineRequest: Sendable {
    var productID: Int
    var variationID: Int
    var quantity: Int
    var total: ExactDecimal?
    var subtotal: ExactDecimal?
}

extension WooCommerceSite {
    static let orderStatuses = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"]
    static let stockReducingStatuses: Set<String> = ["processing", "on-hold", "completed"]

    static func money(_ d: ExactDecimal) -> JSONValue { .string(d.formatted(scale: 2)) }

    func orderJSON(_ o: WooOrderRecord) -> JSONValue {
        let lineTax = o.lineItems.reduce(ExactDecimal.zero) { $0 + $1.totalTax }
        let feeTax = o.feeLines.reduce(ExactDecimal.zero) { $0 + $1.totalTax }
        let shippingTotal = o.shippingLines.reduce(ExactDecimal.zero) { $0 + $1.total }
        let shippingTax = o.shippingLines.reduce(ExactDecimal.zero) { $0 + $1.totalTax }
        let discount = o.lineItems.reduce(ExactDecimal.zero) { $0 + ($1.subtotal - $1.total) }
        let discountTax = o.lineItems.reduce(ExactDecimal.zero) { $0 + ($1.subtotalTax - $1.totalTax) }
        let cartTax = lineTax + feeTax
        let totalTax = cartTax + shippingTax
        let total = orderTotal(o)
        var rateIDs: [Int] = []
        for id in o.lineItems.compactMap(\.taxRateID) + o.feeLines.compactMap(\.taxRateID) + o.shippingLines.compactMap(\.taxRateID) where !rateIDs.contains(id) {
            rateIDs.append(id)
        }
        let taxLines: [JSONValue] = rateIDs.enumerated().map { index, rateID in
            let rate = taxes[rateID]
            let itemTax = o.lineItems.filter { $0.taxRateID == rateID }.reduce(ExactDecimal.zero) { $0 + $1.totalTax }
                + o.feeLines.filter { $0.taxRateID == rateID }.reduce(ExactDecimal.zero) { $0 + $1.totalTax }
            let shipTax = o.shippingLines.filter { $0.taxRateID == rateID }.reduce(ExactDecimal.zero) { $0 + $1.totalTax }
            return ["id": .integer(o.id * 100 + 90 + index), "rate_code": .string(rate?.rateCode ?? ""), "rate_id": .integer(rateID),
                    "label": .string(rate?.name ?? ""), "compound": .bool(rate?.compound ?? false),
                    "tax_total": Self.money(itemTax), "shipping_tax_total": Self.money(shipTax),
                    "rate_percent": rate.map { .decimal($0.rate) } ?? .null, "meta_data": []]
        }
        var o2: [String: JSONValue] = [
            "id": .integer(o.id), "parent_id": 0, "number": .string(String(o.id)), "order_key": .string(o.orderKey),
            "created_via": .string(o.createdVia), "version": "9.4.2", "status": .string(o.status), "currency": .string(o.currency),
            "discount_total": Self.money(discount), "discount_tax": Self.money(discountTax),
            "shipping_total": Self.money(shippingTotal), "shipping_tax": Self.money(shippingTax),
            "cart_tax": Self.money(cartTax), "total": Self.money(total), "total_tax": Self.money(totalTax),
            "prices_include_tax": .bool(o.pricesIncludeTax), "customer_id": .integer(o.customerID),
            "customer_ip_address": "", "customer_user_agent": "", "customer_note": .string(o.customerNote),
            "billing": o.billing.json(keys: WooAddress.billingKeys), "shipping": o.shipping.json(keys: WooAddress.shippingKeys),
            "payment_method": .string(o.paymentMethod), "payment_method_title": .string(o.paymentMethodTitle),
            "transaction_id": .string(o.transactionID), "cart_hash": "", "meta_data": metaJSON(o.meta),
            "line_items": .array(o.lineItems.map { li in
                ["id": .integer(li.id), "name": .string(li.name), "product_id": .integer(li.productID), "variation_id": .integer(li.variationID),
                 "quantity": .integer(li.quantity), "tax_class": .string(li.taxClass), "subtotal": Self.money(li.subtotal),
                 "subtotal_tax": Self.money(li.subtotalTax), "total": Self.money(li.total), "total_tax": Self.money(li.totalTax),
                 "taxes": .array(li.taxRateID.map { [["id": .integer($0), "total": .string(li.totalTax.description), "subtotal": .string(li.subtotalTax.description)]] } ?? []),
                 "meta_data": metaJSON(li.meta), "sku": .string(li.sku), "price": .decimal(li.price)]
            }),
            "tax_lines": .array(taxLines),
            "shipping_lines": .array(o.shippingLines.map { s in
                ["id": .integer(s.id), "method_title": .string(s.methodTitle), "method_id": .string(s.methodID), "instance_id": "",
                 "total": Self.money(s.total), "total_tax": Self.money(s.totalTax),
                 "taxes": .array(s.taxRateID.map { [["id": .integer($0), "total": .string(s.totalTax.description), "subtotal": ""]] } ?? []),
                 "meta_data": []]
            }),
            "fee_lines": .array(o.feeLines.map { f in
                ["id": .integer(f.id), "name": .string(f.name), "tax_class": "", "tax_status": .string(f.taxStatus),
                 "total": Self.money(f.total), "total_tax": Self.money(f.totalTax),
                 "taxes": .array(f.taxRateID.map { [["id": .integer($0), "total": .string(f.totalTax.description), "subtotal": ""]] } ?? []),
                 "meta_data": []]
            }),
            "coupon_lines": .array(o.couponLines.map { c in
                ["id": .integer(c.id), "code": .string(c.code), "discount": Self.money(c.discount), "discount_tax": Self.money(c.discountTax), "meta_data": []]
            }),
            "refunds": .array(o.refunds.map { r in
                ["id": .integer(r.id), "reason": .string(r.reason), "total": Self.money(-r.amount)]
            }),
            "_links": link("orders/\(o.id)"),
        ]
        for (k, v) in dates("date_created", o.created) + dates("date_modified", o.modified) + dates("date_paid", o.paid) + dates("date_completed", o.completed) {
            o2[k] = v
        }
        return .object(o2)
    }

    func orderTotal(_ o: WooOrderRecord) -> ExactDecimal {
        o.lineItems.reduce(ExactDecimal.zero) { $0 + $1.total + $1.totalTax }
            + o.feeLines.reduce(ExactDecimal.zero) { $0 + $1.total + $1.totalTax }
            + o.shippingLines.reduce(ExactDecimal.zero) { $0 + $1.total + $1.totalTax }
    }

    func refundJSON(_ r: WooRefundRecord, order: WooOrderRecord) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .integer(r.id), "amount": Self.money(r.amount), "reason": .string(r.reason), "refunded_by": 1,
            "refunded_payment": false, "meta_data": [],
            "line_items": .array(r.lines.map { l in
                let item = order.lineItems.first { $0.id == l.lineItemID }
                return ["id": .integer(l.id), "name": .string(item?.name ?? ""), "product_id": .integer(item?.productID ?? 0),
                        "variation_id": .integer(item?.variationID ?? 0), "quantity": .integer(-l.quantity), "tax_class": "",
                        "subtotal": Self.money(-l.refundTotal), "subtotal_tax": Self.money(-l.refundTax),
                        "total": Self.money(-l.refundTotal), "total_tax": Self.money(-l.refundTax),
                        "taxes": .array(item?.taxRateID.map { [["id": .integer($0), "total": .string((-l.refundTax).description), "subtotal": .string((-l.refundTax).description)]] } ?? []),
                        "meta_data": [["id": 0, "key": "_refunded_item_id", "value": .string(String(l.lineItemID))]],
                        "sku": .string(item?.sku ?? ""), "price": .decimal(item?.price ?? .zero)]
            }),
            "_links": ["self": [["href": .string(config.siteURL + "/wp-json/wc/v3/orders/\(order.id)/refunds/\(r.id)")]],
                       "collection": [["href": .string(config.siteURL + "/wp-json/wc/v3/orders/\(order.id)/refunds")]],
                       "up": [["href": .string(config.siteURL + "/wp-json/wc/v3/orders/\(order.id)")]]],
        ]
        for (k, v) in dates("date_created", r.created) { o[k] = v }
        return .object(o)
    }

    func listOrders(_ query: WooQuery) throws -> [JSONValue] {
        let orderby = try query.oneOf("orderby", ["date", "modified", "id", "include", "title", "slug"], default: "date")
        let desc = try query.oneOf("order", ["asc", "desc"], default: "desc") == "desc"
        let gmt = try query.bool("dates_are_gmt") ?? false
        let offset = config.timezoneOffsetMinutes
        let modifiedAfter = try query.date("modified_after", gmt: gmt, offsetMinutes: offset)
        let modifiedBefore = try query.date("modified_before", gmt: gmt, offsetMinutes: offset)
        let after = try query.date("after", gmt: gmt, offsetMinutes: offset)
        let before = try query.date("before", gmt: gmt, offsetMinutes: offset)
        let statuses = query.list("status") ?? ["any"]
        for s in statuses where !(["any", "trash"] + Self.orderStatuses).contains(s) {
            throw WooParams.invalid("status", "status[0] is not one of any, trash, \(Self.orderStatuses.joined(separator: ", ")).")
        }
        var rows = Array(orders.values)
        rows = rows.filter { o in statuses.contains("any") ? o.status != "trash" : statuses.contains(o.status) }
        if let customer = try query.int("customer") { rows = rows.filter { $0.customerID == customer } }
        if let product = try query.int("product") { rows = rows.filter { $0.lineItems.contains { $0.productID == product } } }
        if let include = query.list("include")?.compactMap(Int.init) { rows = rows.filter { include.contains($0.id) } }
        if let exclude = query.list("exclude")?.compactMap(Int.init) { rows = rows.filter { !exclude.contains($0.id) } }
        if let modifiedAfter { rows = rows.filter { $0.modified > modifiedAfter } }
        if let modifiedBefore { rows = rows.filter { $0.modified < modifiedBefore } }
        if let after { rows = rows.filter { $0.created > after } }
        if let before { rows = rows.filter { $0.created < before } }
        func stamp(_ ms: Int64) -> String { String(format: "%015lld", ms) }
        switch orderby {
        case "id", "include", "title", "slug": rows = ordered(rows, desc: desc, id: \.id) { _ in "" }
        case "modified": rows = ordered(rows, desc: desc, id: \.id) { stamp($0.modified) }
        default: rows = ordered(rows, desc: desc, id: \.id) { stamp($0.created) }
        }
        return rows.map(orderJSON)
    }

    func listRefunds(_ orderID: Int) throws -> [JSONValue] {
        guard let o = orders[orderID] else { throw Self.invalidID(.orders) }
        return o.refunds.sorted { $0.id > $1.id }.map { refundJSON($0, order: o) }
    }

    /// The tax rate WooCommerce would apply: the first standard-class rate for the country (or for all
    /// countries), by `order` then id.
    func defaultTaxRate(country: String) -> WooTaxRate? {
        taxes.values
            .filter { $0.taxClass == "standard" && ($0.country.isEmpty || $0.country == country) }
            .sorted { ($0.order, $0.id) < ($1.order, $1.id) }
            .first
    }

    /// Tax on an amount: exclusive → amount × rate; inclusive → the tax part of a gross amount.
    static func tax(on amount: ExactDecimal, rate: WooTaxRate?, inclusive: Bool) -> ExactDecimal {
        guard let rate else { return .zero }
        if inclusive {
            let divisor = ExactDecimal(100) + rate.rate
            return (amount * rate.rate).divided(by: divisor, scale: 2) ?? .zero
        }
        return (amount * rate.rate).divided(by: ExactDecimal(100), scale: 2) ?? .zero
    }

    /// Builds line items from products, prices and the tax rate; discounts are spread over the lines.
    mutating func buildOrder(
        lines: [WooLineRequest], taxRateID: Int?, pricesIncludeTax: Bool, country: String,
        shipping: [(title: String, methodID: String, total: ExactDecimal)], fees: [(name: String, total: ExactDecimal, taxable: Bool)],
        coupons: [(code: String, discount: ExactDecimal)], into order: inout WooOrderRecord
    ) throws {
        let rate: WooTaxRate?
        if let taxRateID {
            guard let r = taxes[taxRateID] else { throw Self.invalidID(.taxes) }
            rate = r
        } else {
            rate = defaultTaxRate(country: country)
        }
        var items: [WooLineItem] = []
        for line in lines {
            let productID = line.variationID != 0 ? (products[line.variationID]?.parentID ?? line.productID) : line.productID
            guard let product = products[line.variationID != 0 ? line.variationID : productID],
                  product.isVariation == (line.variationID != 0), product.type != "variable" else {
                throw WooCommerceEmulatorError(code: "woocommerce_rest_invalid_product_id", message: "Product ID or SKU is invalid.", status: 400)
            }
            guard line.quantity > 0 else { throw WooParams.invalid("line_items", "Product quantity must be a positive integer.") }
            let lineRate = product.taxStatus == "taxable" ? rate : nil
            let unit = ExactDecimal.parse(product.price) ?? .zero
            let gross = line.subtotal ?? (unit * line.quantity)
            var subtotal = gross
            var subtotalTax = Self.tax(on: gross, rate: lineRate, inclusive: pricesIncludeTax)
            if pricesIncludeTax, line.subtotal == nil { subtotal = gross - subtotalTax } else if pricesIncludeTax { subtotalTax = Self.tax(on: subtotal, rate: lineRate, inclusive: false) }
            let total = line.total ?? subtotal
            let parentName = products[productID]?.name ?? product.name
            items.append(WooLineItem(
                id: takeItemID(), name: product.isVariation ? product.name : parentName, productID: productID, variationID: line.variationID,
                quantity: line.quantity, taxClass: product.taxClass, sku: product.sku,
                price: subtotal.divided(by: ExactDecimal(line.quantity), scale: 6) ?? subtotal,
                subtotal: subtotal, subtotalTax: subtotalTax, total: total,
                totalTax: line.total == nil ? subtotalTax : Self.tax(on: total, rate: lineRate, inclusive: false),
                taxRateID: lineRate?.id,
                meta: product.attributes.map { WooMeta(id: takeMetaID(), key: $0.name.lowercased(), value: .string($0.options.first ?? "")) }))
        }
        // Fixed-amount coupons (excluding tax), spread over lines in proportion to their subtotal; the last line takes the remainder.
        let discount = coupons.reduce(ExactDecimal.zero) { $0 + $1.discount }
        let base = items.reduce(ExactDecimal.zero) { $0 + $1.total }
        if !discount.isZero, !base.isZero {
            let applied = min(discount, base)
            var left = applied
            for i in items.indices {
                let share = i == items.count - 1 ? left : ((items[i].total * applied).divided(by: base, scale: 2) ?? .zero)
                left = left - share
                items[i].total = items[i].total - share
                let r = items[i].taxRateID.flatMap { taxes[$0] }
                items[i].totalTax = Self.tax(on: items[i].total, rate: r, inclusive: false)
            }
        }
        order.lineItems = items
        order.couponLines = coupons.map { c in
            WooCouponLine(id: takeItemID(), code: c.code, discount: c.discount, discountTax: Self.tax(on: c.discount, rate: rate, inclusive: false))
        }
        order.shippingLines = shipping.map { s in
            let r = (rate?.shipping ?? false) ? rate : nil
            return WooShippingLine(id: takeItemID(), methodTitle: s.title, methodID: s.methodID, total: s.total,
                                   totalTax: Self.tax(on: s.total, rate: r, inclusive: false), taxRateID: r?.id)
        }
        order.feeLines = fees.map { f in
            let r = f.taxable ? rate : nil
            return WooFeeLine(id: takeItemID(), name: f.name, taxStatus: f.taxable ? "taxable" : "none", total: f.total,
                              totalTax: Self.tax(on: f.total, rate: r, inclusive: false), taxRateID: r?.id)
        }
    }

    mutating func newOrderKey() -> String {
        let chars = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return "wc_order_" + String((0..<13).map { _ in chars[Int(dataRNG.next() % UInt64(chars.count))] })
    }

    mutating func createOrder(_ params: WooParams) throws -> Int {
        if params.has("id") {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_shop_order_exists", message: "Cannot create existing order.", status: 400)
        }
        let customerID = try params.int("customer_id") ?? 0
        if customerID != 0, customers[customerID] == nil {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_invalid_customer_id", message: "Customer ID is invalid.", status: 400)
        }
        var order = WooOrderRecord(id: 0, orderKey: "", status: "pending", currency: try params.string("currency") ?? config.currency,
                                   created: now, modified: now, pricesIncludeTax: config.pricesIncludeTax, customerID: customerID)
        order.createdVia = "rest-api"
        if let c = customers[customerID] {
            order.billing = c.billing
            order.shipping = c.shipping
            if order.billing["email"].isEmpty { order.billing["email"] = c.email }
        }
        try applyOrderFields(params, to: &order)
        let lines = try (params.array("line_items") ?? []).map { item -> WooLineRequest in
            let p = WooParams(body: item.object ?? [:])
            var productID = try p.int("product_id") ?? 0
            var variationID = try p.int("variation_id") ?? 0
            if productID == 0, let sku = try p.string("sku"), let found = products.values.first(where: { $0.sku == sku && !sku.isEmpty }) {
                if found.isVariation { productID = found.parentID; variationID = found.id } else { productID = found.id }
            }
            return WooLineRequest(productID: productID, variationID: variationID, quantity: try p.int("quantity") ?? 1,
                                  total: try p.money("total").flatMap(ExactDecimal.parse), subtotal: try p.money("subtotal").flatMap(ExactDecimal.parse))
        }
        let shipping = try (params.array("shipping_lines") ?? []).map { item in
            let p = WooParams(body: item.object ?? [:])
            return (title: try p.string("method_title") ?? "", methodID: try p.string("method_id") ?? "", total: ExactDecimal.parse(try p.money("total") ?? "0") ?? .zero)
        }
        let fees = try (params.array("fee_lines") ?? []).map { item in
            let p = WooParams(body: item.object ?? [:])
            return (name: try p.string("name") ?? "", total: ExactDecimal.parse(try p.string("total") ?? "0") ?? .zero, taxable: (try p.string("tax_status") ?? "taxable") == "taxable")
        }
        let coupons = try (params.array("coupon_lines") ?? []).map { item in
            let p = WooParams(body: item.object ?? [:])
            return (code: try p.string("code") ?? "", discount: ExactDecimal.parse(try p.money("discount") ?? "0") ?? .zero)
        }
        try buildOrder(lines: lines, taxRateID: nil, pricesIncludeTax: order.pricesIncludeTax, country: order.billing["country"].isEmpty ? config.country : order.billing["country"],
                       shipping: shipping, fees: fees, coupons: coupons, into: &order)
        let status = try params.oneOf("status", Self.orderStatuses) ?? ((try params.bool("set_paid")) == true ? "processing" : "pending")
        order.id = takePostID()
        order.orderKey = newOrderKey()
        orders[order.id] = order
        fire("order", "created", id: order.id)
        transition(order.id, to: status)
        return order.id
    }

    private func applyOrderFields(_ params: WooParams, to order: inout WooOrderRecord) throws {
        try params.address("billing", into: &order.billing, keys: WooAddress.billingKeys)
        try params.address("shipping", into: &order.shipping, keys: WooAddress.shippingKeys)
        if let v = try params.string("payment_method") { order.paymentMethod = v }
        if let v = try params.string("payment_method_title") { order.paymentMethodTitle = v }
        if let v = try params.string("transaction_id") { order.transactionID = v }
        if let v = try params.string("customer_note") { order.customerNote = v }
    }

    mutating func updateOrder(_ id: Int, _ params: WooParams) throws {
        guard var order = orders[id] else { throw Self.invalidID(.orders) }
        try applyOrderFields(params, to: &order)
        if let customerID = try params.int("customer_id") {
            if customerID != 0, customers[customerID] == nil {
                throw WooCommerceEmulatorError(code: "woocommerce_rest_invalid_customer_id", message: "Customer ID is invalid.", status: 400)
            }
            order.customerID = customerID
        }
        if let meta = params.body["meta_data"] { try applyMeta(meta, to: &order.meta) }
        let status = try params.oneOf("status", Self.orderStatuses + ["trash"])
        order.modified = now
        orders[id] = order
        if let status { transition(id, to: status) }
        if try params.bool("set_paid") == true, orders[id]?.paid == nil { transition(id, to: "processing") }
        fire("order", "updated", id: id)
    }

    /// Changes an order's status with WooCommerce's side effects: stock reduced once on
    /// processing/on-hold/completed, restored on cancelled/pending, paid/completed dates set.
    mutating func transition(_ id: Int, to status: String) {
        guard var order = orders[id] else { return }
        let old = order.status
        order.status = status
        order.modified = now
        if ["processing", "completed"].contains(status), order.paid == nil {
            order.paid = now
            if let c = customers[order.customerID], !c.isPayingCustomer { customers[order.customerID]?.isPayingCustomer = true }
        }
        if status == "completed" { order.completed = now }
        orders[id] = order
        if old != status {
            if Self.stockReducingStatuses.contains(status), !order.stockReduced {
                adjustStock(for: order, sign: -1)
                orders[id]?.stockReduced = true
            } else if ["cancelled", "pending"].contains(status), order.stockReduced {
                adjustStock(for: order, sign: 1)
                orders[id]?.stockReduced = false
            }
            fire("order", "updated", id: id)
        }
    }

    private mutating func adjustStock(for order: WooOrderRecord, sign: Int) {
        for line in order.lineItems {
            let target = line.variationID != 0 ? line.variationID : line.productID
            guard let p = products[target], p.manageStock else { continue }
            setStock(target, to: (p.stockQuantity ?? 0) + sign * line.quantity)
            if sign < 0 { products[target]?.totalSales += line.quantity }
        }
    }

    mutating func deleteOrder(_ id: Int, force: Bool) throws -> JSONValue {
        guard var order = orders[id] else { throw Self.invalidID(.orders) }
        if !force {
            guard order.status != "trash" else {
                throw WooCommerceEmulatorError(code: "woocommerce_rest_already_trashed", message: "The order has already been deleted.", status: 410)
            }
            order.status = "trash"
            order.modified = now
            orders[id] = order
            fire("order", "deleted", id: id)
            return orderJSON(order)
        }
        let body = orderJSON(order)
        orders[id] = nil
        fire("order", "deleted", id: id)
        return body
    }

    /// `POST /orders/{id}/refunds`: records a refund, restocks refunded quantities (`api_restock`),
    /// and marks the order refunded once nothing is left to refund.
    mutating func createRefund(orderID: Int, _ params: WooParams) throws -> Int {
        guard var order = orders[orderID] else {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_invalid_order_id", message: "Invalid order ID.", status: 404)
        }
        var lines: [WooRefundLine] = []
        for item in try params.array("line_items") ?? [] {
            let p = WooParams(body: item.object ?? [:])
            guard let lineID = try p.int("id"), order.lineItems.contains(where: { $0.id == lineID }) else {
                throw WooParams.invalid("line_items", "line_items[0][id] is not a line item of this order.")
            }
            let refundTotal = ExactDecimal.parse(try p.money("refund_total") ?? "0") ?? .zero
            var refundTax = ExactDecimal.zero
            for t in try p.array("refund_tax") ?? [] {
                refundTax = refundTax + (t["refund_total"]?.decimal ?? .zero)
            }
            lines.append(WooRefundLine(id: takeItemID(), lineItemID: lineID, quantity: try p.int("quantity") ?? 0, refundTotal: refundTotal, refundTax: refundTax))
        }
        let amount: ExactDecimal
        if let raw = try params.string("amount") {
            guard let d = ExactDecimal.parse(raw) else { throw WooParams.invalid("amount", "amount is not a valid decimal.") }
            amount = d
        } else {
            amount = lines.reduce(ExactDecimal.zero) { $0 + $1.refundTotal + $1.refundTax }
        }
        guard amount > .zero else {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_invalid_order_refund", message: "Refund amount must be greater than zero.", status: 400)
        }
        let remaining = orderTotal(order) - order.refundedTotal
        guard amount <= remaining else {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_cannot_create_order_refund", message: "Invalid refund amount.", status: 500)
        }
        let refund = WooRefundRecord(id: takePostID(), created: now, amount: amount, reason: try params.string("reason") ?? "", lines: lines)
        order.refunds.append(refund)
        order.modified = now
        orders[orderID] = order
        if (try params.bool("api_restock")) ?? true, order.stockReduced {
            for l in lines where l.quantity > 0 {
                guard let item = order.lineItems.first(where: { $0.id == l.lineItemID }) else { continue }
                let target = item.variationID != 0 ? item.variationID : item.productID
                if let p = products[target], p.manageStock { setStock(target, to: (p.stockQuantity ?? 0) + l.quantity) }
            }
        }
        if amount == remaining {
            transition(orderID, to: "refunded")
        }
        fire("order", "updated", id: orderID)
        return refund.id
    }

    mutating func deleteRefund(orderID: Int, id: Int, force: Bool) throws -> JSONValue {
        guard let order = orders[orderID], let refund = order.refunds.first(where: { $0.id == id }) else { throw Self.invalidID(.refunds(orderID: orderID)) }
        guard force else { throw Self.trashNotSupported("Refunds") }
        let body = refundJSON(refund, order: order)
        orders[orderID]?.refunds.removeAll { $0.id == id }
        return body
    }
}
