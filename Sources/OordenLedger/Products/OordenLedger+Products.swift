import SyncCore
import GRDB

extension OordenLedger {
    /// Creates a product; its SKU must be new and its tax, if any, must exist.
    @discardableResult
    public func createProduct(_ draft: ProductDraft, origin: LedgerOrigin = .user) throws -> Product {
        let d = try draft.validated()
        let id = try write { db, now in
            try checkProduct(db, d, except: nil)
            try db.cachedStatement(sql: "INSERT INTO product (sku, name, price, taxable, active, tax_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").execute(
                arguments: [d.sku, d.name, d.price.description, d.taxable, d.active, d.taxID, now, now])
            let id = db.lastInsertedRowID
            try appendChange(db, .product, id, .created, time: now, origin: origin)
            return id
        }
        return try product(id: id)!
    }

    /// Changes a product: `edit` receives its current fields and changes some of them.
    ///
    /// Setting `active` to false archives it (reported as `archived`), back to true as `unarchived`.
    @discardableResult
    public func updateProduct(_ id: Int64, origin: LedgerOrigin = .user, edit: (inout ProductDraft) throws -> Void) throws -> Product {
        try write { db, now in
            let current = try Self.requireProduct(db, id)
            var draft = current.draft
            try edit(&draft)
            let d = try draft.validated()
            guard d != current.draft else { return }
            try checkProduct(db, d, except: id)
            try db.cachedStatement(sql: "UPDATE product SET sku = ?, name = ?, price = ?, taxable = ?, active = ?, tax_id = ?, updated_at = ? WHERE id = ?").execute(
                arguments: [d.sku, d.name, d.price.description, d.taxable, d.active, d.taxID, now, id])
            var fieldsChanged = d
            fieldsChanged.active = current.active
            if fieldsChanged != current.draft { try appendChange(db, .product, id, .updated, time: now, origin: origin) }
            if d.active != current.active { try appendChange(db, .product, id, d.active ? .unarchived : .archived, time: now, origin: origin) }
        }
        return try product(id: id)!
    }

    /// Archives a product (it stays in documents and keeps its SKU and stock).
    @discardableResult
    public func archiveProduct(_ id: Int64, origin: LedgerOrigin = .user) throws -> Product {
        try updateProduct(id, origin: origin) { $0.active = false }
    }

    /// The product with `id`, or `nil`.
    public func product(id: Int64) throws -> Product? {
        try read { db in try Self.fetchProducts(db, where: "id = ?", [id]).first }
    }

    /// The product with exactly this SKU (surrounding spaces ignored), or `nil`.
    public func product(sku: String) throws -> Product? {
        try read { db in try Self.fetchProducts(db, where: "sku = ?", [sku.trimmingCharacters(in: .whitespacesAndNewlines)]).first }
    }

    /// Products by id; inactive ones only when asked.
    public func products(includeInactive: Bool = true) throws -> [Product] {
        try read { db in try Self.fetchProducts(db, where: includeInactive ? "1" : "active = 1", []) }
    }

    func checkProduct(_ db: Database, _ d: ProductDraft, except id: Int64?) throws {
        if let other = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM product WHERE sku = ? AND id IS NOT ?"), arguments: [d.sku, id]) {
            throw LedgerError(.duplicateSKU, "product \(other) already has SKU \(d.sku); use another SKU or update that product")
        }
        if let taxID = d.taxID { _ = try taxRates(db, [taxID]) }
    }

    static func requireProduct(_ db: Database, _ id: Int64) throws -> Product {
        guard let p = try fetchProducts(db, where: "id = ?", [id]).first else {
            throw LedgerError(.unknownProduct, "product \(id) does not exist; check the id with `ledger list products`")
        }
        return p
    }

    static func fetchProducts(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Product] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM product WHERE \(condition) ORDER BY id"), arguments: arguments).map {
            Product(id: $0["id"], sku: $0["sku"], name: $0["name"], price: try $0.decimal("price"), taxable: $0["taxable"],
                    active: $0["active"], taxID: $0["tax_id"], createdAt: $0["created_at"], updatedAt: $0["updated_at"])
        }
    }
}
