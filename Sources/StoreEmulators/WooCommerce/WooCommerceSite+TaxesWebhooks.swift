import SyncCore

extension WooCommerceSite {
    func taxJSON(_ t: WooTaxRate) -> JSONValue {
        ["id": .integer(t.id), "country": .string(t.country), "state": .string(t.state), "postcode": .string(t.postcode),
         "city": .string(t.city), "postcodes": t.postcode.isEmpty ? [] : [.string(t.postcode)], "cities": t.city.isEmpty ? [] : [.string(t.city)],
         "rate": .string(t.rate.formatted(scale: 4)), "name": .string(t.name), "priority": .integer(t.priority),
         "compound": .bool(t.compound), "shipping": .bool(t.shipping), "order": .integer(t.order), "class": .string(t.taxClass),
         "_links": link("taxes/\(t.id)")]
    }

    func listTaxes(_ query: WooQuery) throws -> [JSONValue] {
        let orderby = try query.oneOf("orderby", ["id", "order", "priority"], default: "order")
        let desc = try query.oneOf("order", ["asc", "desc"], default: "asc") == "desc"
        var rows = Array(taxes.values)
        if let cls = query.value("class"), !cls.isEmpty { rows = rows.filter { $0.taxClass == cls } }
        switch orderby {
        case "id": rows = ordered(rows, desc: desc, id: \.id) { _ in "" }
        case "priority": rows = ordered(rows, desc: desc, id: \.id) { String(repeating: "0", count: max(0, 8 - String($0.priority).count)) + String($0.priority) }
        default: rows = ordered(rows, desc: desc, id: \.id) { String(repeating: "0", count: max(0, 8 - String($0.order).count)) + String($0.order) }
        }
        return rows.map(taxJSON)
    }

    private func applyTaxFields(_ params: WooParams, to t: inout WooTaxRate) throws {
        if let v = try params.string("country") { t.country = v.uppercased() }
        if let v = try params.string("state") { t.state = v.uppercased() }
        if let v = try params.string("postcode") { t.postcode = v }
        if let v = try params.string("city") { t.city = v }
        if let v = try params.string("rate") {
            guard let d = ExactDecimal.parse(v) else { throw WooParams.invalid("rate", "rate is not a valid decimal.") }
            t.rate = d
        }
        if let v = try params.string("name") { t.name = v }
        if let v = try params.int("priority") { t.priority = v }
        if let v = try params.bool("compound") { t.compound = v }
        if let v = try params.bool("shipping") { t.shipping = v }
        if let v = try params.int("order") { t.order = v }
        if let v = try params.string("class") { t.taxClass = v.isEmpty ? "standard" : v }
    }

    mutating func createTax(_ params: WooParams) throws -> Int {
        if params.has("id") {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_tax_exists", message: "Cannot create existing resource.", status: 400)
        }
        var t = WooTaxRate(id: nextTaxID, country: "", rate: .zero, name: "")
        try applyTaxFields(params, to: &t)
        nextTaxID += 1
        taxes[t.id] = t
        return t.id
    }

    mutating func updateTax(_ id: Int, _ params: WooParams) throws {
        guard var t = taxes[id] else { throw Self.invalidID(.taxes) }
        try applyTaxFields(params, to: &t)
        taxes[id] = t
    }

    mutating func deleteTax(_ id: Int, force: Bool) throws -> JSONValue {
        guard force else { throw Self.trashNotSupported("Taxes") }
        guard let t = taxes[id] else { throw Self.invalidID(.taxes) }
        taxes[id] = nil
        return taxJSON(t)
    }

    static let webhookResources = ["coupon", "customer", "order", "product"]
    static let webhookEvents = ["created", "updated", "deleted", "restored"]

    static func hooks(for topic: String) -> [String] {
        switch topic {
        case "customer.created": ["user_register", "woocommerce_created_customer", "woocommerce_new_customer"]
        case "customer.updated": ["profile_update", "woocommerce_update_customer"]
        case "customer.deleted": ["delete_user"]
        case "order.created": ["woocommerce_new_order"]
        case "order.updated": ["woocommerce_update_order", "woocommerce_order_refunded"]
        case "order.deleted": ["wp_trash_post"]
        case "order.restored": ["untrashed_post"]
        case "product.created": ["woocommerce_process_product_meta", "woocommerce_new_product", "woocommerce_new_product_variation"]
        case "product.updated": ["woocommerce_process_product_meta", "woocommerce_update_product", "woocommerce_update_product_variation"]
        case "product.deleted": ["wp_trash_post"]
        case "product.restored": ["untrashed_post"]
        default: []
        }
    }

    func webhookJSON(_ w: WooWebhookRecord) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .integer(w.id), "name": .string(w.name), "status": .string(w.status), "topic": .string(w.topic),
            "resource": .string(w.resource), "event": .string(w.event), "hooks": .array(Self.hooks(for: w.topic).map { .string($0) }),
            "delivery_url": .string(w.deliveryURL), "_links": link("webhooks/\(w.id)"),
        ]
        for (k, v) in dates("date_created", w.created) + dates("date_modified", w.modified) { o[k] = v }
        return .object(o)
    }

    func listWebhooks(_ query: WooQuery) -> [JSONValue] {
        var rows = webhooks.values.sorted { $0.id > $1.id }
        if let status = query.value("status"), status != "all" { rows = rows.filter { $0.status == status } }
        return rows.map(webhookJSON)
    }

    private static func validTopic(_ topic: String) -> Bool {
        let parts = topic.split(separator: ".").map(String.init)
        return parts.count == 2 && webhookResources.contains(parts[0]) && webhookEvents.contains(parts[1])
    }

    mutating func createWebhook(_ params: WooParams) throws -> Int {
        guard let topic = try params.string("topic"), Self.validTopic(topic) else {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_webhook_invalid_topic", message: "Webhook topic is required and must be valid.", status: 400)
        }
        guard let url = try params.string("delivery_url"), url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_webhook_invalid_delivery_url", message: "Webhook delivery URL must be a valid URL starting with http:// or https://.", status: 400)
        }
        let status = try params.oneOf("status", ["active", "paused", "disabled"]) ?? "active"
        let secret = try params.string("secret").flatMap { $0.isEmpty ? nil : $0 } ?? credentials.webhookSecret
        let id = nextWebhookID
        nextWebhookID += 1
        let name = try params.string("name") ?? "Webhook created on \(localDate(now))"
        webhooks[id] = WooWebhookRecord(id: id, name: name, status: status, topic: topic, deliveryURL: url, secret: secret, created: now, modified: now)
        if status == "active" { queuePing(webhookID: id) }
        return id
    }

    mutating func updateWebhook(_ id: Int, _ params: WooParams) throws {
        guard var w = webhooks[id] else { throw Self.invalidID(.webhooks) }
        if let topic = try params.string("topic") {
            guard Self.validTopic(topic) else {
                throw WooCommerceEmulatorError(code: "woocommerce_rest_webhook_invalid_topic", message: "Webhook topic is required and must be valid.", status: 400)
            }
            w.topic = topic
        }
        if let v = try params.string("delivery_url") { w.deliveryURL = v }
        if let v = try params.string("secret") { w.secret = v }
        if let v = try params.string("name") { w.name = v }
        if let v = try params.oneOf("status", ["active", "paused", "disabled"]) { w.status = v }
        w.modified = now
        webhooks[id] = w
    }

    mutating func deleteWebhook(_ id: Int, force: Bool) throws -> JSONValue {
        guard force else { throw Self.trashNotSupported("Webhooks") }
        guard let w = webhooks[id] else { throw Self.invalidID(.webhooks) }
        webhooks[id] = nil
        queue.removeAll { $0.webhookID == id }
        return webhookJSON(w)
    }
}
