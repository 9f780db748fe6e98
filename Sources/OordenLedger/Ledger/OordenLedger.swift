import DatabaseFiles
import SyncCore
import Foundation
import GRDB

/// The reference Oorden company ledger: contacts, products, taxes, inventory, sales orders, sales
/// and credit notes in one SQLite file.
///
/// It is the host side the sync engine embeds against, and a real (small) accounting ledger. Every
/// mutation runs in one transaction that also appends to the change feed; a refused mutation
/// (a ``LedgerError``) changes nothing. Time comes only from the injected ``WallClock``.
///
/// ```swift
/// let ledger = try OordenLedger(path: "company.sqlite", clock: SystemWallClock())
/// try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
/// let iva = try ledger.createTax(TaxDraft(name: "IVA", percentage: ExactDecimal(16)))
/// let taza = try ledger.createProduct(ProductDraft(sku: "TAZA-1", name: "Taza", price: try ExactDecimal("120.00"), taxID: iva.id))
/// try ledger.recordMovement(productID: taza.id, quantity: 10, kind: .purchase)
/// try ledger.changes(after: 0, limit: 100)   // what happened, with times and origins
/// ```
public final class OordenLedger: Sendable {
    let database: DatabaseQueue
    let clock: any WallClock
    /// The batch this ledger works in (the ledger handed to a ``batch(_:)``'s body); nil for a ledger
    /// whose operations open their own transactions.
    private let openBatch: LedgerBatch?

    /// Opens (creating if needed) the ledger at `path`, in WAL mode, and migrates its schema.
    ///
    /// A new file is created readable only by its owner (0600, its directories 0700). SQLite
    /// failures are a ``LedgerError`` (`storage`) worded by ``DatabaseFiles/DatabaseFileError``:
    /// the file, what the failure means and what to do.
    public convenience init(path: String, clock: any WallClock) throws {
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(5)
        let queue: DatabaseQueue
        do {
            try PrivateDatabaseFile.prepare(path, role: .ledger)
            queue = try DatabaseQueue(path: path, configuration: config)
            try DatabaseFileError.requireWritable(queue, role: .ledger, path: path)
            try LedgerSchema.migrator.migrate(queue)
        } catch {
            // A ledger refuses with a LedgerError; the words come from the mapping all three files share.
            throw LedgerError(.storage, "\(DatabaseFileError.from(error, role: .ledger, path: path))")
        }
        try self.init(database: queue, clock: clock)
    }

    /// An in-memory ledger, for tests and simulations.
    public convenience init(inMemoryWith clock: any WallClock) throws {
        try self.init(database: DatabaseQueue(), clock: clock)
    }

    init(database: DatabaseQueue, clock: any WallClock) throws {
        self.database = database
        self.clock = clock
        self.openBatch = nil
        do {
            try LedgerSchema.migrator.migrate(database)
        } catch {
            throw LedgerError(.storage, "cannot prepare the ledger schema: \(error); the file may not be an Oorden ledger")
        }
    }

    /// Row counts per table: a diagnostic to check that a refused operation changed nothing.
    public func rowCounts() throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for table in LedgerSchema.tables {
                counts[table] = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM \(table)")) ?? 0
            }
            return counts
        }
    }

    /// The ledger handed to a batch's body: the same database and clock, working in `batch`.
    private init(working batch: LedgerBatch, of ledger: OordenLedger) {
        database = ledger.database
        clock = ledger.clock
        openBatch = batch
    }

    // MARK: - Transactions

    /// Runs `body` — any number of ledger operations on the ledger it is handed — in one database
    /// transaction.
    ///
    /// Each operation of that ledger keeps its own rules and atomicity: it runs in a savepoint, so a
    /// refused one (a ``LedgerError``) changes nothing and the others stand. What changes is the
    /// cost: one commit for the whole batch instead of one per operation. An error `body` throws
    /// rolls back the whole batch. Operations on this ledger from other threads wait until the batch
    /// ends; inside `body`, use the ledger it is handed (GRDB's queue is not reentrant: this one
    /// would stop with a precondition failure). A batch inside a batch is part of it.
    ///
    /// ```swift
    /// try ledger.batch { ledger in
    ///     for draft in drafts { _ = try? ledger.createContact(draft) }
    /// }
    /// ```
    public func batch<T>(_ body: (OordenLedger) throws -> T) throws -> T {
        if openBatch != nil { return try body(self) }
        do {
            return try database.write { db in
                let batch = LedgerBatch(db)
                defer { batch.end() }
                return try body(OordenLedger(working: batch, of: self))
            }
        } catch let error as DatabaseError {
            throw LedgerError.from(error)
        }
    }

    /// Runs `body` in one write transaction with the current time; errors roll everything back.
    /// On the ledger handed to a ``batch(_:)`` it is a savepoint of the batch's transaction.
    func write<T>(_ body: (Database, Int64) throws -> T) throws -> T {
        let now = clock.nowMilliseconds()
        do {
            if let openBatch {
                let db = openBatch.connection
                var result: T?
                try db.inSavepoint {
                    result = try body(db, now)
                    return .commit
                }
                return result!
            }
            return try database.write { db in try body(db, now) }
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError {
            throw LedgerError.from(error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            if let openBatch { return try body(openBatch.connection) }
            return try database.read { db in try body(db) }
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError {
            throw LedgerError.from(error)
        }
    }

    /// Appends one change-feed entry; call inside the mutation's transaction.
    func appendChange(_ db: Database, _ kind: LedgerEntityKind, _ id: Int64, _ action: LedgerChangeAction, time: Int64, origin: LedgerOrigin) throws {
        try db.cachedStatement(sql: "INSERT INTO change_feed (entity_kind, entity_id, action, time, origin) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [kind.rawValue, id, action.rawValue, time, origin.rawValue])
    }

    /// The next document number `PREFIX-000001` for a table with a `number` column.
    func nextNumber(_ db: Database, table: String, prefix: String) throws -> String {
        var n = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM \(table)")) ?? 0) + 1
        while true {
            let digits = String(n)
            let candidate = prefix + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE number = ?)"), arguments: [candidate]) != true {
                return candidate
            }
            n += 1
        }
    }
}

extension LedgerError {
    /// Maps an SQLite error that slipped past the API's own checks (a race, a damaged file).
    static func from(_ error: DatabaseError) -> LedgerError {
        let detail = error.message ?? "\(error.resultCode)"
        if error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            if detail.contains("product.sku") { return LedgerError(.duplicateSKU, "that SKU is already used; pick another SKU") }
            if detail.contains("contact.email_key") { return LedgerError(.duplicateEmail, "an active contact already has that e-mail; update that contact instead") }
            if detail.contains("external") { return LedgerError(.duplicateExternalReference, "a sales order already holds that store order; look it up instead of creating it again") }
            if detail.contains("number") { return LedgerError(.duplicateNumber, "that document number is taken; leave it empty to get the next one") }
            if detail.contains("tax") { return LedgerError(.duplicateTax, "a tax with that name and percentage exists; use it") }
        }
        return LedgerError(.storage, "the ledger database refused the change (\(detail)); check the file is not damaged or read-only")
    }
}

// MARK: - Row decoding helpers

extension Row {
    func decimal(_ column: String) throws -> ExactDecimal {
        let text: String = self[column]
        guard let value = ExactDecimal.parse(text) else {
            throw LedgerError(.storage, "column \(column) holds \"\(text.prefix(40))\", not a decimal; the ledger file is damaged")
        }
        return value
    }

    func json(_ column: String) throws -> JSONValue? {
        guard let text: String = self[column] else { return nil }
        do { return try JSONValue.parse(text) } catch {
            throw LedgerError(.storage, "column \(column) holds malformed JSON; the ledger file is damaged")
        }
    }

    func origin(_ column: String) throws -> LedgerOrigin {
        let text: String = self[column]
        guard let origin = LedgerOrigin(rawValue: text) else {
            throw LedgerError(.storage, "column \(column) holds origin \"\(text.prefix(40))\"; the ledger file is damaged")
        }
        return origin
    }

    func enumValue<E: RawRepresentable>(_ column: String, as: E.Type) throws -> E where E.RawValue == String {
        let text: String = self[column]
        guard let value = E(rawValue: text) else {
            throw LedgerError(.storage, "column \(column) holds unknown value \"\(text.prefix(40))\"; the ledger file is damaged")
        }
        return value
    }
}
