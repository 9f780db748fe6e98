import Foundation
import Logging
import OordenLedger
import StoreEmulators
import SyncCore
import Testing

/// `oorden-sync sync --once` when some stores fail: the built binary against emulators on loopback
/// HTTP, a URL where nothing listens, and a store that refuses the credentials.
@Suite("oorden-sync sync --once with failing stores, end to end")
struct CLISyncFailureTests {
    /// Where nothing listens: port 1 on loopback (tcpmux, never served here), so the connection is refused.
    static let deadOrigin = "http://127.0.0.1:1"

    @Test("an unreachable store and one answering 401 do not stop the healthy stores; each is named with URL and fix; exit 3; pending writes wait")
    func partialPass() async throws {
        let cli = try CLI.locate()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = SystemWallClock()
        var logger = Logger(label: "sync-failure-test")
        logger.logLevel = .critical
        let ledger = try OordenLedger(path: dir.appendingPathComponent("ledger.sqlite").path, clock: clock)
        _ = try ledger.setCompany(name: "Comercializadora del Bajío", currency: "MXN")
        _ = try ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))

        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        let shop = ShopifyEmulator(configuration: shopConfig, seed: 21, clock: clock)
        shop.seed(customers: 4, products: 2, orders: 0)
        let woo = WooCommerceEmulator(seed: 22, clock: clock, logger: logger)
        try woo.seed(customers: 3, products: 2, orders: 0)
        let locked = WooCommerceEmulator(seed: 23, clock: clock, logger: logger)
        try locked.seed(customers: 2, products: 1, orders: 0)
        let servers = [EmulatorServer(emulator: shop, logger: logger), EmulatorServer(emulator: woo, logger: logger),
                       EmulatorServer(emulator: locked, logger: logger)]
        var origins: [String] = []
        for server in servers { origins.append("http://127.0.0.1:\(try await server.start())") }
        for (emulator, origin) in [(woo, origins[1]), (locked, origins[2])] {
            var c = emulator.configuration
            c.siteURL = origin
            emulator.configuration = c
        }

        func store(_ name: String, _ kind: String, _ url: String, _ env: String) -> JSONValue {
            kind == "shopify"
                ? ["name": .string(name), "kind": "shopify", "url": .string(url), "access_token_env": .string("\(env)_TOKEN")]
                : ["name": .string(name), "kind": "woocommerce", "url": .string(url), "consumer_key_env": .string("\(env)_KEY"),
                   "consumer_secret_env": .string("\(env)_SECRET")]
        }
        func write(_ stores: [JSONValue], to name: String) throws -> String {
            let doc: JSONValue = .object(["engine": ["database": "engine.sqlite"], "ledger": ["path": "ledger.sqlite"], "stores": .array(stores)])
            let path = dir.appendingPathComponent(name).path
            try Data(doc.jsonText.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let environment = [
            "OK_TOKEN": shop.credentials.accessToken,
            "WOO_KEY": woo.credentials.consumerKey, "WOO_SECRET": woo.credentials.consumerSecret,
            "DOWN_TOKEN": "shpat_unused",
            "LOCKED_KEY": locked.credentials.consumerKey, "LOCKED_SECRET": "cs_" + String(repeating: "0", count: 40),
        ]
        let healthy = store("tienda-ok", "shopify", origins[0], "OK")
        let wooUp = store("tienda-woo", "woocommerce", origins[1], "WOO")
        let down = store("tienda-caida", "shopify", Self.deadOrigin, "DOWN")
        let refusing = store("tienda-clave", "woocommerce", origins[2], "LOCKED")

        // 1. Two healthy stores, one where nothing listens, one refusing the credentials.
        let config = try write([healthy, down, wooUp, refusing], to: "oorden-sync.json")
        let seededCustomers = shop.customers().count
        let first = try await cli.run(["sync", "--config", config, "--once", "--json"], environment: environment)

        // 2. The WooCommerce store, connected by now, goes unreachable; Oorden gains a contact meanwhile.
        let newContact = try ledger.createContact(ContactDraft(firstName: "Renata", lastName: "Villaseñor", email: "renata.villasenor@ejemplo.mx"))
        let wooDown = store("tienda-woo", "woocommerce", Self.deadOrigin, "WOO")
        let second = try await cli.run(["sync", "--config", try write([healthy, down, wooDown, refusing], to: "moved.json"), "--once"],
                                              environment: environment)
        let wooAfterOutage = SavedDemoStores.emails(woo.customers())

        // 3. It is back: the write that waited reaches it; with every store healthy the pass is complete.
        let third = try await cli.run(["sync", "--config", try write([healthy, wooUp], to: "healthy.json"), "--once", "--json"],
                                             environment: environment)
        for server in servers { await server.stop() }

        // 1: partial, exit 3; the healthy stores were synced.
        #expect(first.status == 3, "\(first.stderr)\n\(first.stdout)")
        let report = try first.json()
        #expect(report["partial"]?.bool == true)
        #expect(report["stores"]?["tienda-ok"]?["contacts_pulled"]?.int == seededCustomers)
        #expect(report["stores"]?["tienda-woo"]?["contacts_pulled"]?.int == 3)
        #expect(report["stores"]?["tienda-caida"] == nil && report["stores"]?["tienda-clave"] == nil)
        let shopEmails = Set(SavedDemoStores.emails(shop.customers()))
        let ledgerEmails = Set(try ledger.contacts().compactMap { $0.email?.lowercased() })
        #expect(!shopEmails.isEmpty && shopEmails.isSubset(of: ledgerEmails), "the healthy Shopify store's customers are in Oorden")
        #expect(Set(SavedDemoStores.emails(woo.customers())).isSubset(of: ledgerEmails))

        let unreachable = try #require(report["failed"]?["tienda-caida"])
        #expect(unreachable["url"]?.string == Self.deadOrigin)
        #expect(unreachable["kind"]?.string == "shopify")
        #expect(unreachable["step"]?.string == "currency_check")
        #expect(unreachable["error_kind"]?.string == "unreachable")
        #expect(unreachable["error"]?.string?.contains("connection failed") == true)
        #expect(unreachable["fix"]?.string?.contains("Check stores[1].url (\(Self.deadOrigin)) in \(config)") == true, "\(unreachable)")
        let unauthorized = try #require(report["failed"]?["tienda-clave"])
        #expect(unauthorized["url"]?.string == origins[2])
        #expect(unauthorized["error_kind"]?.string == "unauthorized")
        #expect(unauthorized["status"]?.int == 401)
        #expect(unauthorized["fix"]?.string?.contains("export it in LOCKED_KEY and LOCKED_SECRET") == true, "\(unauthorized)")
        #expect(first.stderr.contains("Partial: 2 of 4 stores failed (tienda-caida, tienda-clave)"), "\(first.stderr)")

        // 2: a connected store failing inside the pass; text output names it with its URL and the fix.
        #expect(second.status == 3, "\(second.stderr)\n\(second.stdout)")
        #expect(second.stdout.contains("tienda-woo (woocommerce at \(Self.deadOrigin)): FAILED while reading its currency"), "\(second.stdout)")
        #expect(second.stdout.contains("tienda-caida (shopify at \(Self.deadOrigin)): FAILED while reading its currency"))
        #expect(second.stdout.contains("tienda-clave (woocommerce at \(origins[2])): FAILED while reading its currency"))
        #expect(second.stdout.contains("  error: transport on GET"))
        #expect(second.stdout.contains("  fix:   Check stores[2].url (\(Self.deadOrigin))"))
        #expect(second.stdout.contains("Partial: 3 of 4 stores failed (tienda-caida, tienda-clave, tienda-woo); the others were synced. Exit status 3."))
        #expect(second.stdout.contains("tienda-ok: pulled"))
        #expect(SavedDemoStores.emails(shop.customers()).contains(newContact.email!), "the healthy store got Oorden's new contact")
        #expect(!wooAfterOutage.contains(newContact.email!), "nothing reached the unreachable store")
        for secret in [shop.credentials.accessToken, woo.credentials.consumerSecret, environment["LOCKED_SECRET"]!] {
            #expect(!first.stdout.contains(secret) && !first.stderr.contains(secret) && !second.stdout.contains(secret) && !second.stderr.contains(secret))
        }

        // 3: complete, exit 0; the contact that waited was created in WooCommerce.
        #expect(third.status == 0, "\(third.stderr)\n\(third.stdout)")
        #expect(try third.json()["partial"]?.bool == false)
        #expect(try third.json()["failed"] == .object([:]))
        #expect(SavedDemoStores.emails(woo.customers()).contains(newContact.email!))
    }
}
