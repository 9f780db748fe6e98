import SyncCore
import GRDB

extension OordenLedger {
    /// Creates a contact; its e-mail, if any, must not belong to another active contact.
    @discardableResult
    public func createContact(_ draft: ContactDraft, origin: LedgerOrigin = .user) throws -> Contact {
        let d = try draft.validated()
        let id = try write { db, now in
            try checkEmailFree(db, d.email, except: nil)
            try db.cachedStatement(sql: """
                    INSERT INTO contact (first_name, last_name, email, email_key, phone, company, note, address, archived, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                    """).execute(
                        arguments: [d.firstName, d.lastName, d.email, Contact.normalizedEmail(d.email), d.phone, d.company, d.note, d.address?.jsonText, now, now])
            let id = db.lastInsertedRowID
            try appendChange(db, .contact, id, .created, time: now, origin: origin)
            return id
        }
        return try contact(id: id)!
    }

    /// Changes a contact: `edit` receives its current fields and changes some of them.
    ///
    /// Nothing is written (and no change is reported) when the edit changes nothing.
    @discardableResult
    public func updateContact(_ id: Int64, origin: LedgerOrigin = .user, edit: (inout ContactDraft) throws -> Void) throws -> Contact {
        try write { db, now in
            let current = try Self.requireContact(db, id)
            var draft = current.draft
            try edit(&draft)
            let d = try draft.validated()
            guard d != current.draft else { return }
            if !current.archived { try checkEmailFree(db, d.email, except: id) }
            try db.cachedStatement(sql: """
                    UPDATE contact SET first_name = ?, last_name = ?, email = ?, email_key = ?, phone = ?, company = ?, note = ?,
                    address = ?, updated_at = ? WHERE id = ?
                    """).execute(
                        arguments: [d.firstName, d.lastName, d.email, Contact.normalizedEmail(d.email), d.phone, d.company, d.note, d.address?.jsonText, now, id])
            try appendChange(db, .contact, id, .updated, time: now, origin: origin)
        }
        return try contact(id: id)!
    }

    /// Archives (`true`) or restores (`false`) a contact. Restoring needs its e-mail to be free again.
    @discardableResult
    public func setContactArchived(_ id: Int64, _ archived: Bool, origin: LedgerOrigin = .user) throws -> Contact {
        try write { db, now in
            let current = try Self.requireContact(db, id)
            guard current.archived != archived else { return }
            if !archived { try checkEmailFree(db, current.email, except: id) }
            try db.cachedStatement(sql: "UPDATE contact SET archived = ?, updated_at = ? WHERE id = ?").execute(arguments: [archived, now, id])
            try appendChange(db, .contact, id, archived ? .archived : .unarchived, time: now, origin: origin)
        }
        return try contact(id: id)!
    }

    /// The contact with `id`, or `nil`.
    public func contact(id: Int64) throws -> Contact? {
        try read { db in try Self.fetchContacts(db, where: "id = ?", [id]).first }
    }

    /// Contacts by id; archived ones only when asked.
    public func contacts(includeArchived: Bool = true) throws -> [Contact] {
        try read { db in try Self.fetchContacts(db, where: includeArchived ? "1" : "archived = 0", []) }
    }

    /// The active contact whose normalized e-mail equals `email`'s (trimmed, lower-cased), or `nil`.
    public func contact(email: String) throws -> Contact? {
        guard let key = Contact.normalizedEmail(email) else { return nil }
        return try read { db in try Self.fetchContacts(db, where: "email_key = ? AND archived = 0", [key]).first }
    }

    func checkEmailFree(_ db: Database, _ email: String?, except id: Int64?) throws {
        guard let key = Contact.normalizedEmail(email) else { return }
        if let other = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM contact WHERE email_key = ? AND archived = 0 AND id IS NOT ?"), arguments: [key, id]) {
            throw LedgerError(.duplicateEmail, "contact \(other) already has e-mail \(key); update that contact or archive it first")
        }
    }

    static func requireContact(_ db: Database, _ id: Int64) throws -> Contact {
        guard let c = try fetchContacts(db, where: "id = ?", [id]).first else {
            throw LedgerError(.unknownContact, "contact \(id) does not exist; check the id with `ledger list contacts`")
        }
        return c
    }

    static func fetchContacts(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Contact] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM contact WHERE \(condition) ORDER BY id"), arguments: arguments).map { row in
            let id: Int64 = row["id"]
            let firstName: String = row["first_name"]
            let lastName: String = row["last_name"]
            let email: String? = row["email"]
            let phone: String? = row["phone"]
            let company: String? = row["company"]
            let note: String? = row["note"]
            let archived: Bool = row["archived"]
            let createdAt: Int64 = row["created_at"]
            let updatedAt: Int64 = row["updated_at"]
            return Contact(id: id, firstName: firstName, lastName: lastName, email: email, phone: phone, company: company, note: note,
                           address: try row.json("address"), archived: archived, createdAt: createdAt, updatedAt: updatedAt)
        }
    }
}
