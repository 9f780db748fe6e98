import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import Testing
@testable import SyncCore
@testable import SyncEngine
@testable import SyncStore

/// An engine, a ledger and the store links of a test, on one manual clock.
struct Harness {
    let clock: ManualClock
    let engine: SyncEngine
    let ledger: OordenLedger
    let host: OordenLedgerHost
    var nextRemoteID = 9_000

    init(stores: [(String, StoreKind)] = [("shopify", .shopify)]) throws {
        clock = ManualClock(milliseconds: t0)
        engine = try makeEngine(clock)
        ledger = try OordenLedger(inMemoryWith: clock)
        _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        host = OordenLedgerHost(ledger: ledger)
        for (name, kind) in stores { try engine.connect(link: name, kind: kind) }
    }

    /// Completes every push as a store that accepts it verbatim (or transforms it with `edit`),
    /// stamping `updated_at` with the current second.
    mutating func acceptAll(_ pushes: [PushIntent], edit: (inout ContactRecord) -> Void = { _ in }) throws -> [ContactRecord] {
        var out: [ContactRecord] = []
        for p in pushes where p.kind == .contact {
            let remote: String
            switch p.action {
            case .create:
                nextRemoteID += 1
                remote = String(nextRemoteID)
            case .update(let id):
                remote = id
            case .adjustStock:
                continue
            }
            let kind = try #require(try engine.link(named: p.link)).kind
            var record = try ContactRecord(store: kind, remoteID: remote).applying(p.record)
            record.updatedAt = clock.nowMilliseconds() / 1000 * 1000
            edit(&record)
            try engine.completePush(p, contact: record)
            out.append(record)
        }
        return out
    }

    /// One sync pass with nothing new from the stores: Oorden's changes in, projection out.
    func pass() throws -> ProjectionResult {
        try engine.pullOorden(from: host)
        return try engine.project(host: host)
    }
}

@Suite("Projection to Oorden and stores")
struct ProjectionTests {
    @Test("a store customer appears in Oorden and in the other store; then a pass sends nothing")
    func storeToEverywhere() throws {
        var h = try Harness(stores: [("shopify", .shopify), ("woo", .woocommerce)])
        _ = try h.engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "+5215512345678", updatedAt: t0 - 5_000)], from: "shopify")
        let result = try h.engine.project(host: h.host)
        #expect(result.hostCreates == 1)
        let ana = try #require(try h.ledger.contact(email: "ana@example.mx"))
        #expect(ana.firstName == "Ana" && ana.lastName == "López" && ana.phone == "+5215512345678")
        #expect(result.pushes.count == 1)
        #expect(result.pushes.first?.link == "woo" && result.pushes.first?.action == .create)
        _ = try h.acceptAll(result.pushes)
        h.clock.advance(by: 1_000)
        let quiet = try h.pass()
        #expect(quiet.pushes.isEmpty && quiet.hostCreates == 0 && quiet.hostUpdates == 0)
        #expect(try h.ledger.contacts().count == 1)
    }

    @Test("an Oorden contact is created in the store, linked, and not echoed back")
    func oordenToStore() throws {
        var h = try Harness()
        _ = try h.ledger.createContact(ContactDraft(firstName: "Luis", lastName: "Pérez", email: "luis@example.mx"))
        h.clock.advance(by: 10)
        let first = try h.pass()
        #expect(first.hostCreates == 0)
        #expect(first.pushes.count == 1)
        let push = try #require(first.pushes.first)
        #expect(push.action == .create && push.fields[.email] == .string("luis@example.mx"))
        _ = try h.acceptAll(first.pushes)
        // The webhook the push triggered (same record) changes nothing.
        let echo = try h.engine.ingest(contacts: [IncomingRecord(try ContactRecord(store: .shopify, remoteID: "9001").applying(push.record).with(updatedAt: t0 / 1000 * 1000), payload: "{}")], from: "shopify")
        #expect(echo.first?.status == .unchanged)
        h.clock.advance(by: 1_000)
        let quiet = try h.pass()
        #expect(quiet.pushes.isEmpty && quiet.hostUpdates == 0)
    }

    @Test("an existing Oorden e-mail links and updates, never duplicates (case and spaces differ)")
    func linksExistingOordenContact() throws {
        let h = try Harness()
        let existing = try h.ledger.createContact(ContactDraft(firstName: "Ana", lastName: "López", email: "ana@example.mx", note: "cliente VIP"))
        h.clock.advance(by: 60_000)
        _ = try h.engine.ingest(contacts: [contact(id: "1", email: " ANA@example.MX", phone: "+5215512345678", updatedAt: t0 + 30_000)], from: "shopify")
        let result = try h.engine.project(host: h.host)
        #expect(result.hostCreates == 0 && result.hostLinks == 1)
        #expect(try h.ledger.contacts().count == 1)
        let after = try #require(try h.ledger.contact(id: existing.id))
        #expect(after.phone == "+5215512345678")      // new information from the store
        #expect(after.note == "cliente VIP")          // kept: the store had no note
    }

    @Test("concurrent edits of different fields both survive; of the same field the later one wins everywhere")
    func concurrentEdits() throws {
        var h = try Harness()
        _ = try h.engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "1", updatedAt: t0 - 60_000)], from: "shopify")
        _ = try h.engine.project(host: h.host)
        let id = try #require(try h.ledger.contact(email: "ana@example.mx")).id
        _ = try h.pass()
        // Oorden edits phone and note at t0+10s; the store edits first name at t0+20s and phone at t0+20s too.
        h.clock.set(t0 + 10_000)
        _ = try h.ledger.updateContact(id) { $0.phone = "oorden-phone"; $0.note = "nota" }
        h.clock.set(t0 + 30_000)
        _ = try h.engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", first: "Ana María", phone: "store-phone", updatedAt: t0 + 20_000)], from: "shopify")
        let result = try h.pass()
        _ = try h.acceptAll(result.pushes)
        _ = try h.pass()
        let final = try #require(try h.ledger.contact(id: id))
        #expect(final.firstName == "Ana María")     // store's field
        #expect(final.note == "nota")               // Oorden's field
        #expect(final.phone == "store-phone")       // same field: the store's edit is later
        let entity = try #require(try h.engine.entity(kind: .contact, naturalKey: "ana@example.mx"))
        #expect(try h.engine.state(of: entity)?.registers["phone"] == .string("store-phone"))
        // The store was sent Oorden's note.
        #expect(result.pushes.contains { $0.fields[.note] == .string("nota") })
    }

    @Test("the store reformats a pushed phone: the normalized value wins everywhere and nothing loops")
    func normalizationAbsorbed() throws {
        var h = try Harness()
        let luis = try h.ledger.createContact(ContactDraft(firstName: "Luis", lastName: "Pérez", email: "luis@example.mx", phone: "55 1234 5678"))
        h.clock.advance(by: 1_000)
        let first = try h.pass()
        h.clock.advance(by: 1_000)
        _ = try h.acceptAll(first.pushes) { $0.phone = "+525512345678" }   // the store normalizes
        h.clock.advance(by: 1_000)
        let second = try h.pass()
        #expect(second.pushes.isEmpty)
        #expect(second.hostUpdates == 1)
        #expect(try h.ledger.contact(id: luis.id)?.phone == "+525512345678")
        h.clock.advance(by: 1_000)
        let third = try h.pass()
        #expect(third.pushes.isEmpty && third.hostUpdates == 0 && third.hostCreates == 0)
    }

    @Test("a contact without e-mail in Oorden is held, then released when the e-mail is added")
    func heldFromOorden() throws {
        var h = try Harness()
        let c = try h.ledger.createContact(ContactDraft(firstName: "Sin", lastName: "Correo"))
        let first = try h.pass()
        #expect(first.pushes.isEmpty)
        #expect(try h.engine.heldRecords().map(\.reason.code) == [.invalidEmail])
        h.clock.advance(by: 1_000)
        _ = try h.ledger.updateContact(c.id) { $0.email = "sin.correo@example.mx" }
        let second = try h.pass()
        #expect(try h.engine.heldRecords().isEmpty)
        #expect(second.pushes.count == 1)
        _ = try h.acceptAll(second.pushes)
    }

    @Test("a store that refuses a push holds it with its message and does not resend it unchanged")
    func refusedPush() throws {
        let h = try Harness()
        _ = try h.ledger.createContact(ContactDraft(firstName: "Eva", lastName: "Ruiz", email: "eva@example.mx"))
        let first = try h.pass()
        let push = try #require(first.pushes.first)
        try h.engine.failPush(push, message: "phone: is invalid", permanent: true)
        let held = try h.engine.heldRecords()
        #expect(held.count == 1 && held.first?.reason.message.contains("phone: is invalid") == true)
        #expect(try h.pass().pushes.isEmpty)
        // A transient failure leaves the entity to retry.
        h.clock.advance(by: 1_000)
        let eva = try #require(try h.ledger.contact(email: "eva@example.mx"))
        _ = try h.ledger.updateContact(eva.id) { $0.phone = "+525500000000" }
        let retry = try h.pass()
        #expect(retry.pushes.count == 1)
        try h.engine.failPush(try #require(retry.pushes.first), message: "503", permanent: false)
        #expect(try h.pass().pushes.count == 1)
    }
}

extension ContactRecord {
    func with(updatedAt: Int64) -> ContactRecord {
        var c = self
        c.updatedAt = updatedAt
        return c
    }
}

/// The reference ledger host, with a failure to throw from every create and update while one is
/// set — after `writesBeforeFailure` more of them succeed. Its batches are the ledger's (atomic)
/// unless made with `atomic: false`.
final class FailingHost: OordenHost, @unchecked Sendable {
    /// The failure and its countdown, shared by a host and the hosts its batches hand out.
    final class Failure: @unchecked Sendable {
        let lock = NSLock()
        var error: (any Error)?
        var writesBefore = 0
    }

    let inner: OordenLedgerHost
    let atomic: Bool
    private let shared: Failure
    var failure: (any Error)? {
        get { shared.lock.withLock { shared.error } }
        set { shared.lock.withLock { shared.error = newValue } }
    }
    var writesBeforeFailure: Int {
        get { shared.lock.withLock { shared.writesBefore } }
        set { shared.lock.withLock { shared.writesBefore = newValue } }
    }

    init(_ inner: OordenLedgerHost, atomic: Bool = true, sharing shared: Failure = Failure()) {
        self.inner = inner
        self.atomic = atomic
        self.shared = shared
    }

    private func failIfSet() throws {
        let error: (any Error)? = shared.lock.withLock {
            guard shared.error != nil, shared.writesBefore > 0 else { return shared.error }
            shared.writesBefore -= 1
            return nil
        }
        if let error { throw error }
    }

    /// Contacts and products only: what a failing write does to them is what these tests look at.
    var sales: (any OordenSalesHost)? { nil }
    var stock: (any OordenStockHost)? { nil }

    func companyCurrency() throws -> String? { try inner.companyCurrency() }
    func changes(after cursor: Int64, limit: Int) throws -> [HostChange] { try inner.changes(after: cursor, limit: limit) }
    func record(_ kind: RecordKind, id: String) throws -> HostRecord? { try inner.record(kind, id: id) }
    func find(_ kind: RecordKind, naturalKey: String) throws -> HostRecord? { try inner.find(kind, naturalKey: naturalKey) }
    func create(_ kind: RecordKind, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        try failIfSet()
        return try inner.create(kind, fields: fields, origin: origin)
    }
    func update(_ kind: RecordKind, id: String, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        try failIfSet()
        return try inner.update(kind, id: id, fields: fields, origin: origin)
    }
    func batch<T>(_ body: (FailingHost) throws -> T) throws -> T {
        guard atomic else { return try body(self) }
        return try inner.batch { inner in try body(FailingHost(inner, sharing: shared)) }
    }
    var batchesAtomically: Bool { atomic && inner.batchesAtomically }
}

@Suite("Oorden's refusals and Oorden's failures")
struct HostFailureTests {
    @Test("a storage failure while writing to Oorden fails the projection, holds nothing, and the next projection writes the record")
    func storageFailureIsNotARefusal() throws {
        let h = try Harness()
        let host = FailingHost(h.host)
        _ = try h.engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "+5215512345678", updatedAt: t0 - 5_000)], from: "shopify")
        host.failure = LedgerError(.storage, "the ledger database refused the change (database or disk is full)")
        #expect(throws: LedgerError.self) { try h.engine.project(host: host) }
        #expect(try h.engine.heldRecords().isEmpty, "a full disk is not the contact's fault")
        #expect(try h.ledger.contacts().isEmpty)

        host.failure = nil
        let result = try h.engine.project(host: host)
        #expect(result.hostCreates == 1)
        #expect(try h.ledger.contact(email: "ana@example.mx")?.phone == "+5215512345678")
        #expect(try h.engine.heldRecords().isEmpty)
    }

    @Test("Oorden's refusal holds the record with Oorden's message")
    func refusalIsHeld() throws {
        let h = try Harness()
        let host = FailingHost(h.host)
        _ = try h.engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", phone: "+5215512345678", updatedAt: t0 - 5_000)], from: "shopify")
        host.failure = OordenRefusal("ledger invalid_value: the phone is too long")
        let result = try h.engine.project(host: host)
        #expect(result.hostCreates == 0)
        let held = try h.engine.heldRecords()
        #expect(held.count == 1 && held.first?.reason.code == .pushRejected)
        #expect(held.first?.reason.message == "Oorden refused the contact: ledger invalid_value: the phone is too long")
    }
}
