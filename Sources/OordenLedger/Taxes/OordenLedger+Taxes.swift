import SyncCore
import GRDB

extension OordenLedger {
    /// Creates a tax; its name and percentage together must be new, and the percentage within 0…100.
    @discardableResult
    public func createTax(_ draft: TaxDraft, origin: LedgerOrigin = .user) throws -> Tax {
        let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw LedgerError(.missingField, "a tax needs a name, such as IVA; give a non-empty name") }
        guard !draft.percentage.isNegative, draft.percentage <= ExactDecimal(100), draft.percentage.scale <= LedgerLimits.maxPercentageScale else {
            throw LedgerError(.invalidValue, "tax percentage \(draft.percentage) is outside 0…100 or has more than \(LedgerLimits.maxPercentageScale) decimals; give the rate in percent, e.g. 16 for 16 %")
        }
        let id = try write { db, now in
            if let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM tax WHERE name = ? AND percentage = ?"), arguments: [name, draft.percentage.description]) {
                throw LedgerError(.duplicateTax, "tax \(existing) is already \(name) \(draft.percentage) %; use it instead of creating another")
            }
            try db.cachedStatement(sql: "INSERT INTO tax (name, percentage, created_at) VALUES (?, ?, ?)").execute(arguments: [name, draft.percentage.description, now])
            let id = db.lastInsertedRowID
            try appendChange(db, .tax, id, .created, time: now, origin: origin)
            return id
        }
        return try tax(id: id)!
    }

    /// The tax with `id`, or `nil`.
    public func tax(id: Int64) throws -> Tax? {
        try read { db in try Self.fetchTaxes(db, where: "id = ?", [id]).first }
    }

    /// All taxes, by id.
    public func taxes() throws -> [Tax] {
        try read { db in try Self.fetchTaxes(db, where: "1", []) }
    }

    /// The taxes whose percentage equals `percentage` exactly (`16` matches `16.00`).
    public func taxes(withPercentage percentage: ExactDecimal) throws -> [Tax] {
        try read { db in try Self.fetchTaxes(db, where: "percentage = ?", [percentage.description]) }
    }

    static func fetchTaxes(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Tax] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM tax WHERE \(condition) ORDER BY id"), arguments: arguments).map {
            Tax(id: $0["id"], name: $0["name"], percentage: try $0.decimal("percentage"), createdAt: $0["created_at"])
        }
    }

    /// Percentages of the given tax ids; throws ``LedgerError/Code/unknownTax`` for a missing one.
    func taxRates(_ db: Database, _ ids: some Sequence<Int64>) throws -> [Int64: ExactDecimal] {
        var rates: [Int64: ExactDecimal] = [:]
        for id in Set(ids) {
            guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT percentage FROM tax WHERE id = ?"), arguments: [id]),
                  let rate = ExactDecimal.parse(text) else {
                throw LedgerError(.unknownTax, "tax \(id) does not exist; create it first or use an existing tax id (see `ledger list taxes`)")
            }
            rates[id] = rate
        }
        return rates
    }
}
