import Connectors
import Foundation
import Logging
import OordenLedger
import StoreEmulators
import SyncCore
import SyncEngine

/// Two store emulators served over loopback HTTP in the test process, a company ledger file and a
/// configuration file, for tests that run the real `oorden-sync` binary against them as a child.
struct CrashRig {
    let directory: URL
    let shopify: ShopifyEmulator
    let woo: WooCommerceEmulator
    let shopifyServer: EmulatorServer
    let wooServer: EmulatorServer
    let ledger: OordenLedger
    let configPath: String
    let environment: [String: String]

    init(directory: URL, logger: Logger) async throws {
        self.directory = directory
        let clock = SystemWallClock()
        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        shopify = ShopifyEmulator(configuration: shopConfig, seed: 21, clock: clock)
        var wooConfig = WooCommerceEmulatorConfiguration()
        wooConfig.assumeHTTPS = true
        woo = WooCommerceEmulator(configuration: wooConfig, seed: 22, clock: clock, logger: logger)
        var serverConfig = EmulatorServer.Configuration()
        serverConfig.timeoutHoldSeconds = 2
        shopifyServer = EmulatorServer(emulator: shopify, configuration: serverConfig, logger: logger)
        wooServer = EmulatorServer(emulator: woo, configuration: serverConfig, logger: logger)
        let shopPort = try await shopifyServer.start()
        let wooPort = try await wooServer.start()
        wooConfig.siteURL = "http://127.0.0.1:\(wooPort)"
        woo.configuration = wooConfig

        ledger = try OordenLedger(path: directory.appendingPathComponent("ledger.sqlite").path, clock: clock)
        if try ledger.company() == nil { _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN") }

        let config: JSONValue = [
            "engine": ["database": "engine.sqlite"],
            "ledger": ["path": "ledger.sqlite"],
            "stores": [
                ["name": "shop", "kind": "shopify", "url": .string("http://127.0.0.1:\(shopPort)"),
                 "access_token_env": "CRASH_SHOP_TOKEN", "calls_per_second": 1000],
                ["name": "woo", "kind": "woocommerce", "url": .string("http://127.0.0.1:\(wooPort)"), "auth": "basic",
                 "consumer_key_env": "CRASH_WOO_KEY", "consumer_secret_env": "CRASH_WOO_SECRET"],
            ],
        ]
        configPath = directory.appendingPathComponent("config.json").path
        try config.jsonData.write(to: URL(fileURLWithPath: configPath))
        environment = ["CRASH_SHOP_TOKEN": shopify.credentials.accessToken,
                       "CRASH_WOO_KEY": woo.credentials.consumerKey, "CRASH_WOO_SECRET": woo.credentials.consumerSecret]
    }

    func shutdown() async {
        await shopifyServer.stop()
        await wooServer.stop()
    }

    // MARK: What each side holds

    /// A contact as one side holds it.
    struct ContactView: Hashable, CustomStringConvertible {
        var first: String
        var last: String
        var phone: String?
        var description: String { "\(first)|\(last)|\(phone ?? "-")" }
    }

    /// Every customer e-mail of Shopify with how many customers carry it, and the fields of each.
    func shopifyContacts() -> (counts: [String: Int], fields: [String: ContactView]) {
        var counts: [String: Int] = [:]
        var fields: [String: ContactView] = [:]
        for c in shopify.customers() {
            guard let email = c["email"]?.string?.lowercased() else { continue }
            counts[email, default: 0] += 1
            fields[email] = ContactView(first: c["first_name"]?.string ?? "", last: c["last_name"]?.string ?? "", phone: c["phone"]?.string)
        }
        return (counts, fields)
    }

    func wooContacts() -> (counts: [String: Int], fields: [String: ContactView]) {
        var counts: [String: Int] = [:]
        var fields: [String: ContactView] = [:]
        for c in woo.customers() {
            guard let email = c["email"]?.string?.lowercased() else { continue }
            counts[email, default: 0] += 1
            let phone = c["billing"]?["phone"]?.string
            fields[email] = ContactView(first: c["first_name"]?.string ?? "", last: c["last_name"]?.string ?? "",
                                        phone: phone?.isEmpty == false ? phone : nil)
        }
        return (counts, fields)
    }

    func ledgerContacts() throws -> (counts: [String: Int], fields: [String: ContactView]) {
        var counts: [String: Int] = [:]
        var fields: [String: ContactView] = [:]
        for c in try ledger.contacts(includeArchived: true) {
            guard let email = c.email?.lowercased() else { continue }
            counts[email, default: 0] += 1
            fields[email] = ContactView(first: c.firstName, last: c.lastName, phone: c.phone)
        }
        return (counts, fields)
    }

    /// SKU → (how many sellable records carry it, the product name).
    func shopifyProducts() -> (counts: [String: Int], names: [String: String]) {
        var counts: [String: Int] = [:]
        var names: [String: String] = [:]
        for p in shopify.products() {
            for v in p["variants"]?.array ?? [] {
                guard let sku = v["sku"]?.string, !sku.isEmpty else { continue }
                counts[sku, default: 0] += 1
                names[sku] = p["title"]?.string ?? ""
            }
        }
        return (counts, names)
    }

    func wooProducts() -> (counts: [String: Int], names: [String: String]) {
        var counts: [String: Int] = [:]
        var names: [String: String] = [:]
        for p in woo.products() where p["status"]?.string != "trash" {
            guard let sku = p["sku"]?.string, !sku.isEmpty else { continue }
            counts[sku, default: 0] += 1
            names[sku] = p["name"]?.string ?? ""
        }
        return (counts, names)
    }

    func ledgerProducts() throws -> (counts: [String: Int], names: [String: String]) {
        var counts: [String: Int] = [:]
        var names: [String: String] = [:]
        for p in try ledger.products(includeInactive: true) {
            counts[p.sku, default: 0] += 1
            names[p.sku] = p.name
        }
        return (counts, names)
    }
}
