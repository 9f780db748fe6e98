import Foundation
import OordenLedger
import Testing
@testable import SyncCore
@testable import SyncEngine

/// Read-merge-write and versions a store cannot order (docs/sync-semantics.md, "Read-merge-write").
@Suite("Read before write")
struct ReadBeforeWriteTests {
    /// A store customer imported into Oorden whose phone an Oorden user then changes: returns the
    /// update planned for the store.
    func pendingOordenEdit(_ h: inout Harness) throws -> PushIntent {
        _ = try h.engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "+5215500000001", updatedAt: t0 - 60_000)], from: "shopify")
        _ = try h.engine.project(host: h.host)
        let ana = try #require(try h.ledger.contact(email: "ana@example.mx"))
        h.clock.advance(by: 5_000)
        _ = try h.ledger.updateContact(ana.id) { $0.phone = "+5215500000002" }
        let push = try #require(try h.pass().pushes.first)
        #expect(push.action == .update(remoteID: "1") && push.fields[.phone] == .string("+5215500000002"))
        return push
    }

    @Test("an unseen newer store edit read before the update wins, and the write is planned again from the merge")
    func newerStoreEditSupersedesTheWrite() throws {
        var h = try Harness()
        let push = try pendingOordenEdit(&h)
        // The merchant changed the phone 10 s after Oorden did; its webhook has not arrived.
        let current = contact(id: "1", email: "ana@example.mx", phone: "+5215500000003", updatedAt: t0 + 10_000)
        h.clock.advance(by: 10_000)
        #expect(try h.engine.mergeBeforeUpdate(push, contact: current) == false)
        let again = try h.engine.project(host: h.host)
        #expect(try h.ledger.contact(email: "ana@example.mx")?.phone == "+5215500000003", "the store's newer phone reached Oorden")
        #expect(again.pushes.isEmpty, "the store already holds the winner: nothing to write there")
    }

    @Test("an older unseen store edit loses, and the write goes out with the winner")
    func olderStoreEditLosesAndIsOverwritten() throws {
        var h = try Harness()
        let push = try pendingOordenEdit(&h)
        // The merchant's edit was made before Oorden's (t0 - 30 s against t0 + 5 s).
        let current = contact(id: "1", email: "ana@example.mx", phone: "+5215500000009", updatedAt: t0 - 30_000)
        #expect(try h.engine.mergeBeforeUpdate(push, contact: current) == false, "the shadow changed, so the write is re-planned")
        let again = try h.engine.project(host: h.host)
        #expect(try h.ledger.contact(email: "ana@example.mx")?.phone == "+5215500000002", "Oorden's newer phone stays")
        let rewrite = try #require(again.pushes.first)
        #expect(rewrite.fields[.phone] == .string("+5215500000002"), "the store's losing value is written over")
    }

    @Test("the store's copy unchanged since the engine last saw it: the write stands")
    func unchangedStoreCopyKeepsTheWrite() throws {
        var h = try Harness()
        let push = try pendingOordenEdit(&h)
        let current = contact(id: "1", email: "ana@example.mx", phone: "+5215500000001", updatedAt: t0 - 60_000)
        #expect(try h.engine.mergeBeforeUpdate(push, contact: current) == true)
    }

    @Test("a store value that loses the merge marks the entity, so the winner is written back")
    func losingStoreValueIsWrittenBack() throws {
        var h = try Harness()
        let push = try pendingOordenEdit(&h)
        _ = try h.acceptAll([push])
        #expect(try h.pass().pushes.isEmpty)
        // A version stamped before Oorden's edit but after the shadow (a store clock behind, or a
        // write that raced the push): it loses, yet the store now shows it.
        // The store's clock turns out to run a minute ahead, so its next second is a minute ago here.
        let now = h.clock.nowMilliseconds()
        try h.engine.observeStoreClock(link: "shopify", dateHeader: now + 60_000, sentAt: now, receivedAt: now)
        let late = contact(id: "1", email: "ana@example.mx", phone: "+5215500000007", updatedAt: (now / 1000 + 1) * 1000)
        h.clock.advance(by: 2_000)
        let out = try h.engine.ingest(contacts: [late], from: "shopify")
        #expect(out.first?.changes.isEmpty == true, "the store's value lost")
        let again = try h.engine.project(host: h.host)
        #expect(again.pushes.first?.fields[.phone] == .string("+5215500000002"))
    }

    @Test("a version in the shadow's second with other values needs a fresh read; others do not")
    func sameSecondOtherValuesNeedsRead() throws {
        var h = try Harness()
        let push = try pendingOordenEdit(&h)
        let accepted = try #require(try h.acceptAll([push]).first)
        let second = try #require(accepted.updatedAt)
        var echo = accepted
        echo.phone = "+5215500000001"
        #expect(try h.engine.needsFreshRead(contact: echo, from: "shopify"), "same second, older values: newer or older? only a read says")
        #expect(try h.engine.needsFreshRead(contact: accepted, from: "shopify") == false, "the same version")
        echo.updatedAt = second + 1_000
        #expect(try h.engine.needsFreshRead(contact: echo, from: "shopify") == false, "a later second is simply newer")
        echo.remoteID = "424242"
        #expect(try h.engine.needsFreshRead(contact: echo, from: "shopify") == false, "a record the engine never saw")
    }
}

@Suite("Our own creates seen before their completion")
struct OwnCreateEchoTests {
    @Test("a store record we created, linked by our marker before the create completed, is an echo: it beats no newer edit")
    func ownCreateIsNotAStoreEdit() throws {
        var h = try Harness(stores: [("shopify", .shopify), ("woo", .woocommerce)])
        _ = try h.engine.ingest(contacts: [contact(.woocommerce, id: "31", email: "walter@example.mx", first: "Walter", updatedAt: t0 - 60_000)], from: "woo")
        let create = try #require(try h.engine.project(host: h.host).pushes.first { $0.link == "shopify" && $0.action == .create })
        // The store created it (with our marker) at t0; the engine was killed before recording that.
        var created = ContactRecord(store: .shopify, remoteID: "7001", email: "walter@example.mx", firstName: "Walter", lastName: "López",
                                    marker: create.entity, createdAt: t0, updatedAt: t0)
        h.clock.advance(by: 20_000)
        let linked = try h.engine.ingest(contacts: [IncomingRecord(created, payload: "{}")], from: "shopify")
        #expect(linked.first?.status == .linked && linked.first?.changes.isEmpty == true, "our own values, not Shopify's edits")

        // A WooCommerce edit made at t0 − 10 s (before the Shopify create, after the original) arrives now.
        let edit = try h.engine.ingest(contacts: [contact(.woocommerce, id: "31", email: "walter@example.mx", first: "Nombre", updatedAt: t0 - 10_000)], from: "woo")
        #expect(edit.first?.changes.map(\.field) == ["first_name"], "the merchant's edit wins: it is newer than what we wrote")
        let next = try h.engine.project(host: h.host)
        #expect(next.pushes.contains { $0.link == "shopify" && $0.fields[.firstName] == .string("Nombre") })

        // Modified after its creation, the same record is a store edit as usual.
        var h2 = try Harness(stores: [("shopify", .shopify), ("woo", .woocommerce)])
        _ = try h2.engine.ingest(contacts: [contact(.woocommerce, id: "31", email: "walter@example.mx", first: "Walter", updatedAt: t0 - 60_000)], from: "woo")
        let create2 = try #require(try h2.engine.project(host: h2.host).pushes.first { $0.link == "shopify" && $0.action == .create })
        created.marker = create2.entity
        created.firstName = "Walt"
        created.updatedAt = t0 + 5_000
        h2.clock.advance(by: 20_000)
        let edited = try h2.engine.ingest(contacts: [IncomingRecord(created, payload: "{}")], from: "shopify")
        #expect(edited.first?.changes.map(\.field).contains("first_name") == true, "an edit after the create is the merchant's")
    }
}
