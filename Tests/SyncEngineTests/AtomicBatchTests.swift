import Foundation
import OordenLedger
import OordenLedgerAdapter
import Testing
@testable import SyncCore
@testable import SyncEngine
@testable import SyncStore

/// One engine transaction around one host batch (`OordenHost.batchesAtomically`): an error in the
/// middle undoes what both sides wrote in the batch.
@Suite("Atomic host batches")
struct AtomicBatchTests {
    static let diskFull = LedgerError(.storage, "the ledger database refused the change (database or disk is full)")

    /// Two contacts waiting to be projected to Oorden, and their entities.
    static func twoContacts(_ h: Harness) throws -> [EntityID] {
        let out = try h.engine.ingest(contacts: [
            contact(id: "1", email: "ana@example.mx", updatedAt: t0 - 5_000),
            contact(id: "2", email: "bea@example.mx", first: "Bea", updatedAt: t0 - 5_000),
        ], from: "shopify")
        return out.compactMap(\.entity)
    }

    @Test("a projection batch whose second Oorden write fails leaves neither the ledger's nor the engine's writes of the first")
    func failureUndoesBothSides() throws {
        let h = try Harness()
        let host = FailingHost(h.host)
        let entities = try Self.twoContacts(h)
        let dirty = try h.engine.dirtyCount()
        let feed = try h.ledger.latestChangeSequence()
        host.failure = Self.diskFull
        host.writesBeforeFailure = 1
        #expect(throws: LedgerError.self) { try h.engine.project(host: host) }
        #expect(try h.ledger.contacts().isEmpty, "the first create is rolled back with the ledger's batch")
        #expect(try h.ledger.latestChangeSequence() == feed)
        for e in entities { #expect(try h.engine.remoteIDs(of: e).keys.sorted() == ["shopify"], "the engine's link to it is rolled back too") }
        #expect(try h.engine.dirtyCount() == dirty)
        #expect(try h.engine.heldRecords().isEmpty)

        host.failure = nil
        let result = try h.engine.project(host: host)
        #expect(result.hostCreates == 2)
        #expect(try h.ledger.contacts().count == 2)
        for e in entities { #expect(try h.engine.remoteIDs(of: e)[SideLink.oordenName] != nil) }
    }

    @Test("without atomic batches the first Oorden write and the engine's link to it stand when the second fails")
    func separateCommitsKeepTheFirst() throws {
        let h = try Harness()
        let host = FailingHost(h.host, atomic: false)
        let entities = try Self.twoContacts(h)
        host.failure = Self.diskFull
        host.writesBeforeFailure = 1
        #expect(throws: LedgerError.self) { try h.engine.project(host: host) }
        let created = try h.ledger.contacts()
        #expect(created.count == 1)
        let linked = try entities.filter { try h.engine.remoteIDs(of: $0)[SideLink.oordenName] == created.first.map { String($0.id) } }
        #expect(linked.count == 1, "the first contact is in Oorden and linked: each commit stood alone")
    }

    @Test("an engine batch is one transaction: an error of the body undoes every ingest; inside, ingests see each other and one that throws leaves the others")
    func engineBatch() throws {
        let clock = ManualClock(milliseconds: t0)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try engine.batch { engine in
                _ = try engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", updatedAt: t0 - 1_000)], from: "tienda")
                throw Abort()
            }
        }
        #expect(try engine.count(.contact) == 0)
        let outcomes = try engine.batch { engine in
            let first = try engine.ingest(contacts: [contact(id: "1", email: "ana@example.mx", updatedAt: t0 - 1_000)], from: "tienda")
            #expect(throws: SyncEngineError.self) { try engine.ingest(contacts: [], from: "no-such-store") }
            #expect(try engine.entity(link: "tienda", kind: .contact, remoteID: "1") == first.first?.entity, "the batch reads its own writes")
            return first + (try engine.ingest(contacts: [contact(id: "2", email: "bea@example.mx", updatedAt: t0 - 1_000)], from: "tienda"))
        }
        #expect(outcomes.map(\.status) == [.created, .created])
        #expect(try engine.count(.contact) == 2)
    }
}
