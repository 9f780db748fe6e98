import Connectors
import Foundation
import StoreEmulators
import SyncCore
import Testing

/// The GraphQL client paced by query cost against the emulator's cost bucket, over real loopback
/// HTTP, on one manual clock shared by the client, its sleeper and the emulator.
@Suite struct ShopifyGraphQLPacingTests {
    static let start = ShopifyGraphQLRig.start
    /// `customers(first: 50)` with scalar fields: 2 + 50 × 1 = 52 points requested.
    static let page = GraphQLOperation(name: "Customers", query: "query Customers { customers(first: 50) { nodes { id email } } }")

    static func withShop(restoreRate: Int, maximum: Int, _ body: (ShopifyGraphQLClient, ShopifyEmulator, ManualClock) async throws -> Void) async throws {
        try await ShopifyGraphQLRig.with(customers: 60, configure: {
            $0.graphQLRestoreRate = restoreRate
            $0.graphQLMaximumAvailable = maximum
        }) { rig in
            try await body(rig.reader.client, rig.emulator, rig.clock)
        }
    }

    @Test func sequentialPagesArePacedByTheReportedCostAndNeverThrottled() async throws {
        try await Self.withShop(restoreRate: 50, maximum: 200) { graphql, emulator, clock in
            for _ in 0..<12 {
                let data = try await graphql.execute(Self.page)
                #expect(data["customers"]?["nodes"]?.array?.count == 50)
            }
            let statistics = await graphql.pacer.statistics
            #expect(statistics.throttled == 0)
            #expect(statistics.restoreRate == 50)
            #expect(await graphql.pacer.estimate("Customers") == 52)
            // 12 × 52 = 624 points requested from a 200-point bucket refilling at 50/s: at least
            // (624 − 200) / 50 = 8.48 s of waiting, which the pacer spent before sending, not after a refusal.
            #expect(statistics.waitedMilliseconds >= 8_480)
            #expect(clock.nowMilliseconds() - Self.start >= 8_480)
        }
    }

    @Test func aConcurrentBurstIsThrottledOnlyWhileUnlearnedAndNothingFails() async throws {
        try await Self.withShop(restoreRate: 50, maximum: 120) { graphql, emulator, _ in
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 { group.addTask { try await graphql.execute(Self.page)["customers"]?["nodes"]?.array?.count ?? 0 } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 50, count: 10))
            let statistics = await graphql.pacer.statistics
            // Requests sent before the first answer may be throttled; each was waited out and sent again.
            #expect(statistics.throttled <= 10)
        }
    }
}
