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
        let bench = try await BenchShop.start(seed: 5, customers: 10, products: 0, orders: 0) { config in
            config.rateLimitEnabled = true
            config.bucketSize = bucketSize
            config.leakPerSecond = leakPerSecond
        }
        let client = bench.client(seed: 3, leakPerSecond: leakPerSecond)
        let api = ShopifyAPI()
        var requests = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        while elapsed < self.seconds {
            _ = try await client.send(api.customersCount())
            requests += 1
            elapsed = elapsedSeconds(since: start)
        }
        await bench.stop()
        return Result(requests: requests, seconds: elapsed, rateLimited: bench.shop.rateLimitedResponses,
                      overAllowed: Double(requests) / (Double(bucketSize) + Double(leakPerSecond) * elapsed))
    }
}
