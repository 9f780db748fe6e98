import OordenLedger
import SyncCore
import Testing

/// `OordenLedger.batch`: one transaction for the operations of the ledger it hands its body.
@Suite struct BatchTests {
    struct Abort: Error {}

    @Test func aRefusedOperationInABatchIsUndoneAloneAndTheOthersCommitTogether() throws {
        let f = try LedgerFixture()
        let ids = try f.ledger.batch { ledger in
            let ana = try ledger.createContact(ContactDraft(firstName: "Ana", lastName: "López", email: "ana@example.mx"))
            try expectRefused(ledger, .duplicateEmail) {
                try ledger.createContact(ContactDraft(firstName: "Ana", lastName: "L", email: " ANA@example.mx"))
            }
            // The batch's ledger reads its own writes; a batch inside it is part of it.
            #expect(try ledger.contact(email: "ana@example.mx")?.id == ana.id)
            let beto = try ledger.batch { inner in
                try inner.createContact(ContactDraft(firstName: "Beto", lastName: "Ruiz", email: "beto@example.mx"))
            }
            return [ana.id, beto.id]
        }
        #expect(try ids.map { try f.ledger.contact(id: $0)?.id } == ids)
        #expect(try f.ledger.changes(after: 0, limit: 100).filter { $0.kind == .contact }.count == 2)
    }

    @Test func anErrorOfTheBodyUndoesTheWholeBatch() throws {
        let f = try LedgerFixture()
        let before = try f.ledger.rowCounts()
        let feed = try f.ledger.latestChangeSequence()
        #expect(throws: Abort.self) {
            try f.ledger.batch { ledger in
                _ = try ledger.createContact(ContactDraft(firstName: "Ana", lastName: "López", email: "ana@example.mx"))
                _ = try ledger.createProduct(ProductDraft(sku: "TAZA-1", name: "Taza", price: dec("120.00"), taxID: f.iva.id))
                throw Abort()
            }
        }
        #expect(try f.ledger.rowCounts() == before)
        #expect(try f.ledger.latestChangeSequence() == feed)
        #expect(try f.ledger.contact(email: "ana@example.mx") == nil)
    }
}
