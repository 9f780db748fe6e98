import SyncCore

/// One line of an order a shopper places: a variant and a quantity.
public struct ShopifyOrderLine: Sendable, Hashable {
    public var variantID: Int
    public var quantity: Int

    public init(variantID: Int, quantity: Int) {
        self.variantID = variantID
        self.quantity = quantity
    }
}

/// One variant of a product the merchant creates.
public struct ShopifyVariantInput: Sendable, Hashable {
    public var title: String
    public var sku: String?
    public var price: ExactDecimal
    public var barcode: String?
    public var taxable: Bool
    /// Initial stock at the primary location.
    public var stock: Int

    public init(title: String = "Default Title", sku: String?, price: ExactDecimal, barcode: String? = nil, taxable: Bool = true, stock: Int = 0) {
        self.title = title
        self.sku = sku
        self.price = price
        self.barcode = barcode
        self.taxable = taxable
        self.stock = stock
    }
}

/// What the merchant (admin UI) and shoppers do. Each action validates like the REST API, stamps
/// `updated_at` with the store clock and fires the webhooks the real shop fires; failures throw
/// ``ShopifyEmulatorError`` carrying the REST error body. Results are the resource JSON.
extension ShopifyEmulator {
    /// Creates a customer from REST-shaped fields (`email`, `first_name`, `phone`, `addresses`, …).
    @discardableResult
    public func createCustomer(_ fields: JSONValue) throws -> JSONValue {
        try perform { try $0.createCustomer(fields.object ?? [:]) }
    }

    /// Creates a customer from the usual fields.
    @discardableResult
    public func createCustomer(email: String?, firstName: String?, lastName: String?, phone: String? = nil, note: String? = nil, tags: String = "") throws -> JSONValue {
        var o: [String: JSONValue] = ["tags": .string(tags)]
        if let email { o["email"] = .string(email) }
        if let firstName { o["first_name"] = .string(firstName) }
        if let lastName { o["last_name"] = .string(lastName) }
        if let phone { o["phone"] = .string(phone) }
        if let note { o["note"] = .string(note) }
        return try createCustomer(.object(o))
    }

    /// Edits a customer with REST-shaped fields; unchanged values fire nothing.
    @discardableResult
    public func updateCustomer(id: Int, _ changes: JSONValue) throws -> JSONValue {
        try perform { try $0.updateCustomer(id, changes.object ?? [:]) }
    }

    /// Deletes a customer (refused for customers with orders, as Shopify does).
    public func deleteCustomer(id: Int) throws {
        try perform { try $0.deleteCustomer(id) }
    }

    /// Creates a product from REST-shaped fields (`title`, `status`, `variants`, …).
    @discardableResult
    public func createProduct(_ fields: JSONValue) throws -> JSONValue {
        try perform { try $0.createProduct(fields.object ?? [:]) }
    }

    /// Creates a product with variants and their initial stock.
    @discardableResult
    public func createProduct(title: String, vendor: String? = nil, productType: String = "", status: String = "active", variants: [ShopifyVariantInput]) throws -> JSONValue {
        var o: [String: JSONValue] = ["title": .string(title), "product_type": .string(productType), "status": .string(status)]
        if let vendor { o["vendor"] = .string(vendor) }
        if !variants.isEmpty {
            o["variants"] = .array(variants.map { v in
                var j: [String: JSONValue] = ["option1": .string(v.title), "price": .string(v.price.formatted(scale: 2)), "taxable": .bool(v.taxable),
                                              "inventory_management": "shopify", "inventory_quantity": .integer(v.stock)]
                if let sku = v.sku { j["sku"] = .string(sku) }
                if let b = v.barcode { j["barcode"] = .string(b) }
                return .object(j)
            })
        }
        return try createProduct(.object(o))
    }

    /// Edits a product (REST-shaped fields, `variants` replaces the list like `PUT products/{id}`).
    @discardableResult
    public func updateProduct(id: Int, _ changes: JSONValue) throws -> JSONValue {
        try perform { try $0.updateProduct(id, changes.object ?? [:]) }
    }

    /// Edits one variant (`price`, `sku`, `barcode`, `taxable`, …).
    @discardableResult
    public func updateVariant(id: Int, _ changes: JSONValue) throws -> JSONValue {
        try perform { try $0.updateVariant(id, changes.object ?? [:]) }
    }

    /// Deletes a product and its inventory items.
    public func deleteProduct(id: Int) throws {
        try perform { try $0.deleteProduct(id) }
    }

    /// Sets the available stock of an inventory item at the primary location.
    @discardableResult
    public func setStock(inventoryItemID: Int, available: Int) throws -> JSONValue {
        try perform { s in
            try s.setLevel(["inventory_item_id": .integer(inventoryItemID), "location_id": .integer(s.configuration.primaryLocationID), "available": .integer(available)])
        }
    }

    /// Adds `delta` (may be negative) to the available stock at the primary location.
    @discardableResult
    public func adjustStock(inventoryItemID: Int, by delta: Int) throws -> JSONValue {
        try perform { s in
            try s.adjustLevel(["inventory_item_id": .integer(inventoryItemID), "location_id": .integer(s.configuration.primaryLocationID), "available_adjustment": .integer(delta)])
        }
    }

    /// A shopper checks out: variant lines, a known customer, a new customer by e-mail, or a guest
    /// (both `nil`). Taxes come from the shop's default rate; stock is decremented.
    @discardableResult
    public func placeOrder(lines: [ShopifyOrderLine], customerID: Int? = nil, email: String? = nil, financialStatus: String = "paid",
                           shippingAddress: JSONValue? = nil, note: String? = nil) throws -> JSONValue {
        var o: [String: JSONValue] = [
            "line_items": .array(lines.map { ["variant_id": .integer($0.variantID), "quantity": .integer($0.quantity)] }),
            "financial_status": .string(financialStatus),
        ]
        if let customerID { o["customer"] = ["id": .integer(customerID)] }
        if let email { o["email"] = .string(email) }
        if let shippingAddress { o["shipping_address"] = shippingAddress }
        if let note { o["note"] = .string(note) }
        return try perform { try $0.createOrder(o, sourceName: "web") }
    }

    /// Places an order from a full REST-shaped body (custom lines, explicit `tax_lines`, …).
    @discardableResult
    public func placeOrder(_ fields: JSONValue) throws -> JSONValue {
        try perform { try $0.createOrder(fields.object ?? [:], sourceName: "web") }
    }

    /// Edits an order (`note`, `tags`, `email`, `shipping_address`).
    @discardableResult
    public func updateOrder(id: Int, _ changes: JSONValue) throws -> JSONValue {
        try perform { try $0.updateOrder(id, changes.object ?? [:]) }
    }

    /// Captures the outstanding amount: the order becomes `paid` (fires `orders/paid`).
    @discardableResult
    public func markPaid(orderID: Int) throws -> JSONValue {
        try perform { s in
            _ = try s.recordPayment(orderID, ["kind": "capture"])
            return try s.getOrder(orderID)
        }
    }

    /// Fulfils every remaining unit (fires `orders/fulfilled`).
    @discardableResult
    public func fulfill(orderID: Int) throws -> JSONValue {
        try perform { s in
            _ = try s.fulfillOrder(orderID, [:])
            return try s.getOrder(orderID)
        }
    }

    /// Cancels: unpaid orders become `voided`, paid ones `refunded`; `restock` returns the units.
    @discardableResult
    public func cancel(orderID: Int, restock: Bool, reason: String = "customer") throws -> JSONValue {
        try perform { try $0.cancelOrder(orderID, ["restock": .bool(restock), "reason": .string(reason)]) }
    }

    /// Refunds line quantities (their price plus tax share) and/or an extra amount.
    ///
    /// - Parameters:
    ///   - lines: line item id → quantity to refund.
    ///   - restock: put the refunded units back in stock (`restock_type: return`).
    ///   - amount: the money to return; `nil` refunds exactly what the lines are worth.
    @discardableResult
    public func refund(orderID: Int, lines: [Int: Int], restock: Bool, amount: ExactDecimal? = nil, note: String? = nil) throws -> JSONValue {
        let refundLines: JSONValue = .array(lines.keys.sorted().map { ["line_item_id": .integer($0), "quantity": .integer(lines[$0] ?? 0), "restock_type": restock ? "return" : "no_restock"] })
        return try perform { s in
            var money = amount
            if money == nil {
                var preview = s
                let calc = try preview.refundOrder(orderID, ["refund_line_items": refundLines], dryRun: true)
                money = calc["refund"]?["transactions"]?[0]?["amount"]?.decimal
            }
            var input: [String: JSONValue] = ["refund_line_items": refundLines]
            if let money, !money.isZero { input["transactions"] = [["kind": "refund", "amount": .string(money.formatted(scale: 2))]] }
            if let note { input["note"] = .string(note) }
            _ = try s.refundOrder(orderID, input)
            return try s.getOrder(orderID)
        }
    }

    /// Registers a webhook subscription like `POST webhooks.json`.
    @discardableResult
    public func registerWebhook(topic: String, address: String) throws -> JSONValue {
        try perform { try $0.createWebhook(["topic": .string(topic), "address": .string(address), "format": "json"]) }
    }
}
