import Connectors
import Foundation
import Logging
import StoreEmulators
import SyncCore

/// The GraphQL cost pacer alone: one cheap query after another (`customers(first: 50)`, 52 points
/// requested and charged) through ``ShopifyGraphQLClient`` over loopback HTTP to a Shopify emulator
/// whose cost bucket holds `maximum` points and restores `restoreRate` a second, for `seconds`.
///
/// The pacer is the only thing holding the client back, so the points Shopify charged over what the
/// bucket allows in the run's time (`maximum + restoreRate × t`) is how much of the plan's allowance
/// pacing uses; `throttled` counts THROTTLED answers (each waited out and sent again).
struct GraphQLPacingProbe {
    let seconds: Double
    let maximum: Int
    let restoreRate: Int

    struct Result {
        var requests: Int
        var seconds: Double
        var pointsSpent: Double
        var throttled: Int
        var achievedOverRestore: Double
    }

    static let query = GraphQLOperation(name: "Customers", query: "query Customers { customers(first: 50) { nodes { id email } } }")

    func run() async throws -> Result {
        let bench = try await BenchShop.start(seed: 5, customers: 60, products: 0, orders: 0) { config in
            config.rateLimitEnabled = false
            config.graphQLRateLimitEnabled = true
            config.graphQLMaximumAvailable = maximum
            config.graphQLRestoreRate = restoreRate
        }
        let graphql = bench.graphQL(seed: 3)
        var requests = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        while elapsed < self.seconds {
            _ = try await graphql.execute(Self.query)
            requests += 1
            elapsed = elapsedSeconds(since: start)
        }
        await bench.stop()
        let statistics = await graphql.pacer.statistics
        return Result(requests: requests, seconds: elapsed, pointsSpent: statistics.pointsSpent, throttled: statistics.throttled,
                      achievedOverRestore: statistics.pointsSpent / (Double(maximum) + Double(restoreRate) * elapsed))
    }

    /// Runs the probe and prints its figures and its `BENCH pacing_graphql` line.
    func report() async throws {
        let r = try await run()
        print("GraphQL pacing: \(r.requests) queries of 52 points in \(String(format: "%.1f", r.seconds)) s against a \(maximum)-point bucket restoring \(restoreRate)/s")
        print("  points charged \(Int(r.pointsSpent)) of \(Int(Double(maximum) + Double(restoreRate) * r.seconds)) allowed; THROTTLED answers \(r.throttled)")
        print("BENCH pacing_graphql achieved_over_restore=\(String(format: "%.3f", r.achievedOverRestore)) throttled=\(r.throttled) requests=\(r.requests) seconds=\(String(format: "%.1f", r.seconds))")
    }
}
