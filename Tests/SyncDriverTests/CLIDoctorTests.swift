import Foundation
import Logging
import OordenLedger
import StoreEmulators
import SyncCore
import Testing

/// `oorden-sync doctor` end to end: the built binary against emulators served on loopback HTTP.
@Suite("oorden-sync doctor, end to end")
struct CLIDoctorTests {
    @Test("a healthy store passes every check; wrong credentials, another currency, a missing tax and missing webhooks each fail with the fix")
    func doctor() async throws {
        let cli = try CLI.locate()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = SystemWallClock()
        var logger = Logger(label: "doctor-test")
        logger.logLevel = .critical

        // Oorden: MXN with IVA 16 %.
        let ledger = try OordenLedger(path: dir.appendingPathComponent("ledger.sqlite").path, clock: clock)
        _ = try ledger.setCompany(name: "Comercializadora del Bajío", currency: "MXN")
        _ = try ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))

        // A healthy Shopify store: MXN, orders taxed at 16 %, every webhook topic registered.
        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        let shop = ShopifyEmulator(configuration: shopConfig, seed: 11, clock: clock)
        shop.seed(customers: 4, products: 3, orders: 4)
        // Every topic the daemon may need (a superset of SyncDaemon.ShopifyRecordFormat().webhookTopics,
        // which this test target does not link).
        let topics = ["customers/create", "customers/update", "customers/delete", "products/create", "products/update", "products/delete",
                      "orders/create", "orders/updated", "orders/paid", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled",
                      "orders/delete", "refunds/create", "inventory_levels/update"]
        for topic in topics {
            _ = try? shop.registerWebhook(topic: topic, address: "https://sync.example.mx/webhooks/shopify/tienda-ok")
        }
        // A WooCommerce store whose configured secret is wrong.
        let woo = WooCommerceEmulator(seed: 12, clock: clock, logger: logger)
        try woo.seed(customers: 2, products: 2, orders: 0)
        // A WooCommerce store in US dollars with an 11 % rate Oorden lacks, and no webhooks.
        var usdConfig = WooCommerceEmulatorConfiguration()
        usdConfig.currency = "USD"
        let usd = WooCommerceEmulator(configuration: usdConfig, seed: 13, clock: clock, logger: logger)
        try usd.seed(customers: 2, products: 2, orders: 0)
        try usd.createTaxRate(rate: "11.0000", name: "IVA 11 %", country: "MX")

        let servers = [EmulatorServer(emulator: shop, logger: logger), EmulatorServer(emulator: woo, logger: logger), EmulatorServer(emulator: usd, logger: logger)]
        var origins: [String] = []
        for server in servers { origins.append("http://127.0.0.1:\(try await server.start())") }
        for (emulator, origin) in [(woo, origins[1]), (usd, origins[2])] {
            var c = emulator.configuration
            c.siteURL = origin
            emulator.configuration = c
        }

        func write(_ stores: [JSONValue], to name: String) throws -> String {
            let doc: JSONValue = .object(["engine": ["database": "engine.sqlite"], "ledger": ["path": "ledger.sqlite"], "stores": .array(stores)])
            let path = dir.appendingPathComponent(name).path
            try Data(doc.jsonText.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let healthy: JSONValue = ["name": "tienda-ok", "kind": "shopify", "url": .string(origins[0]), "access_token_env": "DOC_SHOP_TOKEN"]
        let config = try write([
            healthy,
            ["name": "tienda-clave", "kind": "woocommerce", "url": .string(origins[1]), "consumer_key_env": "DOC_WOO_KEY", "consumer_secret_env": "DOC_WOO_SECRET"],
            ["name": "tienda-usd", "kind": "woocommerce", "url": .string(origins[2]), "consumer_key_env": "DOC_USD_KEY", "consumer_secret_env": "DOC_USD_SECRET"],
        ], to: "oorden-sync.json")
        let wrongSecret = "cs_" + String(repeating: "0", count: 40)
        let environment = [
            "DOC_SHOP_TOKEN": shop.credentials.accessToken,
            "DOC_WOO_KEY": woo.credentials.consumerKey, "DOC_WOO_SECRET": wrongSecret,
            "DOC_USD_KEY": usd.credentials.consumerKey, "DOC_USD_SECRET": usd.credentials.consumerSecret,
        ]

        let result = try await cli.run(["doctor", "--config", config, "--json"], environment: environment)
        let text = try await cli.run(["doctor", "--config", config], environment: environment)
        let alone = try await cli.run(["doctor", "--config", try write([healthy], to: "healthy.json")], environment: environment)
        let unset = try await cli.run(["doctor", "--config", config, "--json"], environment: ["DOC_WOO_KEY": "", "DOC_SHOP_TOKEN": shop.credentials.accessToken])
        for server in servers { await server.stop() }

        #expect(result.status == 2, "\(result.stderr)")
        let report = try result.json()
        #expect(report["ok"]?.bool == false)
        let sections = try #require(report["sections"]?.array)
        func checks(_ name: String) -> [String: (status: String, message: String)] {
            var out: [String: (String, String)] = [:]
            for c in sections.first(where: { $0["name"]?.string == name })?["checks"]?.array ?? [] {
                out[c["check"]?.string ?? ""] = (c["status"]?.string ?? "", c["message"]?.string ?? "")
            }
            return out
        }
        #expect(checks("oorden")["ledger"]?.status == "ok")

        let ok = checks("tienda-ok")
        for name in ["connectivity", "credentials", "permissions", "currency", "taxes", "webhooks"] {
            #expect(ok[name]?.status == "ok", "tienda-ok \(name): \(ok[name]?.message ?? "missing")")
        }
        #expect(ok["taxes"]?.message.contains("16 %") == true)

        let bad = checks("tienda-clave")
        #expect(bad["connectivity"]?.status == "ok")
        #expect(bad["credentials"]?.status == "fail")
        #expect(bad["credentials"]?.message.contains("DOC_WOO_KEY") == true, "the fix names the variables to export")
        #expect(bad["currency"]?.status == "skipped")

        let other = checks("tienda-usd")
        #expect(other["credentials"]?.status == "ok")
        #expect(other["currency"]?.status == "fail")
        #expect(other["currency"]?.message.contains("USD") == true && other["currency"]?.message.contains("MXN") == true)
        #expect(other["taxes"]?.status == "fail")
        #expect(other["taxes"]?.message.contains("11 %") == true)
        #expect(other["webhooks"]?.status == "fail")
        #expect(other["webhooks"]?.message.contains("--register-webhooks") == true)
        #expect(report["failures"]?.int == 4)

        // Text: one line per check, FAIL lines with the fix; no secret anywhere.
        #expect(text.status == 2)
        #expect(text.stdout.contains("FAIL  credentials"))
        #expect(text.stdout.contains("4 problems found"))
        for secret in [wrongSecret, shop.credentials.accessToken, usd.credentials.consumerSecret, woo.credentials.consumerSecret] {
            #expect(!text.stdout.contains(secret) && !text.stderr.contains(secret) && !result.stdout.contains(secret))
        }

        // The healthy store alone: exit 0.
        #expect(alone.status == 0, "\(alone.stdout)\n\(alone.stderr)")
        #expect(alone.stdout.contains("Everything checked is in order."))

        // A variable the file names but the environment lacks: the fix names it.
        #expect(unset.status == 2)
        let missing = try unset.json()["sections"]?.array?.first { $0["name"]?.string == "tienda-clave" }?["checks"]?.array?.first?["message"]?.string
        #expect(missing?.contains("DOC_WOO_KEY") == true)
    }

    @Test("a WooCommerce webhook the store disabled after failed deliveries is reported as disabled, with the fix")
    func disabledWooCommerceWebhook() async throws {
        let cli = try CLI.locate()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = SystemWallClock()
        var logger = Logger(label: "doctor-test")
        logger.logLevel = .critical
        let ledger = try OordenLedger(path: dir.appendingPathComponent("ledger.sqlite").path, clock: clock)
        _ = try ledger.setCompany(name: "Comercializadora del Bajío", currency: "MXN")
        var config = WooCommerceEmulatorConfiguration()
        config.assumeHTTPS = true
        let woo = WooCommerceEmulator(configuration: config, seed: 14, clock: clock, logger: logger)
        try woo.seed(customers: 2, products: 2, orders: 0)
        let auth = "Basic " + Data("\(woo.credentials.consumerKey):\(woo.credentials.consumerSecret)".utf8).base64EncodedString()
        func rest(_ method: StoreRequest.Method, _ path: String, _ body: JSONValue) -> JSONValue {
            let reply = woo.handle(StoreRequest(method: method, path: "/wp-json/wc/v3/" + path, query: [],
                                                headers: ["Authorization": auth, "Content-Type": "application/json"], body: body.jsonData))
            return (try? JSONValue.parse(reply.response?.body ?? Data())) ?? .null
        }
        var ids: [String: Int] = [:]
        for topic in ["customer.created", "customer.updated", "customer.deleted", "product.created", "product.updated", "product.deleted",
                      "order.created", "order.updated"] {
            ids[topic] = rest(.post, "webhooks", ["topic": .string(topic), "delivery_url": "https://sync.example.mx/webhooks/woocommerce/tienda-woo"])["id"]?.int
        }
        // What WooCommerce does after more than 5 failed deliveries in a row.
        _ = rest(.put, "webhooks/\(ids["order.updated"] ?? 0)", ["status": "disabled"])

        let server = EmulatorServer(emulator: woo, logger: logger)
        let origin = "http://127.0.0.1:\(try await server.start())"
        config.siteURL = origin
        woo.configuration = config
        let doc: JSONValue = .object(["engine": ["database": "engine.sqlite"], "ledger": ["path": "ledger.sqlite"], "stores": [
            ["name": "tienda-woo", "kind": "woocommerce", "url": .string(origin), "consumer_key_env": "DOC_WOO_KEY", "consumer_secret_env": "DOC_WOO_SECRET"],
        ]])
        let path = dir.appendingPathComponent("oorden-sync.json").path
        try Data(doc.jsonText.utf8).write(to: URL(fileURLWithPath: path))
        let result = try await cli.run(["doctor", "--config", path, "--json"],
                                              environment: ["DOC_WOO_KEY": woo.credentials.consumerKey, "DOC_WOO_SECRET": woo.credentials.consumerSecret])
        await server.stop()

        let checks = try result.json()["sections"]?.array?.first { $0["name"]?.string == "tienda-woo" }?["checks"]?.array ?? []
        let webhooks = try #require(checks.first { $0["check"]?.string == "webhooks" })
        let message = webhooks["message"]?.string ?? ""
        #expect(webhooks["status"]?.string == "fail", "\(result.stdout)\n\(result.stderr)")
        #expect(message.contains("disabled") && message.contains("order.updated"), "\(message)")
        #expect(message.contains("re-activates") && message.contains("Active"), "the fix: the daemon's next pass, or wp-admin: \(message)")
        #expect(!message.contains("customer.created"), "the active topics are not named: \(message)")
    }
}
