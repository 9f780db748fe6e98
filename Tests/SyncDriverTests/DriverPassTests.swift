import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Testing

/// 2026-11-29T15:00:00Z
let t0: Int64 = 1_795_964_400_000

/// Never sleeps: the in-process stores here have no rate limit to wait for.
struct NoSleep: StoreSleeper {
    func sleep(milliseconds: Int64) async throws {}
}

/// A company ledger, an engine and in-process Shopify and WooCommerce emulators on one manual clock.
struct World {
    let clock = ManualClock(milliseconds: t0)
    let ledger: OordenLedger
    let engine: SyncEngine
    let shopify: ShopifyEmulator
    let woo: WooCommerceEmulator
    let driver: SyncDriver

    init(shopifyCustomers: Int, shopifyProducts: Int, wooCustomers: Int = 0, wooProducts: Int = 0, withWoo: Bool = true) throws {
        let logger = Logger(label: "test")
        ledger = try OordenLedger(inMemoryWith: clock)
        _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        engine = try SyncEngine.open(path: nil, clock: clock, seed: 1, logger: logger)
        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        shopify = ShopifyEmulator(configuration: shopConfig, seed: 11, clock: clock)
        shopify.seed(customers: shopifyCustomers, products: shopifyProducts, orders: 0)
        var wooConfig = WooCommerceEmulatorConfiguration()
        wooConfig.assumeHTTPS = true
        woo = WooCommerceEmulator(configuration: wooConfig, seed: 22, clock: clock, logger: logger)
        try woo.seed(customers: wooCustomers, products: wooProducts, orders: 0)

        try engine.connect(link: "shopify", kind: .shopify)
        let shop = shopify
        var endpoints = [StoreEndpoint(
            link: "shopify", kind: .shopify,
            transport: StoreClient(transport: ClosureTransport { shop.handle($0).response },
                                   credentials: .shopify(.accessToken(shop.credentials.accessToken)), siteURL: "http://shop.test",
                                   clock: clock, random: SeededRandom(seed: 3), sleeper: NoSleep(), logger: logger))]
        if withWoo {
            try engine.connect(link: "woo", kind: .woocommerce)
            let site = woo
            let creds = site.credentials
            endpoints.append(StoreEndpoint(
                link: "woo", kind: .woocommerce,
                transport: StoreClient(transport: ClosureTransport { site.handle($0).response },
                                       credentials: .wooCommerce(Connectors.WooCommerceCredentials(consumerKey: creds.consumerKey, consumerSecret: creds.consumerSecret, mode: .basic)),
                                       siteURL: wooConfig.siteURL, clock: clock, random: SeededRandom(seed: 4), sleeper: NoSleep(), logger: logger)))
        }
        driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger), endpoints: endpoints, clock: clock, logger: logger)
    }

    /// The WooCommerce emulator's first simple product with a SKU (one sellable, not a variation).
    func firstSimpleWooProduct() -> JSONValue? {
        woo.products().first { $0["type"]?.string == "simple" && !($0["sku"]?.string ?? "").isEmpty }
    }

    static func validEmails(_ customers: [JSONValue]) -> Set<String> {
        Set(customers.compactMap { c -> String? in
            guard let email = c["email"]?.string, ContactRules.isValidEmail(email.trimmingCharacters(in: .whitespaces)),
                  !(c["first_name"]?.string ?? "").trimmingCharacters(in: .whitespaces).isEmpty,
                  !(c["last_name"]?.string ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            else { return nil }
            return email.trimmingCharacters(in: .whitespaces).lowercased()
        })
    }
}

@Suite("Sync passes over in-process emulators")
struct DriverPassTests {
    @Test("initial import from Shopify: every valid customer and SKU reaches Oorden; the rest is held; a second pass writes nothing")
    func shopifyImport() async throws {
        let w = try World(shopifyCustomers: 40, shopifyProducts: 8, withWoo: false)
        let first = try await w.driver.pass()
        let valid = World.validEmails(w.shopify.customers())
        #expect(Set(try w.ledger.contacts().compactMap { $0.email?.lowercased() }) == valid)
        let skus = Set(w.shopify.products().flatMap { $0["variants"]?.array ?? [] }.compactMap { $0["sku"]?.string }.filter { !$0.isEmpty })
        #expect(Set(try w.ledger.products().map(\.sku)) == skus)
        #expect(first.heldRecords == (try w.engine.heldRecords().count))
        #expect(first.stores["shopify"]?.contactsPulled == 40)

        w.clock.advance(by: 60_000)
        let writesBefore = w.shopify.requestCounts.filter { !$0.key.hasPrefix("GET") }.values.reduce(0, +)
        let second = try await w.driver.pass()
        let writesAfter = w.shopify.requestCounts.filter { !$0.key.hasPrefix("GET") }.values.reduce(0, +)
        #expect(second.totalPushes == 0 && second.oordenCreates == 0 && second.oordenUpdates == 0)
        #expect(writesAfter == writesBefore)
        #expect(try w.ledger.contacts().count == valid.count)
    }

    @Test("two stores: every valid customer ends in both stores and in Oorden exactly once")
    func twoStores() async throws {
        let w = try World(shopifyCustomers: 25, shopifyProducts: 5, wooCustomers: 20, wooProducts: 4)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        let shopEmails = w.shopify.customers().compactMap { $0["email"]?.string?.lowercased() }
        let wooEmails = w.woo.customers().compactMap { $0["email"]?.string?.lowercased() }
        let valid = World.validEmails(w.shopify.customers()).union(World.validEmails(w.woo.customers()))
        #expect(valid.isSubset(of: Set(shopEmails)) && valid.isSubset(of: Set(wooEmails)))
        #expect(shopEmails.count == Set(shopEmails).count, "no duplicate e-mails in Shopify")
        #expect(wooEmails.count == Set(wooEmails).count, "no duplicate e-mails in WooCommerce")
        #expect(Set(try w.ledger.contacts().compactMap { $0.email?.lowercased() }) == valid)
        w.clock.advance(by: 60_000)
        let quiet = try await w.driver.pass()
        #expect(quiet.totalPushes == 0 && quiet.oordenCreates == 0 && quiet.oordenUpdates == 0)
    }

    @Test("an Oorden edit reaches both stores")
    func oordenEditReachesStores() async throws {
        let w = try World(shopifyCustomers: 5, shopifyProducts: 1, wooCustomers: 0, wooProducts: 0)
        _ = try await w.driver.pass()
        let contact = try #require(try w.ledger.contacts().first { $0.email != nil })
        w.clock.advance(by: 60_000)
        _ = try w.ledger.updateContact(contact.id) { $0.phone = "+525599998888" }
        w.clock.advance(by: 1_000)
        let pass = try await w.driver.pass()
        #expect(pass.totalPushes >= 2)
        let email = try #require(contact.email?.lowercased())
        let inShop = w.shopify.customers().first { $0["email"]?.string?.lowercased() == email }
        let inWoo = w.woo.customers().first { $0["email"]?.string?.lowercased() == email }
        #expect(inShop?["phone"]?.string == "+525599998888")
        #expect(inWoo?["billing"]?["phone"]?.string == "+525599998888")
    }
}

@Suite("Deletes")
struct DeleteTests {
    @Test("a customer deleted in the store archives the Oorden contact; a product deleted is deactivated")
    func storeDeleteArchives() async throws {
        let w = try World(shopifyCustomers: 6, shopifyProducts: 2, withWoo: false)
        _ = try await w.driver.pass()
        let victim = try #require(w.shopify.customers().first { c in
            World.validEmails([c]).count == 1
        })
        let email = try #require(victim["email"]?.string?.lowercased())
        let id = try #require(victim["id"]?.int)
        w.clock.advance(by: 60_000)
        try w.shopify.deleteCustomer(id: id)
        let pass = try await w.driver.pass()
        #expect(pass.stores["shopify"]?.deleted == 1)
        let contact = try #require(try w.ledger.contacts().first { $0.email?.lowercased() == email })
        #expect(contact.archived)
        w.clock.advance(by: 60_000)
        let quiet = try await w.driver.pass()
        #expect(quiet.totalPushes == 0 && quiet.oordenUpdates == 0)
    }
}

extension DeleteTests {
    @Test("a WooCommerce product trashed by the merchant is deactivated; restored from the trash, it is active again and nothing is held")
    func trashedThenRestoredProduct() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0, wooProducts: 2)
        _ = try await w.driver.pass()
        let simple = try #require(w.firstSimpleWooProduct())
        let id = try #require(simple["id"]?.int)
        let sku = try #require(simple["sku"]?.string)
        #expect(try w.ledger.product(sku: sku)?.active == true)

        w.clock.advance(by: 60_000)
        try w.woo.trashProduct(id)
        w.clock.advance(by: 60_000)
        let trashed = try await w.driver.pass()
        #expect(trashed.stores["woo"]?.deleted == 1, "\(String(describing: trashed.stores["woo"]))")
        #expect(try w.ledger.product(sku: sku)?.active == false)

        w.clock.advance(by: 60_000)
        try w.woo.restoreProduct(id)
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        #expect(try w.ledger.product(sku: sku)?.active == true, "the restored product is a newer version than its deletion")
        #expect(w.woo.products().first { $0["id"]?.int == id }?["status"]?.string == "publish")
        #expect(try w.engine.heldRecords().isEmpty)
        #expect(try w.ledger.products().filter { $0.sku == sku }.count == 1, "restored, not created again")
        w.clock.advance(by: 60_000)
        let quiet = try await w.driver.pass()
        #expect(quiet.totalPushes == 0 && quiet.oordenUpdates == 0, "\(quiet)")
    }
}

@Suite("Crash safety of creates")
struct CreateRetryTests {
    @Test("a crash between a store create and its local commit: the retry links the record, never duplicates")
    func crashBetweenCreateAndCommit() async throws {
        let w = try World(shopifyCustomers: 2, shopifyProducts: 0, withWoo: false)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try w.ledger.createContact(ContactDraft(firstName: "Ximena", lastName: "Robles", email: "ximena.robles@ejemplo.mx"))
        w.clock.advance(by: 1_000)
        // The engine asks for the create; the store applies it; the process dies before completePush.
        _ = try w.engine.pullOorden(from: OordenLedgerHost(ledger: w.ledger))
        let projection = try w.engine.project(host: OordenLedgerHost(ledger: w.ledger))
        let intent = try #require(projection.pushes.first { $0.kind == .contact && $0.action == .create })
        let record = try ContactRecord(store: .shopify, remoteID: "").applying(intent.record)
        let created = try await w.driver.endpoints[0].transport.send(ShopifyAPI().createCustomer(record, marker: intent.entity))
        #expect(created.status == 201)
        let before = w.shopify.customers().count
        // Restarted: the next pass searches by e-mail before creating and links what it finds.
        w.clock.advance(by: 60_000)
        let pass = try await w.driver.pass()
        #expect(w.shopify.customers().count == before)
        #expect(w.shopify.customers().filter { $0["email"]?.string == "ximena.robles@ejemplo.mx" }.count == 1)
        let entity = try #require(try w.engine.entity(kind: .contact, naturalKey: "ximena.robles@ejemplo.mx"))
        #expect(try w.engine.remoteIDs(of: entity)["shopify"] != nil)
        #expect(pass.stores["shopify"]?.pushFailures == 0)
        w.clock.advance(by: 60_000)
        #expect(try await w.driver.pass().totalPushes == 0)
    }
}

@Suite("Archiving in Oorden")
struct ArchiveTests {
    @Test("a product archived in Oorden is archived in Shopify and drafted in WooCommerce")
    func productArchive() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 1, wooCustomers: 0, wooProducts: 0)
        _ = try await w.driver.pass()
        let sku = try #require(w.shopify.products().first?["variants"]?[0]?["sku"]?.string)
        let product = try #require(try w.ledger.product(sku: sku))
        w.clock.advance(by: 60_000)
        _ = try w.ledger.archiveProduct(product.id)
        w.clock.advance(by: 1_000)
        _ = try await w.driver.pass()
        let shop = try #require(w.shopify.products().first { ($0["variants"]?.array ?? []).contains { $0["sku"]?.string == sku } })
        #expect(shop["status"]?.string == "archived")
        let woo = try #require(w.woo.products().first { $0["sku"]?.string == sku })
        #expect(woo["status"]?.string == "draft")
        // Shopify's status is per product: its other variants are archived with it, and that comes back
        // as a store change of their SKUs once. Then everything is quiet.
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        let variants = shop["variants"]?.array?.compactMap { $0["sku"]?.string } ?? []
        for other in variants { #expect(try w.ledger.product(sku: other)?.active == false) }
        w.clock.advance(by: 60_000)
        let quiet = try await w.driver.pass()
        #expect(quiet.totalPushes == 0 && quiet.oordenUpdates == 0, "\(quiet)")
    }
}
