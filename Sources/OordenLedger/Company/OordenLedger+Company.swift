import SyncCore
import GRDB

extension OordenLedger {
    /// The company, or `nil` before ``setCompany(name:currency:origin:)``.
    public func company() throws -> Company? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM company WHERE id = 1")).map {
                Company(name: $0["name"], currency: $0["currency"], createdAt: $0["created_at"], updatedAt: $0["updated_at"])
            }
        }
    }

    /// Creates the company or renames it; the currency can change only while no sales order exists.
    @discardableResult
    public func setCompany(name: String, currency: String, origin: LedgerOrigin = .user) throws -> Company {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw LedgerError(.missingField, "the company needs a name; give a non-empty name") }
        let code = try Company.normalizedCurrency(currency)
        try write { db, now in
            if let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT currency FROM company WHERE id = 1")) {
                let old: String = existing["currency"]
                if old != code, try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM sales_order")) ?? 0 > 0 {
                    throw LedgerError(.currencyLocked, "the main currency is \(old) and sales orders exist in it; it cannot change to \(code)")
                }
                try db.cachedStatement(sql: "UPDATE company SET name = ?, currency = ?, updated_at = ? WHERE id = 1").execute(arguments: [name, code, now])
                try appendChange(db, .company, 1, .updated, time: now, origin: origin)
            } else {
                try db.cachedStatement(sql: "INSERT INTO company (id, name, currency, created_at, updated_at) VALUES (1, ?, ?, ?, ?)").execute(arguments: [name, code, now, now])
                try appendChange(db, .company, 1, .created, time: now, origin: origin)
            }
        }
        return try company()!
    }

    func requireCompany(_ db: Database) throws -> String {
        guard let currency = try String.fetchOne(db.cachedStatement(sql: "SELECT currency FROM company WHERE id = 1")) else {
            throw LedgerError(.companyNotSet, "the ledger has no company yet; run `oorden-sync ledger init --name … --currency …` or call setCompany first")
        }
        return currency
    }
}
