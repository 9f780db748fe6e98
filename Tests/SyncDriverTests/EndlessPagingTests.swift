import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Synchronization
import Testing

/// A store whose paging never ends is stopped and reported, not followed forever
/// (docs/operations.md, "A store that misbehaves").
@Suite("Paging that never ends")
struct EndlessPagingTests {
    @Test("a Shopify next-page link pointing at the page itself stops the read after the repeat and names the store")
    func selfReferencingNextLink() async throws {
        let w = try World(shopifyCustomers: 3, shopifyProducts: 0, withWoo: false)
        let shop = w.shopify
        let requests = Mutex(0)
        // Every customers page says the next page is itself. The transport gives up after 50 requests
        // so a read that follows it forever fails this test instead of hanging it.
        let transport = ClosureTransport { request in
            var request = request
            // The "next" page is the first page again: the same body, as a store looping would send.
            if request.query.contains(where: { $0.name == "page_info" && $0.value == "SELF" }) {
                request.query.removeAll { $0.name == "page_info" }
            }
            guard var response = shop.handle(request).response else { return nil }
            if request.path.hasSuffix("/customers.json") {
                let count = requests.withLock { $0 += 1; return $0 }
                if count > 50 { return StoreResponse(status: 599, headers: HeaderFields(), body: Data("looped".utf8)) }
                response.headers["Link"] = "<https://shop.test\(shop.apiPath)/customers.json?limit=250&page_info=SELF>; rel=\"next\""
            }
            return response
        }
        let client = StoreClient(transport: transport, credentials: .shopify(.accessToken(shop.credentials.accessToken)), siteURL: "http://shop.test",
                                 retryPolicy: .none, clock: w.clock, random: SeededRandom(seed: 5), sleeper: NoSleep(), logger: Logger(label: "test"))
        let driver = SyncDriver(engine: w.engine, host: OordenLedgerHost(ledger: w.ledger),
                                endpoints: [StoreEndpoint(link: "shopify", kind: .shopify, transport: client)], clock: w.clock, logger: Logger(label: "test"))

        let summary = try await driver.pass()

        let failure = try #require(summary.failures["shopify"], "the store is reported as failed for this pass")
        #expect(failure.message.contains("identical to an earlier page"), "\(failure.message)")
        #expect(requests.withLock { $0 } <= 3, "stopped at the first repeat, not after \(requests.withLock { $0 }) requests")
    }

    @Test("the trail refuses a page body seen before in the same read, and a read past its time limit")
    func trailRules() throws {
        var trail = PageTrail(store: "tienda", what: "customers", startedAt: 0)
        let page = StoreResponse(status: 200, headers: HeaderFields(), body: Data(#"{"customers":[{"id":1}]}"#.utf8))
        let other = StoreResponse(status: 200, headers: HeaderFields(), body: Data(#"{"customers":[{"id":2}]}"#.utf8))
        try trail.read(page, now: 1)
        try trail.read(other, now: 2)
        let repeated = #expect(throws: StorePageError.self) { try trail.read(page, now: 3) }
        #expect(repeated?.code == .repeated)
        var slow = PageTrail(store: "tienda", what: "products", startedAt: 0)
        let endless = #expect(throws: StorePageError.self) { try slow.read(page, now: PageTrail.limitMilliseconds + 1) }
        #expect(endless?.code == .endless)
    }

    @Test("two pages that differ only after their first 80 bytes are two pages (a GraphQL connection's pages share a long prefix)")
    func pagesDifferingLateAreDistinct() throws {
        let prefix = #"{"nodes":[{"billingAddress":null,"cancelledAt":null,"closedAt":null,"createdAt":"2026-11-29T15:00:05Z","currencyCode":"MXN","#
        var trail = PageTrail(store: "tienda", what: "orders", startedAt: 0)
        try trail.read(page: Data((prefix + #""id":"gid://shopify/Order/4"}]}"#).utf8), now: 1)
        try trail.read(page: Data((prefix + #""id":"gid://shopify/Order/12"}]}"#).utf8), now: 2)
        let repeated = #expect(throws: StorePageError.self) {
            try trail.read(page: Data((prefix + #""id":"gid://shopify/Order/4"}]}"#).utf8), now: 3)
        }
        #expect(repeated?.code == .repeated)
    }
}
