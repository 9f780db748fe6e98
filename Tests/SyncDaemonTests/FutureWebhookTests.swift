import Foundation
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine
import Testing

/// A signed webhook stamped in the future must not outrank the edits that follow it
/// (docs/sync-semantics.md, "Store times in the future").
@Suite("Webhooks stamped in the future")
struct FutureWebhookTests {
    @Test("a signed customers/update stamped 2099, then a real edit in the store: the real edit reaches Oorden")
    func futureWebhookThenRealEdit() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: true, seedCustomers: 1)
        let shop = try #require(rig.shopify)
        try await rig.daemon.start()
        _ = try await rig.driver.pass()
        let customer = try #require(shop.customers().first)
        let id = try #require(customer["id"]?.int)
        let email = try #require(customer["email"]?.string)
        let last = customer["last_name"]?.string ?? "Apellido"

        let body = shopifyCustomerBody(id: id, email: email, first: "Futuro", last: last, updatedAt: "2099-06-01T10:00:00-06:00")
        let (status, _) = try await httpRequest(rig.baseURL + "/webhooks/shopify/shopify",
                                                headers: shopifyHeaders(topic: "customers/update", webhookID: "future-\(id)", body: body), body: body)
        #expect(status == 200)
        #expect(try await rig.daemon.drainInbox() == 1)
        #expect(try rig.ledger.contact(email: email)?.firstName == "Futuro")
        #expect(rig.engine.futureStoreTimesClamped == 1)

        rig.clock.advance(by: 120_000)
        _ = try shop.updateCustomer(id: id, ["first_name": "Presente"])
        _ = try await rig.driver.pass(polling: .complete)
        #expect(try rig.ledger.contact(email: email)?.firstName == "Presente", "the real edit is not dropped as older than 2099")
        #expect(shop.customers().first { $0["id"]?.int == id }?["first_name"]?.string == "Presente")
        await rig.shutdown()
    }
}
