import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct WooCommerceWebhookTests {
    func register(_ site: WooTestSite, _ topic: String, secret: String = "s3cr3t") throws -> Int {
        let hook = site.call(.post, "webhooks", json: ["name": .string(topic), "topic": .string(topic), "delivery_url": "http://127.0.0.1:9000/hooks/woo", "secret": .string(secret)], expect: 201)
        #expect(keysOf(hook) == ["_links", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "delivery_url", "event", "hooks", "id", "name", "resource", "status", "topic"])
        return try #require(hook["id"]?.int)
    }

    @Test func creationSendsAnUnsignedFormPing() throws {
        let site = WooTestSite()
        let id = try register(site, "customer.created")
        let deliveries = site.woo.takeDueWebhooks()
        #expect(deliveries.count == 1)
        let ping = try #require(deliveries.first)
        #expect(String(decoding: ping.body, as: UTF8.self) == "webhook_id=\(id)")
        #expect(ping.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(ping.headers["X-WC-Webhook-Signature"] == nil)
        #expect(ping.address == "http://127.0.0.1:9000/hooks/woo")
        #expect(site.woo.takeDueWebhooks().isEmpty)
    }

    @Test func deliveryHeadersAndSignature() throws {
        let site = WooTestSite()
        let hook = try register(site, "customer.created", secret: "topsecret")
        _ = site.woo.takeDueWebhooks()
        let customer = try site.woo.createCustomer(email: "eva@example.mx", firstName: "Eva", lastName: "Núñez")
        let delivery = try #require(site.woo.takeDueWebhooks().first)
        #expect(delivery.topic == "customer.created")
        #expect(delivery.headers["X-WC-Webhook-Source"] == "http://127.0.0.1:8082/")
        #expect(delivery.headers["X-WC-Webhook-Topic"] == "customer.created")
        #expect(delivery.headers["X-WC-Webhook-Resource"] == "customer")
        #expect(delivery.headers["X-WC-Webhook-Event"] == "created")
        #expect(delivery.headers["X-WC-Webhook-ID"] == String(hook))
        #expect(delivery.headers["X-WC-Webhook-Delivery-ID"] == delivery.deliveryID)
        #expect(delivery.headers["Content-Type"] == "application/json")
        let expected = TestHMAC.hmacSHA256Base64(key: "topsecret", message: Array(delivery.body))
        #expect(delivery.headers["X-WC-Webhook-Signature"] == expected)
        let body = try JSONValue.parse(delivery.body)
        #expect(body == site.call(.get, "customers/\(customer)"))
    }

    @Test func payloadIsBuiltAtDeliveryTime() throws {
        let site = WooTestSite()
        _ = try register(site, "customer.updated")
        _ = try register(site, "customer.deleted")
        _ = site.woo.takeDueWebhooks()
        let id = try site.woo.createCustomer(email: "p@example.mx", firstName: "Primero", lastName: "X")
        try site.woo.editCustomer(id, ["first_name": "Segundo"])
        try site.woo.editCustomer(id, ["first_name": "Tercero"])
        let updates = site.woo.takeDueWebhooks()
        #expect(updates.count == 2)
        for delivery in updates {
            #expect(try JSONValue.parse(delivery.body)["first_name"]?.string == "Tercero")
        }
        try site.woo.deleteCustomer(id)
        let deleted = try #require(site.woo.takeDueWebhooks().first)
        #expect(deleted.topic == "customer.deleted")
        #expect(try JSONValue.parse(deleted.body) == ["id": .integer(id)])
    }

    @Test func variationChangesFireProductUpdatedOnce() throws {
        let site = WooTestSite()
        _ = try register(site, "product.updated")
        _ = site.woo.takeDueWebhooks()
        let parent = try site.woo.createProduct(["name": "Sudadera", "type": "variable"])
        let variation = try site.woo.createVariation(productID: parent, ["sku": "SUD-R", "regular_price": "549.00", "manage_stock": true, "stock_quantity": 3])
        _ = site.woo.takeDueWebhooks()
        try site.woo.setStock(productID: parent, variationID: variation, quantity: 9)
        let deliveries = site.woo.takeDueWebhooks()
        #expect(deliveries.count == 1)
        #expect(try JSONValue.parse(deliveries[0].body)["id"]?.int == parent)
        // An order that reduces stock of two lines of the same product fires product.updated once for it.
        try site.woo.createTaxRate(rate: "16.0000", name: "IVA", country: "MX")
        _ = try site.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: parent, variationID: variation, quantity: 1)], status: "processing"))
        #expect(site.woo.takeDueWebhooks().map(\.topic) == ["product.updated"])
        #expect(site.woo.stock(productID: parent, variationID: variation) == 8)
    }

    @Test func orderWebhooksAndRefundUpdate() throws {
        let site = WooTestSite()
        _ = try register(site, "order.created")
        _ = try register(site, "order.updated")
        _ = site.woo.takeDueWebhooks()
        let product = try site.woo.createSimpleProduct(name: "Taza", sku: "TAZ", regularPrice: "149.00", stock: 4)
        let order = try site.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: product, quantity: 1)], status: "pending"))
        #expect(site.woo.takeDueWebhooks().map(\.topic) == ["order.created"])
        try site.woo.setOrderStatus(order, to: "completed")
        _ = try site.woo.refundOrder(order, amount: try ExactDecimal("149.00"))
        let updates = site.woo.takeDueWebhooks()
        #expect(updates.map(\.topic) == ["order.updated", "order.updated"])
        #expect(try JSONValue.parse(updates[1].body)["status"]?.string == "refunded")
        // A checkout that lands in processing is one save: order.created only, no order.updated after it.
        _ = try site.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: product, quantity: 1)], status: "processing"))
        #expect(site.woo.takeDueWebhooks().map(\.topic) == ["order.created"])
        // Changes through the REST API fire webhooks too.
        let viaREST = site.call(.put, "orders/\(order)", json: ["customer_note": "Gracias"])
        #expect(viaREST["customer_note"]?.string == "Gracias")
        let restDelivery = site.woo.takeDueWebhooks()
        #expect(restDelivery.map(\.topic) == ["order.updated"])
        #expect(try JSONValue.parse(restDelivery[0].body)["customer_note"]?.string == "Gracias")
    }

    @Test func faultsDropDuplicateDelay() throws {
        let site = WooTestSite()
        _ = try register(site, "customer.created")
        _ = site.woo.takeDueWebhooks()
        var plan = FaultPlan()
        plan.webhookDropProbability = 1
        site.woo.faults = plan
        try site.woo.createCustomer(email: "drop@example.mx", firstName: "D", lastName: "D")
        #expect(site.woo.takeDueWebhooks().isEmpty)
        #expect(site.woo.pendingWebhookCount == 0)

        plan = FaultPlan()
        plan.webhookDuplicateProbability = 1
        site.woo.faults = plan
        try site.woo.createCustomer(email: "dup@example.mx", firstName: "D", lastName: "D")
        let twice = site.woo.takeDueWebhooks()
        #expect(twice.count == 2)
        // WooCommerce's delivery id is new for every delivery, a duplicate's too.
        #expect(twice[0].deliveryID != twice[1].deliveryID)
        #expect(twice[0].headers["X-WC-Webhook-Delivery-ID"] == twice[0].deliveryID)
        #expect(twice[0].body == twice[1].body)

        plan = FaultPlan()
        plan.webhookDelayMilliseconds = 5_000...5_000
        site.woo.faults = plan
        try site.woo.createCustomer(email: "late@example.mx", firstName: "L", lastName: "L")
        #expect(site.woo.takeDueWebhooks().isEmpty)
        site.clock.advance(by: 5_000)
        let late = site.woo.takeDueWebhooks()
        #expect(late.count == 1)
        #expect(late.first?.dueAtMilliseconds == WooTestSite.start + 5_000)
    }

    @Test("a webhook is disabled by the failure after more than 5 consecutive failed deliveries; a success resets the count")
    func consecutiveFailuresDisable() throws {
        let site = WooTestSite()
        let id = try register(site, "customer.created")
        _ = site.woo.takeDueWebhooks()
        var n = 0
        func deliverOnce(succeeding: Bool) throws {
            n += 1
            try site.woo.createCustomer(email: "f\(n)@example.mx", firstName: "F", lastName: "F")
            for d in site.woo.takeDueWebhooks() { site.woo.webhookDeliveryFinished(d, succeeded: succeeding) }
        }
        #expect(!site.woo.retriesFailedWebhooks)
        for _ in 0..<5 { try deliverOnce(succeeding: false) }
        try deliverOnce(succeeding: true)
        for _ in 0..<6 { try deliverOnce(succeeding: false) }
        #expect(site.call(.get, "webhooks/\(id)")["status"]?.string == "active")
        try deliverOnce(succeeding: false)
        #expect(site.call(.get, "webhooks/\(id)")["status"]?.string == "disabled")
        // Disabled: nothing is queued any more, until it is re-activated.
        try site.woo.createCustomer(email: "silent@example.mx", firstName: "S", lastName: "S")
        #expect(site.woo.takeDueWebhooks().isEmpty)
        _ = site.call(.put, "webhooks/\(id)", json: ["status": "active"])
        try site.woo.createCustomer(email: "back@example.mx", firstName: "B", lastName: "B")
        #expect(site.woo.takeDueWebhooks().map(\.topic) == ["customer.created"])
    }

    @Test func webhookEndpointsValidateAndDelete() throws {
        let site = WooTestSite()
        #expect(site.call(.post, "webhooks", json: ["topic": "coupon.exploded", "delivery_url": "http://x"], expect: 400)["code"]?.string == "woocommerce_rest_webhook_invalid_topic")
        let id = try register(site, "order.updated")
        #expect(site.call(.get, "webhooks").array?.count == 1)
        #expect(site.call(.delete, "webhooks/\(id)", expect: 501)["code"]?.string == "woocommerce_rest_trash_not_supported")
        _ = site.call(.delete, "webhooks/\(id)", query: [QueryItem("force", "true")])
        #expect(site.woo.webhooks().isEmpty)
        #expect(site.woo.takeDueWebhooks().isEmpty)
    }
}
