import Connectors
import Foundation
import Logging
import StoreEmulators
import SyncCore
import SyncDriver

/// The demo's three stores: emulators on free loopback ports, reached over real HTTP (URLSession).
///
/// Their state is kept in `DIR/stores/<name>.json` (``save()``): a rerun in the same directory
/// restores it instead of seeding, so the stores still hold what the ledger and the engine know.
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
    /// True when the stores were restored from `DIR/stores` rather than seeded.
    let resumed: Bool
    let snapshotDirectory: URL

    static let shopifyName = "tienda-shopify"
    static let wooName = "tienda-woo"
    static let usaName = "tienda-usa"
    static let names = [shopifyName, wooName, usaName]

    /// Shoppers seeded without a last name: held until someone fixes them (one per demo round).
    static let nameless = [("Lupita", "lupita.sinapellido@ejemplo.mx"), ("Chuy", "chuy.sinapellido@ejemplo.mx"), ("Paco", "paco.sinapellido@ejemplo.mx")]

    static func snapshotDirectory(_ directory: URL) -> URL {
        directory.appendingPathComponent("stores", isDirectory: true)
    }

    static func snapshotURL(_ directory: URL, _ name: String) -> URL {
        snapshotDirectory(directory).appendingPathComponent(name + ".json")
    }

    /// Which of the three snapshot files exist in `directory`.
    static func savedSnapshots(in directory: URL) -> [String] {
        names.filter { FileManager.default.fileExists(atPath: snapshotURL(directory, $0).path) }
    }

    static func start(directory: URL, customers: Int, products: Int, orders: Int, seed: UInt64, clock: SystemWallClock, logger: Logger) async throws -> DemoStores {
        let saved = savedSnapshots(in: directory)
        guard saved.isEmpty || saved.count == names.count else {
            throw DemoError("\(snapshotDirectory(directory).path) holds \(saved.joined(separator: ", ")) but not every store; restore the missing files or use a new --dir")
        }
        let resumed = !saved.isEmpty
        func load(_ name: String) throws -> Data {
            do {
                return try Data(contentsOf: snapshotURL(directory, name))
            } catch {
                throw DemoError("cannot read \(snapshotURL(directory, name).path): \(error.localizedDescription); use a new --dir")
            }
        }
        func restoring(_ name: String, _ body: (Data) throws -> Void) throws {
            do {
                try body(try load(name))
            } catch let error as EmulatorSnapshotError {
                throw DemoError("\(snapshotURL(directory, name).path): \(error.message)")
            }
        }

        // Shopify, reached through the GraphQL Admin API, on Shopify Plus's query-cost rates (1,000
        // points/s, a 20,000-point bucket) so the demo does not wait on the Standard plan's 100/s;
        // the client still paces itself from the cost each answer reports.
        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.shopName = "Tienda Oorden (Shopify)"
        shopConfig.leakPerSecond = 40
        shopConfig.graphQLRestoreRate = 1_000
        shopConfig.graphQLMaximumAvailable = 20_000
        let shopify = ShopifyEmulator(configuration: shopConfig, seed: seed, clock: clock)
        if resumed {
            try restoring(shopifyName) { try shopify.restore(from: $0) }
        } else {
            shopify.seed(customers: customers, products: products, orders: orders)
            try DemoOrders.completeGuestCheckouts(shopify)
            // A few shoppers who left their last name empty: they are held until someone fixes them.
            for (first, email) in nameless {
                _ = try shopify.createCustomer(email: email, firstName: first, lastName: nil)
            }
        }

        // WooCommerce over plain HTTP: OAuth 1.0a signatures, as a real site without TLS requires.
        let woo = WooCommerceEmulator(configuration: WooCommerceEmulatorConfiguration(), seed: seed &+ 1, clock: clock, logger: logger)
        if resumed {
            try restoring(wooName) { try woo.restore(from: $0) }
        } else {
            try woo.seed(customers: max(1, customers * 2 / 3), products: max(1, products * 2 / 3), orders: orders == 0 ? 0 : max(7, orders * 2 / 3))
            if orders > 0 { try DemoOrders.addExtras(woo) }
        }

        // A Shopify store that sells in US dollars: the company's currency is MXN, so it is refused.
        var usaConfig = ShopifyEmulatorConfiguration()
        usaConfig.shopName = "Oorden USA"
        usaConfig.currency = "USD"
        usaConfig.shopDomain = "oorden-usa.myshopify.com"
        let usa = ShopifyEmulator(configuration: usaConfig, seed: seed &+ 2, clock: clock)
        if resumed {
            try restoring(usaName) { try usa.restore(from: $0) }
        } else {
            usa.seed(customers: 10, products: 3, orders: min(orders, 5))
        }

        // Every store is ready (a damaged snapshot has been refused by now): serve them.
        // WooCommerce signs OAuth base strings with its site URL, known once the port is.
        let shopServer = EmulatorServer(emulator: shopify, logger: logger)
        let shopPort = try await shopServer.start()
        let shopOrigin = "http://127.0.0.1:\(shopPort)"
        let wooServer = EmulatorServer(emulator: woo, logger: logger)
        let wooPort = try await wooServer.start()
        let wooOrigin = "http://127.0.0.1:\(wooPort)"
        var wooConfig = woo.configuration
        wooConfig.siteURL = wooOrigin
        woo.configuration = wooConfig
        let usaServer = EmulatorServer(emulator: usa, logger: logger)
        let usaPort = try await usaServer.start()
        let usaOrigin = "http://127.0.0.1:\(usaPort)"

        // Shopify as a merchant connects it today: a Dev Dashboard app whose client id and secret are
        // exchanged for expiring tokens (the emulator's token endpoint), and the GraphQL Admin API.
        func shopifyEndpoint(_ name: String, _ origin: String, _ emulator: ShopifyEmulator, seed: UInt64) -> StoreEndpoint {
            let grant = ShopifyClientCredentialsGrant(
                transport: URLSessionTransport(origin: origin, timeoutSeconds: 30, logger: logger),
                clientID: emulator.credentials.clientID, clientSecret: emulator.credentials.clientSecret,
                variables: .init(clientID: "the demo app's client id", clientSecret: "the demo app's client secret"), clock: clock)
            var endpoint = StoreEndpoint(link: name, kind: .shopify, transport: StoreClient.shopify(
                origin: origin, credentials: .tokenProvider(grant), leakPerSecond: 40,
                clock: clock, seed: seed, logger: logger))
            endpoint.shopifyGraphQL = ShopifyGraphQLEndpoint(version: "2026-10")
            return endpoint
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
        return DemoStores(shopify: shopify, woo: woo, usa: usa, all: all, resumed: resumed, snapshotDirectory: snapshotDirectory(directory))
    }

    /// Writes every store's snapshot to `DIR/stores/<name>.json` (atomically, one file per store).
    func save() throws {
        do {
            try FileManager.default.createDirectory(at: snapshotDirectory, withIntermediateDirectories: true)
            for (name, data) in [(Self.shopifyName, shopify.snapshot()), (Self.wooName, woo.snapshot()), (Self.usaName, usa.snapshot())] {
                try data.write(to: snapshotDirectory.appendingPathComponent(name + ".json"), options: .atomic)
            }
        } catch {
            throw DemoError("cannot save the stores to \(snapshotDirectory.path): \(error.localizedDescription); check the directory is writable")
        }
    }

    func stop() async {
        for s in all { await s.server.stop() }
    }
}
