import Connectors
import Foundation
import Logging
import StoreEmulators
import SyncCore

/// A seeded Shopify emulator served over loopback HTTP for one benchmark, and clients for it:
/// the setup every Shopify benchmark shares.
struct BenchShop {
    let shop: ShopifyEmulator
    let server: EmulatorServer
    let origin: String
    let clock: SystemWallClock
    let logger: Logger

    /// Seeds a shop configured by `configure` and starts serving it.
    static func start(seed: UInt64, customers: Int, products: Int, orders: Int,
                      configure: (inout ShopifyEmulatorConfiguration) -> Void) async throws -> BenchShop {
        let clock = SystemWallClock()
        var logger = Logger(label: "oorden-bench")
        logger.logLevel = .critical
        var config = ShopifyEmulatorConfiguration()
        configure(&config)
        let shop = ShopifyEmulator(configuration: config, seed: seed, clock: clock)
        shop.seed(customers: customers, products: products, orders: orders)
        let server = EmulatorServer(emulator: shop, logger: logger)
        let port = try await server.start()
        return BenchShop(shop: shop, server: server, origin: "http://127.0.0.1:\(port)", clock: clock, logger: logger)
    }

    /// A client signing with the shop's access token, paced for a bucket leaking `leakPerSecond`.
    func client(seed: UInt64, leakPerSecond: Int = 2) -> StoreClient {
        StoreClient.shopify(origin: origin, credentials: .accessToken(shop.credentials.accessToken), leakPerSecond: leakPerSecond,
                            clock: clock, seed: seed, logger: logger)
    }

    /// A GraphQL client over ``client(seed:leakPerSecond:)`` at API version 2026-10.
    func graphQL(seed: UInt64) -> ShopifyGraphQLClient {
        ShopifyGraphQLClient(transport: client(seed: seed), version: "2026-10", clock: clock)
    }

    /// Requests the shop answered so far, all routes.
    var requests: Int { shop.requestCounts.values.reduce(0, +) }

    func stop() async { await server.stop() }
}

/// Seconds since `start` (a `DispatchTime` uptime in nanoseconds).
func elapsedSeconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
