import Foundation
import OordenLedger
import SyncCore
import SyncDriver
import SyncEngine
import Testing

/// The store's answer to our own write is that write as the store keeps it, not a competing edit
/// (docs/sync-semantics.md, "Normalization is absorbed"), at any millisecond of the write.
@Suite("Store normalization of our writes")
struct NormalizationLoopTests {
    @Test("an Oorden phone edit early in a second, reformatted by Shopify: one PUT, then quiet; the store's form everywhere")
    func phoneReformattedEarlyInASecond() async throws {
        let w = try await LoopbackStores.start(shopifyCustomers: 1)
        _ = try await w.driver.pass()
        let customer = try #require(w.shopify.customers().first { $0["email"]?.string != nil })
        let id = try #require(customer["id"]?.int)
        let email = try #require(customer["email"]?.string)
        let contact = try #require(try w.ledger.contact(email: email))

        // 50 ms into a clock second: Shopify stamps its answer at the start of that second. The
        // manual clock is set there when the real clock is there too, so the store-clock estimate
        // (from the servers' real `Date` headers) stays near zero and does not reorder the two.
        let real = SystemWallClock().nowMilliseconds()
        let target = max(real, w.clock.nowMilliseconds()) / 1_000 * 1_000 + 1_050
        try await Task.sleep(for: .milliseconds(max(0, target - real)))
        w.clock.set(target)
        _ = try w.ledger.updateContact(contact.id) { $0.phone = "+52 55 8765 4320" }
        let path = "\(w.shopify.apiPath)/customers/\(id).json"
        let putsBefore = w.shopify.requestCount(method: .put, path: path)
        let summary = try await w.driver.pushPending()

        #expect(w.shopify.requestCount(method: .put, path: path) - putsBefore == 1,
                "one PUT, not one per projection round until the second rolls over (\(summary.rounds) rounds)")
        #expect(w.shopify.customers().first { $0["id"]?.int == id }?["phone"]?.string == "+525587654320")
        #expect(try w.ledger.contact(email: email)?.phone == "+525587654320", "the store's form reached Oorden")
        #expect(w.woo.customers().first { $0["email"]?.string?.lowercased() == email.lowercased() }?["billing"]?["phone"]?.string == "+525587654320",
                "and the other store")

        // Quiet afterwards: another pass writes nothing to Shopify.
        w.clock.advance(by: 60_000)
        let writes = w.shopifyWrites()
        let again = try await w.driver.pass()
        #expect(w.shopifyWrites() == writes, "nothing more written to Shopify")
        #expect(again.totalPushes == 0 && again.oordenUpdates == 0)
        await w.stop()
    }
}
