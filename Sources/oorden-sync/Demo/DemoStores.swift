import Connectors
import Foundation
import Logging
import StoreEmulators
import SyncCore
import SyncDriver

/// The demo's three stores: emulators on free loopback ports, reached over real HTTP (URLSession).
struct DemoStores: Sendable {
    struct Store: Sendable {
        let endpoint: StoreEndpoint
        let server: EmulatorServer
        let origin: String
        let kindName: String
    }

    let shopify: ShopifyEmulator
    let woo: WooCommerceEmulator
    let usa: ShopifyEmulator
    let all: [Store]

    static let shopifyName = "tienda-shopify"
    static let wooName = "tienda-woo"
    static let usaName = "tienda-usa"

    static func start(directory: URL, customers: Int, products: Int, seed: UInt64, clock: SystemWallClock, logger: Logger) async throws -> DemoStores {
        // Shopify, on a plan whose bucket leaks 40 calls/s so the demo does not wait on the 2/s
        // standard plan; the client still paces itself from X-Shopify-Shop-Api-Call-Limit.
        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.shopName = "Tienda Oorden (Shopify)"
        shopConfig.leakPerSecond = 40
        let shopify = ShopifyEmulator(configuration: shopConfig, seed: seed, clock: clock)
        shopify.seed(customers: customers, products: products, orders: 0)
        // A few shoppers who left their last name empty: they are held until someone fixes them.
        for (first, email) in [("Lupita", "lupita.sinapellido@ejemplo.mx"), ("Chuy", "chuy.sinapellido@ejemplo.mx"), ("Paco", "paco.sinapellido@ejemplo.mx")] {
            _ = try shopify.createCustomer(email: email, firstName: first, lastName: nil)
        }
        let shopServer = EmulatorServer(emulator: shopify, logger: logger)
        let shopPort = try await shopServer.start()
        let shopOrigin = "http://127.0.0.1:\(shopPort)"

        // WooCommerce over plain HTTP: OAuth 1.0a signatures, as a real site without TLS requires.
        let woo = WooCommerceEmulator(configuration: WooCommerceEmulatorConfiguration(), seed: seed &+ 1, clock: clock, logger: logger)
        try woo.seed(customers: max(1, customers * 2 / 3), products: max(1, products * 2 / 3), orders: 0)
        let wooServer = EmulatorServer(emulator: woo, logger: logger)
        let wooPort = try await wooServer.start()
        let wooOrigin = "http://127.0.0.1:\(wooPort)"
        var wooConfig = woo.configuration
        wooConfig.siteURL = wooOrigin
        woo.configuration = wooConfig

        // A Shopify store that sells in US dollars: the company's currency is MXN, so it is refused.
        var usaConfig = ShopifyEmulatorConfiguration()
        usaConfig.shopName = "Oorden USA"
        usaConfig.currency = "USD"
        usaConfig.shopDomain = "oorden-usa.myshopify.com"
        let usa = ShopifyEmulator(configuration: usaConfig, seed: seed &+ 2, clock: clock)
        usa.seed(customers: 10, products: 3, orders: 0)
        let usaServer = EmulatorServer(emulator: usa, logger: logger)
        let usaPort = try await usaServer.start()
        let usaOrigin = "http://127.0.0.1:\(usaPort)"

        func shopifyEndpoint(_ name: String, _ origin: String, _ emulator: ShopifyEmulator, seed: UInt64) -> StoreEndpoint {
            StoreEndpoint(link: name, kind: .shopify, transport: StoreClient.shopify(
                origin: origin, credentials: .accessToken(emulator.credentials.accessToken), leakPerSecond: 40,
                clock: clock, seed: seed, logger: logger))
        }
        let wooCredentials = Connectors.WooCommerceCredentials(consumerKey: woo.credentials.consumerKey,
                                                                consumerSecret: woo.credentials.consumerSecret, mode: .oauth1())
        let all = [
            Store(endpoint: shopifyEndpoint(shopifyName, shopOrigin, shopify, seed: seed), server: shopServer, origin: shopOrigin, kindName: "Shopify"),
            Store(endpoint: StoreEndpoint(link: wooName, kind: .woocommerce, transport: StoreClient.wooCommerce(
                      origin: wooOrigin, credentials: wooCredentials, clock: clock, seed: seed &+ 1, logger: logger)),
                  server: wooServer, origin: wooOrigin, kindName: "WooCommerce"),
            Store(endpoint: shopifyEndpoint(usaName, usaOrigin, usa, seed: seed &+ 2), server: usaServer, origin: usaOrigin, kindName: "Shopify"),
        ]
        return DemoStores(shopify: shopify, woo: woo, usa: usa, all: all)
    }

    func stop() async {
        for s in all { await s.server.stop() }
    }
}
