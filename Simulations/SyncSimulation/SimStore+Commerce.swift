import Connectors
import StoreEmulators
import SyncCore

/// A store order as the simulator reads it back: the canonical record and the raw JSON.
struct SimStoreOrder {
    var id: Int
    var record: OrderRecord
    var json: JSONValue
}

/// What a shopper and a merchant do with stock and orders, through the emulators' merchant actions.
extension SimStore {
    // MARK: Stock

    /// The stock level of every SKU whose record tracks stock.
    func levels() -> [String: Int] {
        var out: [String: Int] = [:]
        for p in products() {
            guard let sku = p.record.sku, p.record.manageStock, let level = p.record.stockQuantity else { continue }
            out[sku] = level
        }
        return out
    }

    /// The merchant adds `delta` units (may be negative) to a SKU's stock.
    func adjustStock(sku: String, delta: Int) throws {
        switch self {
        case .shopify(let s):
            guard let item = shopifyVariant(sku: sku)?["inventory_item_id"]?.int else { return }
            _ = try s.adjustStock(inventoryItemID: item, by: delta)
        case .woo(let w):
            guard let p = products().first(where: { $0.record.sku == sku }), let level = p.record.stockQuantity else { return }
            try w.setStock(productID: p.productID, variationID: p.variantID ?? 0, quantity: level + delta)
        }
    }

    func shopifyVariant(sku: String) -> JSONValue? {
        guard case .shopify(let s) = self else { return nil }
        for p in s.products() {
            for v in p["variants"]?.array ?? [] where v["sku"]?.string == sku { return v }
        }
        return nil
    }

    // MARK: Orders

    /// Every order the store has, parsed by the connector (unreadable ones are skipped).
    func orders() -> [SimStoreOrder] {
        switch self {
        case .shopify(let s):
            return s.orders().compactMap { j in
                guard let id = j["id"]?.int, let r = try? ShopifyAPI.order(json: j) else { return nil }
                return SimStoreOrder(id: id, record: r, json: j)
            }
        case .woo(let w):
            return w.orders().compactMap { j in
                guard let id = j["id"]?.int, j["status"]?.string != "trash", let r = try? WooCommerceAPI.order(json: j) else { return nil }
                return SimStoreOrder(id: id, record: r, json: j)
            }
        }
    }

    func order(_ id: Int) -> SimStoreOrder? { orders().first { $0.id == id } }

    /// A shopper checks out. `lines` are SKUs the store has; `customer` a customer id in this store,
    /// else `guest` (e-mail, first and last name) buys. Returns the order id.
    func placeOrder(lines: [(sku: String, quantity: Int)], customer: Int?, guest: (email: String, first: String, last: String),
                    stage: Int, wooTaxRate: Int?) throws -> Int {
        switch self {
        case .shopify(let s):
            var items: [JSONValue] = []
            for l in lines {
                guard let v = shopifyVariant(sku: l.sku)?["id"]?.int else { continue }
                items.append(["variant_id": .integer(v), "quantity": .integer(l.quantity)])
            }
            guard !items.isEmpty else { throw SimOpRefused() }
            var body: [String: JSONValue] = ["line_items": .array(items), "financial_status": .string(stage >= 1 ? "paid" : "pending")]
            if let customer {
                body["customer"] = ["id": .integer(customer)]
            } else {
                body["customer"] = ["email": .string(guest.email), "first_name": .string(guest.first), "last_name": .string(guest.last)]
                body["shipping_address"] = ["first_name": .string(guest.first), "last_name": .string(guest.last), "country_code": "MX"]
            }
            guard let id = try s.placeOrder(.object(body))["id"]?.int else { throw SimOpRefused() }
            if stage >= 2 { _ = try s.fulfill(orderID: id) }
            return id
        case .woo(let w):
            var items: [WooCommerceOrderPlacement.Line] = []
            let all = products()
            for l in lines {
                guard let p = all.first(where: { $0.record.sku == l.sku }) else { continue }
                items.append(.init(productID: p.productID, variationID: p.variantID ?? 0, quantity: l.quantity))
            }
            guard !items.isEmpty else { throw SimOpRefused() }
            var billing: [String: String] = ["first_name": guest.first, "last_name": guest.last, "email": guest.email, "country": "MX"]
            if let customer, let c = contacts().first(where: { $0.id == customer })?.record {
                billing = ["first_name": c.firstName ?? "", "last_name": c.lastName ?? "", "email": c.email ?? "", "country": "MX"]
            }
            let status = ["pending", "processing", "completed"][min(2, max(0, stage))]
            return try w.placeOrder(WooCommerceOrderPlacement(lines: items, customerID: customer ?? 0, billing: billing, taxRateID: wooTaxRate, status: status))
        }
    }

    /// Shopify: capture the payment; WooCommerce: `processing`, from `pending` or `on-hold` only.
    func payOrder(_ id: Int) throws {
        switch self {
        case .shopify(let s): _ = try s.markPaid(orderID: id)
        case .woo(let w):
            guard let status = order(id)?.record.storeStatus, ["pending", "on-hold"].contains(status) else { throw SimOpRefused() }
            try w.setOrderStatus(id, to: "processing")
        }
    }

    /// Shopify: fulfil every remaining unit; WooCommerce: `completed`, from an open status only.
    func fulfillOrder(_ id: Int) throws {
        switch self {
        case .shopify(let s): _ = try s.fulfill(orderID: id)
        case .woo(let w):
            guard let status = order(id)?.record.storeStatus, ["pending", "on-hold", "processing"].contains(status) else { throw SimOpRefused() }
            try w.setOrderStatus(id, to: "completed")
        }
    }

    /// Shopify: cancel (with or without restocking); WooCommerce: `cancelled` (stock returns as WooCommerce does).
    func cancelOrder(_ id: Int, restock: Bool) throws {
        switch self {
        case .shopify(let s): _ = try s.cancel(orderID: id, restock: restock)
        case .woo(let w):
            guard let status = order(id)?.record.storeStatus, ["pending", "on-hold", "processing", "completed"].contains(status) else { throw SimOpRefused() }
            try w.setOrderStatus(id, to: "cancelled")
        }
    }

    /// Refunds `percent` of what is left to refund (at least 0.01). Shopify with `restock`: one unit
    /// of the first line, restocked, for what it is worth.
    func refundOrder(_ id: Int, percent: Int, restock: Bool) throws {
        guard let o = order(id) else { throw SimOpRefused() }
        let left = o.record.total - o.record.refundedTotal
        guard left > .zero else { throw SimOpRefused() }
        var amount = percent >= 100 ? left : (left * ExactDecimal(percent)).divided(by: ExactDecimal(100), scale: 2) ?? left
        if amount < ExactDecimal.parse("0.01")! { amount = ExactDecimal.parse("0.01")! }
        switch self {
        case .shopify(let s):
            if restock, let line = o.json["line_items"]?[0]?["id"]?.int {
                _ = try s.refund(orderID: id, lines: [line: 1], restock: true)
            } else {
                _ = try s.refund(orderID: id, lines: [:], restock: false, amount: amount)
            }
        case .woo(let w):
            // Only paid orders are refunded (a cancelled or unpaid order has no money to return).
            guard ["processing", "on-hold", "completed"].contains(o.record.storeStatus) else { throw SimOpRefused() }
            _ = try w.refundOrder(id, amount: amount, reason: "sim")
        }
    }
}

/// A merchant action the simulator does not attempt in the current state (the op does nothing).
struct SimOpRefused: Error {}
