import ArgumentParser
import Foundation
import Logging
import StoreEmulators
import SyncCore

/// `oorden-sync emulate shopify`: serves a seeded Shopify Admin REST emulator on 127.0.0.1.
///
/// Prints the base URL, the access token, the legacy private-app API key and password, and the
/// webhook secret (all fake, derived from `--seed` unless given), then serves until SIGINT or
/// SIGTERM. Try:
///
/// ```
/// curl -H 'X-Shopify-Access-Token: <token>' 'http://127.0.0.1:8081/admin/api/2026-10/customers.json?limit=2'
/// ```
struct EmulateShopifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shopify",
        abstract: "Serve a Shopify Admin REST emulator on 127.0.0.1 and print its credentials."
    )

    @Option(help: "The loopback port to listen on (0 picks a free one).")
    var port: Int = 8081

    @Option(help: "Seed for credentials, generated data and injected faults.")
    var seed: UInt64 = 1

    @Option(help: "How many customers to generate.")
    var customers: Int = 25

    @Option(help: "How many products to generate (1-3 variants each).")
    var products: Int = 12

    @Option(help: "How many orders to generate (in every state).")
    var orders: Int = 30

    @Option(name: .customLong("webhook-secret"), help: "The app secret that signs webhooks (default: derived from the seed).")
    var webhookSecret: String?

    @Option(name: .customLong("api-version"), help: "The Admin API version the shop reports.")
    var apiVersion: String = "2026-10"

    @Flag(inversion: .prefixedNo, help: "Apply Shopify's leaky-bucket rate limit (40 calls, 2/s).")
    var rateLimit = true

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port).") }
        guard customers >= 0, products >= 0, orders >= 0 else { throw ValidationError("--customers, --products and --orders must not be negative.") }
        guard orders == 0 || products > 0 else { throw ValidationError("--orders needs --products greater than 0: orders are made of products.") }
        if let webhookSecret, webhookSecret.isEmpty { throw ValidationError("--webhook-secret must not be empty.") }
    }

    func run() async throws {
        var logger = Logger(label: "oorden-sync.emulate.shopify")
        logger.logLevel = .info
        var configuration = ShopifyEmulatorConfiguration()
        configuration.rateLimitEnabled = rateLimit
        configuration.graphQLRateLimitEnabled = rateLimit
        configuration.webhookSecret = webhookSecret
        configuration.apiVersion = apiVersion
        let emulator = ShopifyEmulator(configuration: configuration, seed: seed, clock: SystemWallClock())
        emulator.seed(customers: customers, products: products, orders: orders)
        let server = EmulatorServer(emulator: emulator, port: port, logger: logger)
        let bound = try await server.start()
        let credentials = emulator.credentials
        let base = "http://127.0.0.1:\(bound)/admin/api/\(apiVersion)"
        print("Shopify emulator listening")
        print("  GraphQL:         POST \(base)/graphql.json")
        print("  REST (legacy):   \(base)/")
        print("  shop domain:     \(configuration.shopDomain)")
        print("  access token:    \(credentials.accessToken)")
        print("  api key:         \(credentials.apiKey)")
        print("  password:        \(credentials.password)")
        print("  webhook secret:  \(credentials.webhookSecret)")
        print("  client id:       \(credentials.clientID)")
        print("  client secret:   \(credentials.clientSecret)")
        print("  token grant:     POST http://127.0.0.1:\(bound)/admin/oauth/access_token (client credentials, \(configuration.tokenLifetimeSeconds) s tokens)")
        print("  rate limit:      \(rateLimit ? "REST \(configuration.bucketSize) calls, leaking \(configuration.leakPerSecond)/s; GraphQL \(configuration.graphQLMaximumAvailable) points, restoring \(configuration.graphQLRestoreRate)/s" : "off")")
        print("  data:            \(customers) customers, \(products) products, \(orders) orders (seed \(seed))")
        print("  try:             curl -H 'X-Shopify-Access-Token: \(credentials.accessToken)' '\(base)/customers.json?limit=2'")
        print("Press Ctrl-C to stop.")
        fflush(nil)
        await TerminationSignal.wait()
        print("Stopping.")
        await server.stop()
    }
}
