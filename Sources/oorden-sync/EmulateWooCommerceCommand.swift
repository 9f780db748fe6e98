import ArgumentParser
import Foundation
import Logging
import StoreEmulators
import SyncCore

/// `oorden-sync emulate woocommerce`: serves a seeded WooCommerce REST API v3 emulator on 127.0.0.1.
///
/// Prints the site URL, the REST API key pair and the webhook secret (all fake, derived from
/// `--seed`), then serves until SIGINT or SIGTERM. Without `--assume-https` the site behaves as
/// WooCommerce over plain HTTP: only OAuth 1.0a one-legged signatures authenticate.
struct EmulateWooCommerceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "woocommerce",
        abstract: "Serve a WooCommerce REST API v3 emulator on 127.0.0.1 and print its credentials."
    )

    @Option(help: "The loopback port to listen on (0 picks a free one).")
    var port: Int = 8082

    @Option(help: "Seed for credentials, generated data and injected faults.")
    var seed: UInt64 = 1

    @Option(help: "How many customers to generate.")
    var customers: Int = 25

    @Option(help: "How many products to generate (every fourth one is variable).")
    var products: Int = 12

    @Option(help: "How many orders to generate (in every status).")
    var orders: Int = 30

    @Flag(name: .customLong("assume-https"), help: "Act as a site behind a TLS-terminating proxy: accept Basic auth and query-string keys.")
    var assumeHTTPS = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port).") }
        guard customers >= 0, products >= 0, orders >= 0 else { throw ValidationError("--customers, --products and --orders must not be negative.") }
        guard orders == 0 || products > 0 else { throw ValidationError("--orders needs --products greater than 0: orders are made of products.") }
    }

    func run() async throws {
        var logger = Logger(label: "oorden-sync.emulate.woocommerce")
        logger.logLevel = .info
        var configuration = WooCommerceEmulatorConfiguration()
        configuration.siteURL = "http://127.0.0.1:\(port)"
        configuration.assumeHTTPS = assumeHTTPS
        let emulator = WooCommerceEmulator(configuration: configuration, seed: seed, clock: SystemWallClock(), logger: logger)
        try emulator.seed(customers: customers, products: products, orders: orders)
        var serverConfiguration = EmulatorServer.Configuration()
        serverConfiguration.webhookRetryLimit = 0  // WooCommerce makes one delivery attempt, never retries
        let server = EmulatorServer(emulator: emulator, port: port, configuration: serverConfiguration, logger: logger)
        let bound = try await server.start()
        configuration.siteURL = "http://127.0.0.1:\(bound)"
        emulator.configuration = configuration
        let credentials = emulator.credentials
        print("WooCommerce emulator listening")
        print("  site URL:        \(configuration.siteURL)")
        print("  REST base:       \(configuration.siteURL)/wp-json/wc/v3/")
        print("  consumer key:    \(credentials.consumerKey)")
        print("  consumer secret: \(credentials.consumerSecret)")
        print("  webhook secret:  \(credentials.webhookSecret)")
        print("  auth:            \(assumeHTTPS ? "HTTPS assumed: Basic auth, query keys or OAuth 1.0a" : "plain HTTP: OAuth 1.0a (HMAC-SHA1/HMAC-SHA256) only")")
        print("  data:            \(customers) customers, \(products) products, \(orders) orders (seed \(seed))")
        print("Press Ctrl-C to stop.")
        fflush(nil)
        await TerminationSignal.wait()
        print("Stopping.")
        await server.stop()
    }
}
