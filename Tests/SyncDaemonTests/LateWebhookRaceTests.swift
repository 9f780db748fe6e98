import Connectors
import Foundation
import OordenLedger
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine
import Testing

/// Store writes racing merchant edits whose webhooks are late (docs/sync-semantics.md, "Read-merge-write"),
/// over the real loopback HTTP path: the daemon's receiver, the Shopify emulator's REST API.
@Suite("Late webhooks and store writes")
struct LateWebhookRaceTests {
    @Test("a push does not overwrite a merchant edit the engine has not seen yet")
    func pushMergesUnseenStoreEdit() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: true, seedCustomers: 2)
        let shop = try #require(rig.shopify)
        _ = try await rig.driver.pass()
        let customer = try #require(shop.customers().first)
        let id = try #require(customer["id"]?.int)
        let email = try #require(customer["email"]?.string)
        let contact = try #require(try rig.ledger.contact(email: email))

        // An Oorden user changes the phone; an hour later the merchant changes it in Shopify. The
        // store's webhook has not arrived (no subscription here) when the engine pushes Oorden's edit.
        // (The emulator's records use this clock, its `Date` headers real time, so the store's clock
        // offset is estimated from the gap between them — up to minutes on a loaded CI machine. The
        // hour keeps the merchant's edit the later one whatever that estimate is.)
        rig.clock.set(max(rig.clock.nowMilliseconds(), SystemWallClock().nowMilliseconds()) + 2_000)
        _ = try rig.ledger.updateContact(contact.id) { $0.phone = "+525500000001" }
        rig.clock.advance(by: 3_600_000)
        _ = try shop.updateCustomer(id: id, ["phone": "+525500000002"])
        rig.clock.advance(by: 1_000)
        let summary = try await rig.driver.pushPending()

        #expect(summary.stores["shopify"]?.superseded == 1, "the planned write was dropped after the read showed the merchant's edit")
        let inStore = shop.customers().first { $0["id"]?.int == id }
        #expect(inStore?["phone"]?.string == "+525500000002", "the merchant's newer phone is still in the store")
        #expect(try rig.ledger.contact(email: email)?.phone == "+525500000002", "and reached Oorden")

        // Nothing is left to write: a second push sends nothing.
        let again = try await rig.driver.pushPending()
        #expect(again.totalPushes == 0)
        await rig.shutdown()
    }

    @Test("a late webhook of our own create, in the same second as our update, does not revert it")
    func sameSecondLateEchoIsReadFresh() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: true, seedCustomers: 1)
        let shop = try #require(rig.shopify)
        try await rig.daemon.start()
        _ = try await rig.driver.pass()

        // Oorden creates a contact; the engine creates the customer in Shopify.
        let created = try rig.ledger.createContact(ContactDraft(firstName: "Lucía", lastName: "Paredes", email: "lucia.paredes@ejemplo.mx"))
        _ = try await rig.driver.pushPending()
        let customer = try #require(shop.customers().first { $0["email"]?.string == "lucia.paredes@ejemplo.mx" })
        let id = try #require(customer["id"]?.int)
        // The customers/create webhook as Shopify rendered it at the create.
        let createBody = customer.jsonData

        // Within the same store second, an Oorden user renames her and the engine pushes the update.
        _ = try rig.ledger.updateContact(created.id) { $0.firstName = "Lucía Fernanda" }
        _ = try await rig.driver.pushPending()
        let updated = try #require(shop.customers().first { $0["id"]?.int == id })
        #expect(updated["first_name"]?.string == "Lucía Fernanda")
        #expect(updated["updated_at"] == customer["updated_at"], "the test needs both writes in one store second")

        // Now the create's webhook arrives: same updated_at as the engine's shadow, older values.
        let readPath = "\(shop.apiPath)/customers/\(id).json"
        let readsBefore = shop.requestCount(method: .get, path: readPath)
        let url = rig.baseURL + "/webhooks/shopify/shopify"
        let (status, _) = try await httpRequest(url, headers: shopifyHeaders(topic: "customers/create", webhookID: "late-create-\(id)", body: createBody), body: createBody)
        #expect(status == 200)
        #expect(try await rig.daemon.drainInbox() == 1)

        #expect(try rig.ledger.contact(email: "lucia.paredes@ejemplo.mx")?.firstName == "Lucía Fernanda", "Oorden keeps the newer name")
        #expect(shop.customers().first { $0["id"]?.int == id }?["first_name"]?.string == "Lucía Fernanda", "and so does the store")
        #expect(shop.requestCount(method: .get, path: readPath) == readsBefore + 1, "the ambiguous version was settled by reading the customer")
        await rig.shutdown()
    }
}
