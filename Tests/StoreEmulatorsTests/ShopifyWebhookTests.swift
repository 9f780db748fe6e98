import Crypto
import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct ShopifyWebhookTests {
    @Test func registrationValidatesTopicAndAddress() {
        let h = ShopifyHarness()
        let bad = h.send(.post, "webhooks.json", body: ["webhook": ["topic": "customers/explode", "address": "https://example.com/h", "format": "json"]])
        #expect(bad.status == 422)
        #expect(bad.json["errors"]?["topic"]?[0]?.string?.hasPrefix("Invalid topic specified: customers/explode") == true)
        #expect(h.send(.post, "webhooks.json", body: ["webhook": ["topic": "orders/create", "address": "not a url"]]).status == 422)
        let ok = h.send(.post, "webhooks.json", body: ["webhook": ["topic": "orders/create", "address": "http://127.0.0.1:9000/w", "format": "json"]])
        #expect(ok.status == 201)
        #expect(ok.json["webhook"]?["api_version"] == "2024-10")
        #expect(h.send(.post, "webhooks.json", body: ["webhook": ["topic": "orders/create", "address": "http://127.0.0.1:9000/w"]]).status == 422)
        #expect(h.send(.get, "webhooks.json").json["webhooks"]?.array?.count == 1)
        let id = ok.json["webhook"]?["id"]?.int ?? 0
        #expect(h.send(.delete, "webhooks/\(id).json").status == 200)
        #expect(h.send(.get, "webhooks.json").json["webhooks"] == [])
    }

    @Test func deliveriesCarrySignedBodiesAndEveryHeader() throws {
        let h = ShopifyHarness()
        try h.shop.registerWebhook(topic: "customers/create", address: "http://127.0.0.1:9000/shopify")
        try h.shop.registerWebhook(topic: "customers/update", address: "http://127.0.0.1:9000/shopify")
        let c = try h.shop.createCustomer(email: "hook@example.mx", firstName: "Hook", lastName: "Prueba")
        try h.shop.updateCustomer(id: c["id"]?.int ?? 0, ["note": "nuevo"])
        try h.shop.updateCustomer(id: c["id"]?.int ?? 0, ["note": "nuevo"])  // no change, no webhook
        let deliveries = h.shop.takeDueWebhooks()
        #expect(deliveries.map(\.topic) == ["customers/create", "customers/update"])
        let key = SymmetricKey(data: Data(h.shop.credentials.webhookSecret.utf8))
        for d in deliveries {
            let expected = Data(HMAC<SHA256>.authenticationCode(for: d.body, using: key)).base64EncodedString()
            #expect(d.headers["X-Shopify-Hmac-Sha256"] == expected)
            #expect(d.headers["X-Shopify-Topic"] == d.topic)
            #expect(d.headers["X-Shopify-Shop-Domain"] == "oorden-demo.myshopify.com")
            #expect(d.headers["X-Shopify-API-Version"] == "2024-10")
            #expect(d.headers["X-Shopify-Webhook-Id"] == d.deliveryID)
            #expect(d.headers["X-Shopify-Triggered-At"] == "2026-11-29T16:20:05.000Z")
            #expect(d.headers["X-Shopify-Event-Id"] != nil)
            #expect(d.address == "http://127.0.0.1:9000/shopify")
        }
        #expect(deliveries[0].deliveryID != deliveries[1].deliveryID)
        let payload = try JSONValue.parse(deliveries[1].body)
        #expect(payload["note"] == "nuevo")
        #expect(payload["email"] == "hook@example.mx")
        #expect(h.shop.takeDueWebhooks().isEmpty)
    }

    @Test func orderAndInventoryTopicsFire() throws {
        let h = ShopifyHarness()
        for topic in ["orders/create", "orders/paid", "orders/updated", "orders/cancelled", "orders/fulfilled", "inventory_levels/update", "products/update"] {
            try h.shop.registerWebhook(topic: topic, address: "http://127.0.0.1:9000/s")
        }
        let product = try h.createProduct(variants: [("Default Title", "MIE-1", "150.00", 4)])
        let vid = try #require(product["variants"]?[0]?["id"]?.int)
        let item = try #require(product["variants"]?[0]?["inventory_item_id"]?.int)
        let order = try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: vid, quantity: 1)])
        var topics = h.shop.takeDueWebhooks().map(\.topic)
        // A sale changes the level, not the product: no products/update (as Shopify).
        #expect(topics == ["orders/create", "orders/paid", "inventory_levels/update"])
        try h.shop.fulfill(orderID: order["id"]?.int ?? 0)
        topics = h.shop.takeDueWebhooks().map(\.topic)
        #expect(topics == ["orders/fulfilled", "orders/updated"])
        try h.shop.adjustStock(inventoryItemID: item, by: 5)
        let level = try #require(h.shop.takeDueWebhooks().first { $0.topic == "inventory_levels/update" })
        let payload = try JSONValue.parse(level.body)
        #expect(payload["available"] == 8)
        #expect(payload["inventory_item_id"]?.int == item)
    }

    @Test func faultPlanDropsDuplicatesAndDelays() throws {
        let h = ShopifyHarness()
        try h.shop.registerWebhook(topic: "customers/create", address: "http://127.0.0.1:9000/s")
        var plan = FaultPlan()
        plan.webhookDropProbability = 1
        h.shop.faults = plan
        try h.shop.createCustomer(email: "drop@example.mx", firstName: "D", lastName: "D")
        #expect(h.shop.takeDueWebhooks().isEmpty)

        plan = FaultPlan()
        plan.webhookDuplicateProbability = 1
        h.shop.faults = plan
        try h.shop.createCustomer(email: "dup@example.mx", firstName: "D", lastName: "D")
        let dup = h.shop.takeDueWebhooks()
        #expect(dup.count == 2)
        #expect(dup[0].deliveryID == dup[1].deliveryID && dup[0].body == dup[1].body)

        plan = FaultPlan()
        plan.webhookDelayMilliseconds = 5_000...5_000
        h.shop.faults = plan
        try h.shop.createCustomer(email: "late@example.mx", firstName: "L", lastName: "L")
        #expect(h.shop.takeDueWebhooks().isEmpty)
        #expect(h.shop.pendingWebhookCount == 1)
        h.clock.advance(by: 5_000)
        #expect(h.shop.takeDueWebhooks().count == 1)
    }

    @Test func reorderShufflesDueBatchDeterministically() throws {
        func order(_ seed: UInt64) throws -> [String] {
            let h = ShopifyHarness(seed: seed)
            try h.shop.registerWebhook(topic: "customers/create", address: "http://127.0.0.1:9000/s")
            var plan = FaultPlan()
            plan.webhookReorderProbability = 1
            h.shop.faults = plan
            for i in 0..<8 { try h.shop.createCustomer(email: "r\(i)@example.mx", firstName: "R", lastName: "\(i)") }
            return h.shop.takeDueWebhooks().compactMap { try? JSONValue.parse($0.body)["email"]?.string }
        }
        let a = try order(5)
        #expect(a.count == 8)
        #expect(a != a.sorted { Int($0.dropFirst().prefix { $0 != "@" }) ?? 0 < Int($1.dropFirst().prefix { $0 != "@" }) ?? 0 })
        #expect(try order(5) == a)
    }

    @Test func injectedFailuresAndTimeouts() {
        let h = ShopifyHarness()
        var plan = FaultPlan()
        plan.failNextRequests = 2
        plan.failStatus = 503
        plan.failRetryAfterSeconds = 3
        plan.timeoutNextRequests = 1
        h.shop.faults = plan
        #expect(h.shop.handle(h.request(.get, "shop.json")) == .timeout)
        let first = h.send(.get, "shop.json")
        #expect(first.status == 503)
        #expect(first.headers["Retry-After"] == "3.0")
        #expect(h.send(.get, "shop.json").status == 503)
        #expect(h.send(.get, "shop.json").status == 200)
        #expect(h.shop.faults.failNextRequests == 0)
        #expect(h.shop.requestCount(method: .get, path: "/admin/api/2024-10/shop.json") == 4)
    }
}

@Suite struct ShopifyRateLimitTests {
    @Test func leakyBucketServes429AndRecovers() {
        let h = ShopifyHarness(rateLimit: true)
        for i in 1...40 {
            let r = h.send(.get, "shop.json")
            #expect(r.status == 200)
            #expect(r.headers["X-Shopify-Shop-Api-Call-Limit"] == "\(i)/40")
        }
        let over = h.send(.get, "shop.json")
        #expect(over.status == 429)
        #expect(over.headers["Retry-After"] == "0.5")
        #expect(over.headers["X-Shopify-Shop-Api-Call-Limit"] == "40/40")
        #expect(over.json == ["errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."])
        #expect(h.shop.rateLimitedResponses == 1)
        h.clock.advance(by: 1_000)  // leaks 2 calls
        let after = h.send(.get, "shop.json")
        #expect(after.status == 200)
        #expect(after.headers["X-Shopify-Shop-Api-Call-Limit"] == "39/40")
        #expect(h.send(.get, "shop.json").status == 200)
        #expect(h.send(.get, "shop.json").status == 429)
        #expect(h.shop.rateLimitedResponses == 2)
        h.clock.advance(by: 30_000)
        #expect(h.send(.get, "shop.json").headers["X-Shopify-Shop-Api-Call-Limit"] == "1/40")
    }

    @Test func unauthenticatedRequestsDoNotFillTheBucketAndDisabledLimitNeverThrottles() {
        let h = ShopifyHarness(rateLimit: true)
        for _ in 0..<50 { _ = h.send(.get, "shop.json", headers: HeaderFields()) }
        #expect(h.send(.get, "shop.json").headers["X-Shopify-Shop-Api-Call-Limit"] == "1/40")
        let off = ShopifyHarness(rateLimit: false)
        for _ in 0..<60 { #expect(off.send(.get, "shop.json").status == 200) }
    }
}
