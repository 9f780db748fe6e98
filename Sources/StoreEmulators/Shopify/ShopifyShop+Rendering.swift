import SyncCore

/// Rendering of records in the Admin REST JSON shapes (see the fixtures in Tests/Fixtures).
extension ShopifyShop {
    func money(_ d: ExactDecimal) -> JSONValue { .string(d.formatted(scale: 2)) }

    func moneySet(_ d: ExactDecimal) -> JSONValue {
        let amount = money(d)
        let currency = JSONValue.string(configuration.currency)
        return ["shop_money": ["amount": amount, "currency_code": currency], "presentment_money": ["amount": amount, "currency_code": currency]]
    }

    func time(_ ms: Int64?) -> JSONValue { ms.map { .string(timestamp($0)) } ?? .null }

    func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    func gid(_ kind: String, _ id: Int) -> JSONValue { .string("gid://shopify/\(kind)/\(id)") }

    func customerJSON(_ c: ShopifyCustomer) -> JSONValue {
        let customerOrders = orders.values.filter { $0.customerID == c.id }.sorted { $0.id < $1.id }
        let spent = customerOrders.filter { $0.cancelledAt == nil }.reduce(ExactDecimal.zero) { $0 + $1.totalPrice - $1.refundedAmount }
        var o: [String: JSONValue] = [
            "id": .integer(c.id),
            "email": optional(c.email),
            "accepts_marketing": .bool(c.acceptsMarketing),
            "created_at": time(c.createdAt),
            "updated_at": time(c.updatedAt),
            "first_name": optional(c.firstName),
            "last_name": optional(c.lastName),
            "orders_count": .integer(customerOrders.count),
            "state": .string(c.state),
            "total_spent": money(spent),
            "last_order_id": customerOrders.last.map { .integer($0.id) } ?? .null,
            "last_order_name": customerOrders.last.map { .string($0.name) } ?? .null,
            "note": optional(c.note),
            "verified_email": .bool(c.verifiedEmail),
            "multipass_identifier": .null,
            "tax_exempt": .bool(c.taxExempt),
            "tags": .string(c.tags),
            "currency": .string(configuration.currency),
            "phone": optional(c.phone),
            "addresses": .array(c.addresses.map { .object($0) }),
            "tax_exemptions": [],
            "admin_graphql_api_id": gid("Customer", c.id),
        ]
        if let d = c.addresses.first(where: { $0["default"]?.bool == true }) ?? c.addresses.first {
            o["default_address"] = .object(d)
        }
        return .object(o)
    }

    func metafieldJSON(_ m: ShopifyMetafield, ownerID: Int, ownerResource: String) -> JSONValue {
        [
            "id": .integer(m.id), "namespace": .string(m.namespace), "key": .string(m.key), "value": .string(m.value),
            "type": .string(m.type), "description": .null, "owner_id": .integer(ownerID), "owner_resource": .string(ownerResource),
            "created_at": time(m.createdAt), "updated_at": time(m.updatedAt), "admin_graphql_api_id": gid("Metafield", m.id),
        ]
    }

    func variantJSON(_ v: ShopifyVariant) -> JSONValue {
        [
            "id": .integer(v.id),
            "product_id": .integer(v.productID),
            "title": .string(v.title),
            "price": money(v.price),
            "compare_at_price": v.compareAtPrice.map { money($0) } ?? .null,
            "sku": optional(v.sku),
            "barcode": optional(v.barcode),
            "position": .integer(v.position),
            "inventory_policy": .string(v.inventoryPolicy),
            "fulfillment_service": "manual",
            "inventory_management": optional(v.inventoryManagement),
            "option1": .string(v.title),
            "option2": .null,
            "option3": .null,
            "created_at": time(v.createdAt),
            "updated_at": time(v.updatedAt),
            "taxable": .bool(v.taxable),
            "grams": .integer(v.grams),
            "weight": .integer(v.grams),
            "weight_unit": "g",
            "requires_shipping": true,
            "inventory_item_id": .integer(v.inventoryItemID),
            "inventory_quantity": .integer(levels[v.inventoryItemID]?.available ?? 0),
            "old_inventory_quantity": .integer(levels[v.inventoryItemID]?.available ?? 0),
            "admin_graphql_api_id": gid("ProductVariant", v.id),
        ]
    }

    func productJSON(_ p: ShopifyProduct) -> JSONValue {
        let hasOptions = !(p.variants.count == 1 && p.variants[0].title == "Default Title")
        return [
            "id": .integer(p.id),
            "title": .string(p.title),
            "body_html": optional(p.bodyHTML),
            "vendor": .string(p.vendor),
            "product_type": .string(p.productType),
            "handle": .string(p.handle),
            "status": .string(p.status),
            "tags": .string(p.tags),
            "created_at": time(p.createdAt),
            "updated_at": time(p.updatedAt),
            "published_at": time(p.publishedAt),
            "published_scope": "web",
            "template_suffix": .null,
            "variants": .array(p.variants.map { variantJSON($0) }),
            "options": [[
                "id": .integer(p.id + 1_000_000_000), "product_id": .integer(p.id), "name": .string(hasOptions ? "Variante" : "Title"),
                "position": 1, "values": .array(p.variants.map { .string($0.title) }),
            ]],
            "images": [],
            "image": .null,
            "admin_graphql_api_id": gid("Product", p.id),
        ]
    }

    func levelJSON(inventoryItemID: Int, _ l: ShopifyInventoryLevel) -> JSONValue {
        [
            "inventory_item_id": .integer(inventoryItemID), "location_id": .integer(configuration.primaryLocationID),
            "available": .integer(l.available), "updated_at": time(l.updatedAt),
            "admin_graphql_api_id": .string("gid://shopify/InventoryLevel/\(configuration.primaryLocationID)?inventory_item_id=\(inventoryItemID)"),
        ]
    }

    func taxLineJSON(_ t: ShopifyTaxLine) -> JSONValue {
        ["title": .string(t.title), "rate": .decimal(t.rate), "price": money(t.price), "price_set": moneySet(t.price), "channel_liable": false]
    }

    func lineItemJSON(_ l: ShopifyLineItem) -> JSONValue {
        let name = l.variantTitle.map { "\(l.title) - \($0)" } ?? l.title
        let fulfillmentStatus: JSONValue = l.fulfilledQuantity == 0 ? .null : (l.fulfilledQuantity >= l.quantity ? "fulfilled" : "partial")
        return [
            "id": .integer(l.id),
            "variant_id": l.variantID.map { .integer($0) } ?? .null,
            "product_id": l.productID.map { .integer($0) } ?? .null,
            "title": .string(l.title),
            "variant_title": optional(l.variantTitle),
            "name": .string(name),
            "sku": optional(l.sku),
            "vendor": optional(l.vendor),
            "quantity": .integer(l.quantity),
            "current_quantity": .integer(l.quantity - l.refundedQuantity),
            "fulfillable_quantity": .integer(max(0, l.quantity - l.fulfilledQuantity - l.refundedQuantity)),
            "fulfillment_status": fulfillmentStatus,
            "fulfillment_service": "manual",
            "price": money(l.price),
            "price_set": moneySet(l.price),
            "total_discount": "0.00",
            "total_discount_set": moneySet(.zero),
            "taxable": .bool(l.taxable),
            "tax_lines": .array(l.taxLines.map { taxLineJSON($0) }),
            "grams": .integer(l.grams),
            "requires_shipping": true,
            "gift_card": false,
            "product_exists": .bool(l.productID.map { products[$0] != nil } ?? false),
            "variant_inventory_management": l.inventoryManaged ? "shopify" : .null,
            "properties": [],
            "admin_graphql_api_id": gid("LineItem", l.id),
        ]
    }

    func transactionJSON(_ t: ShopifyTransaction, orderID: Int) -> JSONValue {
        [
            "id": .integer(t.id), "order_id": .integer(orderID), "kind": .string(t.kind), "amount": money(t.amount),
            "currency": .string(configuration.currency), "gateway": "manual", "status": "success", "message": .null,
            "created_at": time(t.createdAt), "processed_at": time(t.createdAt), "test": false, "authorization": .null,
            "location_id": .null, "user_id": .null, "parent_id": t.parentID.map { .integer($0) } ?? .null,
            "device_id": .null, "receipt": [:], "error_code": .null, "source_name": "web",
            "admin_graphql_api_id": gid("OrderTransaction", t.id),
        ]
    }

    func refundJSON(_ r: ShopifyRefund, order: ShopifyOrder) -> JSONValue {
        let lines: [JSONValue] = r.lines.map { rl in
            var o: [String: JSONValue] = [
                "id": .integer(rl.id), "quantity": .integer(rl.quantity), "line_item_id": .integer(rl.lineItemID),
                "location_id": rl.restockType == "no_restock" ? .null : .integer(configuration.primaryLocationID),
                "restock_type": .string(rl.restockType), "subtotal": money(rl.subtotal), "subtotal_set": moneySet(rl.subtotal),
                "total_tax": money(rl.totalTax), "total_tax_set": moneySet(rl.totalTax),
            ]
            if let li = order.lineItems.first(where: { $0.id == rl.lineItemID }) { o["line_item"] = lineItemJSON(li) }
            return .object(o)
        }
        return [
            "id": .integer(r.id), "order_id": .integer(order.id), "created_at": time(r.createdAt), "processed_at": time(r.createdAt),
            "note": optional(r.note), "restock": .bool(r.restock), "user_id": .null,
            "refund_line_items": .array(lines),
            "transactions": .array(r.transactions.map { transactionJSON($0, orderID: order.id) }),
            "order_adjustments": [],
            "admin_graphql_api_id": gid("Refund", r.id),
        ]
    }

    func orderJSON(_ o: ShopifyOrder) -> JSONValue {
        let refunded = o.refundedAmount
        let refundedTax = o.refunds.reduce(ExactDecimal.zero) { acc, r in acc + r.lines.reduce(ExactDecimal.zero) { $0 + $1.totalTax } }
        let currentTotal = o.totalPrice - refunded
        let weight = o.lineItems.reduce(0) { $0 + $1.grams * $1.quantity }
        let j: [String: JSONValue] = [
            "id": .integer(o.id),
            "name": .string(o.name),
            "number": .integer(o.number - 1000),
            "order_number": .integer(o.number),
            "email": optional(o.email),
            "contact_email": optional(o.email),
            "phone": optional(o.phone),
            "currency": .string(configuration.currency),
            "presentment_currency": .string(configuration.currency),
            "financial_status": .string(o.financialStatus),
            "fulfillment_status": optional(o.fulfillmentStatus),
            "cancelled_at": time(o.cancelledAt),
            "cancel_reason": optional(o.cancelReason),
            "closed_at": time(o.closedAt),
            "processed_at": time(o.processedAt),
            "created_at": time(o.createdAt),
            "updated_at": time(o.updatedAt),
            "taxes_included": .bool(o.taxesIncluded),
            "tax_lines": .array(o.taxLines.map { taxLineJSON($0) }),
            "total_line_items_price": money(o.lineItemsTotal),
            "total_line_items_price_set": moneySet(o.lineItemsTotal),
            "subtotal_price": money(o.subtotal),
            "subtotal_price_set": moneySet(o.subtotal),
            "total_tax": money(o.totalTax),
            "total_tax_set": moneySet(o.totalTax),
            "total_discounts": "0.00",
            "total_discounts_set": moneySet(.zero),
            "total_shipping_price_set": moneySet(o.shippingTotal),
            "total_price": money(o.totalPrice),
            "total_price_set": moneySet(o.totalPrice),
            "current_total_price": money(currentTotal),
            "current_total_price_set": moneySet(currentTotal),
            "current_total_tax": money(o.totalTax - refundedTax),
            "current_total_tax_set": moneySet(o.totalTax - refundedTax),
            "total_outstanding": money(["pending", "authorized"].contains(o.financialStatus) ? o.totalPrice : .zero),
            "total_weight": .integer(weight),
            "line_items": .array(o.lineItems.map { lineItemJSON($0) }),
            "shipping_lines": .array(o.shippingLines.map { s in
                ["id": .integer(s.id), "title": .string(s.title), "code": .string(s.title), "price": money(s.price), "price_set": moneySet(s.price),
                 "discounted_price": money(s.price), "source": "shopify", "tax_lines": []]
            }),
            "refunds": .array(o.refunds.map { refundJSON($0, order: o) }),
            "fulfillments": [],
            "discount_codes": [],
            "note": optional(o.note),
            "note_attributes": [],
            "tags": .string(o.tags),
            "shipping_address": o.shippingAddress.map { .object($0) } ?? .null,
            "billing_address": o.billingAddress.map { .object($0) } ?? .null,
            "customer": o.customerID.flatMap { customers[$0] }.map { customerJSON($0) } ?? .null,
            "token": .string(o.token),
            "confirmed": true,
            "test": false,
            "gateway": "manual",
            "payment_gateway_names": ["manual"],
            "processing_method": "manual",
            "source_name": .string(o.sourceName),
            "buyer_accepts_marketing": false,
            "browser_ip": .null,
            "cart_token": .null,
            "checkout_id": .null,
            "checkout_token": .null,
            "client_details": .null,
            "landing_site": .null,
            "landing_site_ref": .null,
            "referring_site": .null,
            "reference": .null,
            "location_id": .null,
            "user_id": .null,
            "admin_graphql_api_id": gid("Order", o.id),
        ]
        return .object(j)
    }

    func webhookJSON(_ w: ShopifyWebhookSubscription) -> JSONValue {
        [
            "id": .integer(w.id), "address": .string(w.address), "topic": .string(w.topic), "format": .string(w.format),
            "created_at": time(w.createdAt), "updated_at": time(w.updatedAt), "fields": [], "metafield_namespaces": [],
            "private_metafield_namespaces": [], "api_version": .string(configuration.apiVersion),
            "admin_graphql_api_id": gid("WebhookSubscription", w.id),
        ]
    }

    func shopJSON() -> JSONValue {
        let currencies = [configuration.currency] + configuration.extraPresentmentCurrencies
        let offset = configuration.timezoneOffsetMinutes
        let sign = offset < 0 ? "-" : "+"
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let zone = "(GMT\(sign)\(two(abs(offset) / 60)):\(two(abs(offset) % 60))) \(configuration.ianaTimezone)"
        return [
            "id": .integer(configuration.firstID - 1),
            "name": .string(configuration.shopName),
            "email": .string(configuration.shopEmail),
            "customer_email": .string(configuration.shopEmail),
            "shop_owner": "Oorden Demo",
            "domain": .string(configuration.shopDomain),
            "myshopify_domain": .string(configuration.shopDomain),
            "currency": .string(configuration.currency),
            "enabled_presentment_currencies": .array(currencies.map { .string($0) }),
            "money_format": "${{amount}}",
            "money_with_currency_format": .string("${{amount}} \(configuration.currency)"),
            "taxes_included": .bool(configuration.taxesIncluded),
            "tax_shipping": .null,
            "county_taxes": true,
            "timezone": .string(zone),
            "iana_timezone": .string(configuration.ianaTimezone),
            "primary_location_id": .integer(configuration.primaryLocationID),
            "primary_locale": "es",
            "country": "MX", "country_code": "MX", "country_name": "Mexico",
            "province": "Ciudad de México", "province_code": "CMX", "city": "Ciudad de México",
            "address1": "Av. Paseo de la Reforma 222", "zip": "06600", "phone": "+525555555555",
            "plan_name": "basic", "plan_display_name": "Basic", "source": .null, "public": false,
            "created_at": time(shopCreatedAt), "updated_at": time(shopCreatedAt),
        ]
    }

    /// Keeps only the requested top-level keys (`fields=id,email`).
    static func selectFields(_ value: JSONValue, _ fields: [String]?) -> JSONValue {
        guard let fields, !fields.isEmpty, case .object(let o) = value else { return value }
        return .object(o.filter { fields.contains($0.key) })
    }
}
