import OordenLedger
import SyncCore
import Testing

@Suite struct ContactTests {
    @Test func createAndFindByNormalizedEmail() throws {
        let f = try LedgerFixture()
        let c = try f.ledger.createContact(ContactDraft(
            firstName: " Ana ", lastName: "López", email: "  Ana.Lopez@Example.MX ", phone: "+52 81 1234 5678",
            address: ["city": "Monterrey", "country": "MX"]))
        #expect(c.firstName == "Ana")
        #expect(c.email == "Ana.Lopez@Example.MX")
        #expect(c.address?["city"]?.string == "Monterrey")
        #expect(c.createdAt == f.clock.nowMilliseconds())
        #expect(try f.ledger.contact(email: "ana.lopez@example.mx")?.id == c.id)
        #expect(try f.ledger.contact(email: "ANA.LOPEZ@EXAMPLE.MX ")?.id == c.id)
        #expect(try f.ledger.contact(email: "otra@example.mx") == nil)
        #expect(try f.ledger.contact(id: c.id) == c)
    }

    @Test func duplicateEmailAmongActiveContactsIsRefused() throws {
        let f = try LedgerFixture()
        let first = try f.ledger.createContact(ContactDraft(firstName: "Ana", lastName: "López", email: "ana@example.mx"))
        try expectRefused(f.ledger, .duplicateEmail) {
            try f.ledger.createContact(ContactDraft(firstName: "Ana", lastName: "L", email: " ANA@example.mx"))
        }
        let other = try f.ledger.createContact(ContactDraft(firstName: "Beto", lastName: "Ruiz", email: "beto@example.mx"))
        try expectRefused(f.ledger, .duplicateEmail) {
            try f.ledger.updateContact(other.id) { $0.email = "Ana@Example.mx" }
        }
        #expect(try f.ledger.contact(id: other.id)?.email == "beto@example.mx")
        // Archiving frees the e-mail; restoring the archived one is then refused.
        try f.ledger.setContactArchived(first.id, true)
        let again = try f.ledger.createContact(ContactDraft(firstName: "Ana", lastName: "Nueva", email: "ana@example.mx"))
        #expect(try f.ledger.contact(email: "ana@example.mx")?.id == again.id)
        try expectRefused(f.ledger, .duplicateEmail) { try f.ledger.setContactArchived(first.id, false) }
        #expect(try f.ledger.contact(id: first.id)?.archived == true)
        #expect(try f.ledger.contacts(includeArchived: false).map(\.id) == [other.id, again.id])
        #expect(try f.ledger.contacts().count == 3)
    }

    @Test func contactValidation() throws {
        let f = try LedgerFixture()
        try expectRefused(f.ledger, .missingField) { try f.ledger.createContact(ContactDraft(firstName: " ", email: "a@b.mx")) }
        for bad in ["ana", "ana@", "@b.mx", "ana@mx", "a na@b.mx", "a@b@c.mx"] {
            try expectRefused(f.ledger, .invalidValue) { try f.ledger.createContact(ContactDraft(firstName: "Ana", email: bad)) }
        }
        try expectRefused(f.ledger, .invalidValue) { try f.ledger.createContact(ContactDraft(firstName: "Ana", address: "Calle 1")) }
        try expectRefused(f.ledger, .unknownContact) { try f.ledger.updateContact(99) { $0.note = "x" } }
        // Without e-mail is allowed (the sync engine holds such contacts with a reason).
        let noEmail = try f.ledger.createContact(ContactDraft(firstName: "Sin", lastName: "Correo", email: "  "))
        #expect(noEmail.email == nil)
    }

    @Test func updateChangesFieldsAndTimeButNotOnNoOp() throws {
        let f = try LedgerFixture()
        let c = try f.ledger.createContact(ContactDraft(firstName: "Ana", lastName: "López", email: "ana@example.mx", phone: "1"))
        f.clock.advance(by: 1_234)
        let seq = try f.ledger.latestChangeSequence()
        let unchanged = try f.ledger.updateContact(c.id) { $0.firstName = "Ana " }
        #expect(unchanged == c)
        #expect(try f.ledger.latestChangeSequence() == seq)
        let updated = try f.ledger.updateContact(c.id) { $0.phone = nil; $0.note = "cliente frecuente" }
        #expect(updated.phone == nil)
        #expect(updated.note == "cliente frecuente")
        #expect(updated.updatedAt == c.updatedAt + 1_234)
        #expect(updated.createdAt == c.createdAt)
        let archived = try f.ledger.setContactArchived(c.id, true)
        #expect(archived.archived)
        #expect(try f.ledger.contact(email: "ana@example.mx") == nil)
        let actions = try f.ledger.changes(after: seq, limit: 10).map(\.action)
        #expect(actions == [.updated, .archived])
    }
}
