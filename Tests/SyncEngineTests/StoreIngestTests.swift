import Foundation
import Logging
import Testing
@testable import SyncCore
@testable import SyncEngine
@testable import SyncStore

/// 2026-11-29T15:00:00Z
let t0: Int64 = 1_795_964_400_000

func makeEngine(_ clock: ManualClock, seed: UInt64 = 1) throws -> SyncEngine {
    try SyncEngine.open(path: nil, clock: clock, seed: seed, logger: Logger(label: "test"))
}

func contact(_ store: StoreKind = .shopify, id: String, email: String?, first: String? = "Ana", last: String? = "López",
             phone: String? = nil, updatedAt: Int64) -> IncomingRecord<ContactRecord> {
    let r = ContactRecord(store: store, remoteID: id, email: email, firstName: first, lastName: last, phone: phone, updatedAt: updatedAt)
    return IncomingRecord(r, payload: "{\"id\":\(id)}")
}

@Suite("Store ingest")
struct StoreIngestTests {
    @Test("a new store customer becomes one entity, stamped with the store's event time and replica")
    func createsEntity() throws {
        let clock = ManualClock(milliseconds: t0 + 60_000)
        let engine = try makeEngine(clock)
        let shop = try engine.connect(link: "tienda", kind: .shopify)
        let out = try engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", updatedAt: t0)], from: "tienda")
        #expect(out.first?.status == .created)
        let id = try #require(out.first?.entity)
        let state = try #require(try engine.state(of: id))
        #expect(state.kind == .contact)
        #expect(state.registers["email"] == .string("ana@example.mx"))
        #expect(state.registers.registers["email"]?.stamp == Stamp(hlc: HLC(milliseconds: t0, counter: 0), replica: shop.replica))
        #expect(try engine.remoteIDs(of: id) == ["tienda": "1"])
    }

    @Test("an existing e-mail links instead of duplicating, also with other case and spaces; empty fields erase nothing")
    func linksByEmail() throws {
        let clock = ManualClock(milliseconds: t0 + 60_000)
        let engine = try makeEngine(clock)
        try engine.connect(link: "shopify", kind: .shopify)
        try engine.connect(link: "woo", kind: .woocommerce)
        let first = try engine.ingest(contacts: [contact(id: "7", email: "ana@example.mx", phone: "+5215512345678", updatedAt: t0)], from: "shopify")
        let second = try engine.ingest(contacts: [contact(.woocommerce, id: "31", email: "  Ana@Example.MX ", updatedAt: t0 + 1_000)], from: "woo")
        #expect(second.first?.status == .linked)
        #expect(second.first?.entity == first.first?.entity)
        #expect(try engine.count(.contact) == 1)
        let entity = try #require(first.first?.entity)
        let state = try #require(try engine.state(of: entity))
        #expect(state.registers["phone"] == .string("+5215512345678"))
        #expect(try engine.remoteIDs(of: entity) == ["shopify": "7", "woo": "31"])
    }

    @Test("a late delivery older than the shadow changes nothing; a duplicate is unchanged")
    func staleAndDuplicate() throws {
        let clock = ManualClock(milliseconds: t0 + 60_000)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        _ = try engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "2", updatedAt: t0 + 10_000)], from: "tienda")
        let late = try engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "1", updatedAt: t0)], from: "tienda")
        #expect(late.first?.status == .stale)
        let again = try engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "2", updatedAt: t0 + 10_000)], from: "tienda")
        #expect(again.first?.status == .unchanged)
        let id = try #require(try engine.entity(link: "tienda", kind: .contact, remoteID: "1"))
        #expect(try engine.state(of: id)?.registers["phone"] == .string("2"))
    }

    @Test("two versions in the same store second are ordered by arrival")
    func sameSecond() throws {
        let clock = ManualClock(milliseconds: t0 + 60_000)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        _ = try engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "1", updatedAt: t0)], from: "tienda")
        let next = try engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "2", updatedAt: t0)], from: "tienda")
        #expect(next.first?.status == .updated)
        let id = try #require(next.first?.entity)
        let register = try #require(try engine.state(of: id)?.registers.registers["phone"])
        #expect(register.value == .string("2"))
        #expect(register.stamp.hlc == HLC(milliseconds: t0, counter: 1))
    }

    @Test("a store clock 3 minutes fast is corrected; future times are clamped to now")
    func clockSkew() throws {
        let clock = ManualClock(milliseconds: t0)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        // Responses whose Date header reads 3 minutes ahead of us.
        for i in 0..<5 {
            let sent = t0 + Int64(i) * 1_000
            try engine.observeStoreClock(link: "tienda", dateHeader: sent + 180_000, sentAt: sent, receivedAt: sent + 40)
        }
        let offset = try #require(try engine.link(named: "tienda")).clockOffsetMilliseconds
        #expect(abs(offset - 180_000) <= 1_000)
        // The store says it changed the contact "now" in its own clock: that is ~t0 in ours.
        clock.set(t0 + 10_000)
        let out = try engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", updatedAt: t0 + 10_000 + 180_000)], from: "tienda")
        let id = try #require(out.first?.entity)
        let stamp = try #require(try engine.state(of: id)?.registers.registers["email"]?.stamp)
        #expect(abs(stamp.hlc.milliseconds - (t0 + 10_000)) <= 1_000)
        #expect(stamp.hlc.milliseconds <= t0 + 10_000)
    }

    @Test("a contact without last name is held with the reason, then released when fixed in the store")
    func heldAndReleased() throws {
        let clock = ManualClock(milliseconds: t0 + 60_000)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        let held = try engine.ingest(contacts: [contact(id: "5", email: "luis@example.mx", first: "Luis", last: nil, updatedAt: t0)], from: "tienda")
        guard case .held(let reason) = held.first?.status else {
            Issue.record("expected held, got \(String(describing: held.first?.status))")
            return
        }
        #expect(reason.code == .missingLastName)
        #expect(reason.message.contains("luis@example.mx"))
        #expect(try engine.heldRecords().map(\.remoteID) == ["5"])
        #expect(try engine.heldRecords().first?.payload == "{\"id\":5}")
        #expect(try engine.count(.contact) == 0)
        let fixed = try engine.ingest(contacts: [contact(id: "5", email: "luis@example.mx", first: "Luis", last: "Pérez", updatedAt: t0 + 5_000)], from: "tienda")
        #expect(fixed.first?.status == .created)
        #expect(try engine.heldRecords().isEmpty)
    }

    @Test("bad e-mails and missing first names are held", arguments: [
        (String?.none, String?.some("Ana"), HoldReason.Code.invalidEmail), ("ana@", "Ana", .invalidEmail), ("ana example.mx", "Ana", .invalidEmail),
        ("ana@example", "Ana", .invalidEmail), ("ana@example.mx", nil, .missingFirstName), ("ana@example.mx", "  ", .missingFirstName),
    ] as [(String?, String?, HoldReason.Code)])
    func contactRules(email: String?, first: String?, code: HoldReason.Code) throws {
        let engine = try makeEngine(ManualClock(milliseconds: t0))
        try engine.connect(link: "tienda", kind: .shopify)
        let out = try engine.ingest(contacts: [contact(id: "1", email: email, first: first, updatedAt: t0)], from: "tienda")
        guard case .held(let reason) = out.first?.status else {
            Issue.record("expected held, got \(String(describing: out.first?.status))")
            return
        }
        #expect(reason.code == code)
        #expect(try engine.heldRecords().count == 1)
    }

    @Test("products match by SKU across stores; a variant without SKU is held")
    func products() throws {
        let engine = try makeEngine(ManualClock(milliseconds: t0 + 60_000))
        try engine.connect(link: "shopify", kind: .shopify)
        try engine.connect(link: "woo", kind: .woocommerce)
        func product(_ store: StoreKind, _ pid: String, _ vid: String?, sku: String?, price: String) throws -> IncomingRecord<ProductRecord> {
            IncomingRecord(ProductRecord(store: store, remoteProductID: pid, remoteVariantID: vid, sku: sku, name: "Playera - M", productTitle: "Playera",
                                         variantTitle: "M", price: try ExactDecimal(price), updatedAt: t0), payload: "{}")
        }
        let a = try engine.ingest(products: [try product(.shopify, "10", "11", sku: "PLAY-M", price: "199.00"),
                                             try product(.shopify, "10", "12", sku: nil, price: "199.00")], from: "shopify")
        #expect(a[0].status == .created)
        if case .held(let r) = a[1].status { #expect(r.code == .missingSKU) } else { Issue.record("expected held") }
        let b = try engine.ingest(products: [try product(.woocommerce, "55", nil, sku: "PLAY-M", price: "189.00")], from: "woo")
        #expect(b[0].status == .linked && b[0].entity == a[0].entity)
        #expect(try engine.count(.product) == 1)
        let product = try #require(a[0].entity)
        #expect(try engine.state(of: product)?.registers["price"] == .decimal(try ExactDecimal("189")))
    }

    @Test("store names are validated and kinds cannot change")
    func linkValidation() throws {
        let engine = try makeEngine(ManualClock(milliseconds: t0))
        #expect(throws: SyncEngineError.self) { try engine.connect(link: "mi tienda", kind: .shopify) }
        let a = try engine.connect(link: "tienda", kind: .shopify)
        #expect(try engine.connect(link: "tienda", kind: .shopify) == a)
        #expect(throws: SyncEngineError.self) { try engine.connect(link: "tienda", kind: .woocommerce) }
        #expect(throws: SyncEngineError.self) { try engine.ingest(contacts: [], from: "otra") }
    }
}
