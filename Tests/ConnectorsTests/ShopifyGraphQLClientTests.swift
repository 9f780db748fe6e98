import Connectors
import Foundation
import SyncCore
import Testing

/// The GraphQL client's own behaviour over a scripted transport: cost pacing from `extensions.cost`,
/// THROTTLED answers waited out, and top-level errors in words.
@Suite struct ShopifyGraphQLClientTests {
    static func answer(data: JSONValue? = ["shop": ["currencyCode": "MXN"]], errors: [JSONValue] = [],
                       requested: Int = 80, actual: Int = 12, available: Int, maximum: Int = 1_000, rate: Int = 50) -> ScriptedTransport.Step {
        var body: [String: JSONValue] = [
            "extensions": ["cost": ["requestedQueryCost": .integer(requested), "actualQueryCost": .integer(actual),
                                    "throttleStatus": ["maximumAvailable": .number("\(maximum).0"),
                                                       "currentlyAvailable": .integer(available), "restoreRate": .number("\(rate).0")]]],
        ]
        if let data { body["data"] = data }
        if !errors.isEmpty { body["errors"] = .array(errors) }
        return .respond(.json(200, .object(body)))
    }

    static let throttled: JSONValue = ["message": "Throttled", "extensions": ["code": "THROTTLED"]]
    static let shop = GraphQLOperation(name: "Shop", query: "query Shop { shop { currencyCode } }")

    @Test func theBucketModelWaitsForTheReportedCostAtTheReportedRate() async {
        let pacer = ShopifyQueryCostPacer()
        // Nothing known: send at the default estimate, and learn the bucket from the answer.
        #expect(await pacer.reserve("Op", now: 0) == .send(reserved: ShopifyQueryCostPacer.defaultEstimate))
        await pacer.complete("Op", reserved: ShopifyQueryCostPacer.defaultEstimate,
                             cost: QueryCost(requested: 80, actual: 12, maximumAvailable: 1_000, currentlyAvailable: 100, restoreRate: 50),
                             throttled: false, now: 0)
        #expect(await pacer.reserve("Op", now: 0) == .send(reserved: 80))  // 100 available, 80 reserved
        // 20 free, 80 needed, refilling at 50/s: 60 / 50 s = 1,200 ms.
        #expect(await pacer.reserve("Op", now: 0) == .wait(milliseconds: 1_200))
        #expect(await pacer.reserve("Op", now: 1_200) == .send(reserved: 80))
        // Released reservations free the bucket; refilling never passes the reported maximum.
        await pacer.abandon(reserved: 80); await pacer.abandon(reserved: 80)
        #expect(await pacer.reserve("Op", now: 10_000_000) == .send(reserved: 80))
        #expect(await pacer.statistics.pointsSpent == 12)
    }

    @Test func aReservationIsReleasedAsReservedEvenWhenTheEstimateChangedMeanwhile() async {
        let pacer = ShopifyQueryCostPacer()
        let bucket = QueryCost(requested: 52, actual: 52, maximumAvailable: 120, currentlyAvailable: 120, restoreRate: 50)
        // Ten requests admitted at the default estimate before any answer; their answers teach 52.
        for _ in 0..<10 { #expect(await pacer.reserve("Page", now: 0) == .send(reserved: 60)) }
        for _ in 0..<10 { await pacer.complete("Page", reserved: 60, cost: bucket, throttled: false, now: 0) }
        // Nothing is in flight any more: a full 120-point bucket admits a 52-point page at once.
        #expect(await pacer.reserve("Page", now: 0) == .send(reserved: 52))
    }

    @Test func aThrottledAnswerIsWaitedOutAndSentAgainNotFailed() async throws {
        let clock = ManualClock(milliseconds: 1_000_000)
        let sleeper = ManualClockSleeper(clock: clock)
        // Throttled: 80 requested, 30 available at 50/s → the pacer waits (80 − 30) / 50 s = 1 s.
        let transport = ScriptedTransport([Self.answer(data: nil, errors: [Self.throttled], available: 30),
                                           Self.answer(available: 918)])
        let client = ShopifyGraphQLClient(transport: transport, version: "2026-10", clock: clock, sleeper: sleeper)
        let data = try await client.execute(Self.shop)
        #expect(data["shop"]?["currencyCode"]?.string == "MXN")
        #expect(transport.requests.count == 2)
        #expect(sleeper.sleeps == [1_000])
        let statistics = await client.pacer.statistics
        #expect(statistics.throttled == 1 && statistics.pointsSpent == 12 && statistics.restoreRate == 50)
        let sent = try JSONValue.parse(transport.requests[0].body)
        #expect(transport.requests[0].path == "/admin/api/2026-10/graphql.json")
        #expect(sent["operationName"]?.string == "Shop" && sent["query"]?.string == Self.shop.query)
    }

    @Test func throttledWithoutEndFailsAsRateLimitedSayingWhy() async {
        let clock = ManualClock(milliseconds: 0)
        let steps = Array(repeating: Self.answer(data: nil, errors: [Self.throttled], available: 0), count: ShopifyGraphQLClient.maxThrottledInARow)
        let client = ShopifyGraphQLClient(transport: ScriptedTransport(steps), version: "2026-10", clock: clock, sleeper: ManualClockSleeper(clock: clock))
        let error = await #expect(throws: StoreAPIError.self) { try await client.execute(Self.shop) }
        #expect(error?.code == .rateLimited && error?.message.contains("20 times") == true)
    }

    @Test func topLevelErrorsSayWhatShopifySaid() async {
        let clock = ManualClock(milliseconds: 0)
        let denied: JSONValue = ["message": "Access denied for customers field.", "path": ["customers"], "extensions": ["code": "ACCESS_DENIED"]]
        let client = ShopifyGraphQLClient(transport: ScriptedTransport([Self.answer(data: ["customers": nil], errors: [denied], available: 990)]),
                                          version: "2026-10", clock: clock, sleeper: ManualClockSleeper(clock: clock))
        let error = await #expect(throws: StoreAPIError.self) { try await client.execute(Self.shop) }
        #expect(error?.code == .forbidden && error?.storeErrorCode == "ACCESS_DENIED")
        #expect(error?.message == "Shopify refused Shop: customers: Access denied for customers field.")

        let html = ShopifyGraphQLClient(transport: ScriptedTransport([.respond(StoreResponse(status: 200, body: Data("<html>".utf8)))]),
                                        version: "2026-10", clock: clock, sleeper: ManualClockSleeper(clock: clock))
        let malformed = await #expect(throws: StoreAPIError.self) { try await html.execute(Self.shop) }
        #expect(malformed?.code == .malformedResponse)
    }
}
