import Foundation
import Logging
import StoreEmulators
import SyncCore
import Testing

@Suite struct WooCommerceSeedAndFaultTests {
    @Test func seededDataIsDeterministic() throws {
        let a = WooTestSite(seed: 7)
        let b = WooTestSite(seed: 7)
        let c = WooTestSite(seed: 8)
        for site in [a, b, c] { try site.woo.seed(customers: 12, products: 8, orders: 14) }
        #expect(a.woo.credentials == b.woo.credentials)
        #expect(a.woo.credentials != c.woo.credentials)
        #expect(a.woo.credentials.consumerKey.hasPrefix("ck_") && a.woo.credentials.consumerKey.count == 43)
        #expect(a.woo.credentials.consumerSecret.hasPrefix("cs_"))
        #expect(a.woo.customers() == b.woo.customers())
        #expect(a.woo.products() == b.woo.products())
        #expect(a.woo.orders() == b.woo.orders())
        #expect(a.woo.customers() != c.woo.customers())
        #expect(a.send(.get, "orders", query: [QueryItem("per_page", "100")]).body == b.send(.get, "orders", query: [QueryItem("per_page", "100")]).body)
    }

    @Test func seededDataLooksLikeASpanishMarketStore() throws {
        let site = WooTestSite(seed: 3)
        try site.woo.seed(customers: 10, products: 8, orders: 14)
        let customers = site.woo.customers()
        #expect(customers.count == 10)
        #expect(Set(customers.compactMap { $0["email"]?.string }).count == 10)
        #expect(customers.allSatisfy { $0["billing"]?["country"]?.string == "MX" && !($0["first_name"]?.string ?? "").isEmpty })
        let products = site.woo.products()
        #expect(products.count == 8)
        #expect(products.contains { $0["type"]?.string == "variable" && ($0["variations"]?.array?.count ?? 0) > 1 })
        let skus = products.compactMap { $0["sku"]?.string } + products.flatMap { p in site.woo.variations(productID: p["id"]?.int ?? 0).compactMap { $0["sku"]?.string } }
        #expect(Set(skus).count == skus.count)
        #expect(site.woo.taxRates().first?["rate"]?.string == "16.0000")
        let statuses = Set(site.woo.orders().compactMap { $0["status"]?.string })
        #expect(statuses == ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"])
        #expect(site.woo.orders().contains { $0["customer_id"]?.int == 0 })
        #expect(site.woo.orders().contains { ($0["customer_id"]?.int ?? 0) != 0 })
    }

    @Test func injectedFailuresAndTimeouts() throws {
        let site = WooTestSite()
        var plan = FaultPlan()
        plan.failNextRequests = 1
        plan.failStatus = 503
        plan.failRetryAfterSeconds = 7
        plan.timeoutNextRequests = 1
        site.woo.faults = plan
        let request = StoreRequest(method: .get, path: "/wp-json/wc/v3/customers", headers: site.basicAuth)
        #expect(site.woo.handle(request) == .timeout)
        let failed = try #require(site.woo.handle(request).response)
        #expect(failed.status == 503)
        #expect(failed.headers["Retry-After"] == "7")
        #expect(failed.headers["Date"] != nil)
        #expect(site.woo.handle(request).response?.status == 200)
        #expect(site.woo.requestCounts()["total"] == 3)
        #expect(site.woo.requestCounts()["GET customers"] == 1)
    }

    @Test func dateHeaderFollowsTheSkewedSiteClock() throws {
        let site = WooTestSite()
        site.clock.advance(by: 400)  // second precision: the fraction is dropped
        #expect(site.send(.get, "customers").headers["Date"] == "Sun, 29 Nov 2026 15:00:05 GMT")
        site.woo.clockSkewMilliseconds = -90_000
        #expect(site.send(.get, "customers").headers["Date"] == "Sun, 29 Nov 2026 14:58:35 GMT")
        let created = site.call(.post, "customers", json: ["email": "skew@example.mx"], expect: 201)
        #expect(created["date_created_gmt"]?.string == "2026-11-29T14:58:35")
    }
}
