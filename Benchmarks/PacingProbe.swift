import Connectors
import Foundation
import Logging
import StoreEmulators
import SyncCore

/// The pacer alone: cheap requests (`customers/count.json`) sent one after another through a paced
/// ``StoreClient`` over loopback HTTP to a fresh rate-limited Shopify emulator, for `seconds`.
///
/// Requests are cheap here, so only the pacer holds the client back: the ratio of requests made to
/// what the bucket admits in that time (`bucketSize + leakPerSecond × t`) is how much of the allowance
/// pacing uses. Used by the `pacing` benchmark next to the import's own figure.
struct PacingProbe {
    let seconds: Double
    let bucketSize: Int
    let leakPerSecond: Int

    struct Result {
        var requests: Int
        var seconds: Double
        var rateLimited: Int
        var overAllowed: Double
    }

    func run() async throws -> Result {
        let clock = SystemWallClock()
        var logger = Logger(label: "oorden-bench")
        logger.logLevel = .critical
        var config = ShopifyEmulatorConfiguration()
        config.rateLimitEnabled = true
        config.bucketSize = bucketSize
        config.leakPerSecond = leakPerSecond
        let shop = ShopifyEmulator(configuration: config, seed: 5, clock: clock)
        shop.seed(customers: 10, products: 0, orders: 0)
        let server = EmulatorServer(emulator: shop, logger: logger)
        let port = try await server.start()
        let client = StoreClient.shopify(origin: "http://127.0.0.1:\(port)", credentials: .accessToken(shop.credentials.accessToken),
                                         leakPerSecond: leakPerSecond, clock: clock, seed: 3, logger: logger)
        let api = ShopifyAPI()
        var requests = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        while elapsed < seconds {
            _ = try await client.send(api.customersCount())
            requests += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        await server.stop()
        return Result(requests: requests, seconds: elapsed, rateLimited: shop.rateLimitedResponses,
                      overAllowed: Double(requests) / (Double(bucketSize) + Double(leakPerSecond) * elapsed))
    }
}
