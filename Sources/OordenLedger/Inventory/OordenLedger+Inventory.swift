import SyncCore
import GRDB

extension OordenLedger {
    /// Records a purchase (positive quantity) or an adjustment (either sign, not zero).
    ///
    /// Sale, reservation and return movements are made by their documents (sales orders, sales,
    /// credit notes), never directly, so stock always traces back to a document. Stock may go
    /// below zero: a store sale is never refused because Oorden's count is behind.
    @discardableResult
    public func recordMovement(productID: Int64, quantity: Int64, kind: MovementKind, reference: String? = nil, origin: LedgerOrigin = .user) throws -> InventoryMovement {
        try LedgerLimits.checkQuantity(quantity, "movement quantity")
        switch kind {
        case .purchase:
            guard quantity > 0 else {
                throw LedgerError(.negativeQuantity, "a purchase of \(quantity) units is not allowed; a purchase brings 1 or more units in (use an adjustment to take stock out)")
            }
        case .adjustment:
            guard quantity != 0 else { throw LedgerError(.invalidValue, "an adjustment of 0 units changes nothing; give a positive or negative quantity") }
        case .sale, .salesOrderReservation, .reservationRelease, .creditNoteReturn:
            throw LedgerError(.invalidValue, "\(kind.rawValue) movements are made by sales orders, sales and credit notes; record a purchase or an adjustment instead")
        }
        let reference = reference?.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = try write { db, now in
            _ = try Self.requireProduct(db, productID)
            return try insertMovement(db, productID: productID, quantity: quantity, kind: kind,
                                      reference: reference?.isEmpty == true ? nil : reference, time: now, origin: origin)
        }
        return try read { db in try Self.fetchMovements(db, where: "id = ?", [id]).first! }
    }

    /// Records a purchase or adjustment described by `draft`; see ``recordMovement(productID:quantity:kind:reference:origin:)``.
    @discardableResult
    public func recordMovement(_ draft: MovementDraft, origin: LedgerOrigin = .user) throws -> InventoryMovement {
        try recordMovement(productID: draft.productID, quantity: draft.quantity, kind: draft.kind, reference: draft.reference, origin: origin)
    }

    /// Stock on hand (available to sell) of a product: the sum of its movements.
    public func stockOnHand(productID: Int64) throws -> Int64 {
        try read { db in
            _ = try Self.requireProduct(db, productID)
            return try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(SUM(quantity), 0) FROM inventory_movement WHERE product_id = ?"), arguments: [productID]) ?? 0
        }
    }

    /// Stock on hand of every product (products without movements have 0).
    public func stockLevels() throws -> [Int64: Int64] {
        try read { db in
            var levels: [Int64: Int64] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT p.id AS id, COALESCE(SUM(m.quantity), 0) AS stock FROM product p
                LEFT JOIN inventory_movement m ON m.product_id = p.id GROUP BY p.id
                """)) {
                levels[row["id"]] = row["stock"]
            }
            return levels
        }
    }

    /// Movements in the order they were recorded, optionally of one product.
    public func movements(productID: Int64? = nil) throws -> [InventoryMovement] {
        try read { db in
            if let productID { return try Self.fetchMovements(db, where: "product_id = ?", [productID]) }
            return try Self.fetchMovements(db, where: "1", [])
        }
    }

    /// The movement with `id`, or `nil`.
    public func movement(id: Int64) throws -> InventoryMovement? {
        try read { db in try Self.fetchMovements(db, where: "id = ?", [id]).first }
    }

    /// The in/out totals of a product's movements that are Oorden's own stock changes: purchases and
    /// adjustments made by users, and every movement of Oorden's own documents (sales orders without a
    /// store's external reference, their sales and credit notes).
    ///
    /// Left out are the sync engine's corrections and every movement of a store order's documents —
    /// even a cancel an Oorden user makes: the store restocks too when it hears of it, so counting both
    /// would count one event twice. Each movement finds its document by primary key (the id parsed
    /// out of its reference), not by scanning the document tables.
    public func userMovementTotals(productID: Int64) throws -> (incoming: Int64, outgoing: Int64) {
        try read { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                WITH own AS (
                    SELECT m.quantity FROM inventory_movement m
                    LEFT JOIN sales_order so ON so.id = CAST(substr(m.reference, 13) AS INTEGER) AND m.reference = 'sales_order:' || so.id
                    LEFT JOIN sale s ON s.id = CAST(substr(m.reference, 6) AS INTEGER) AND m.reference = 'sale:' || s.id
                    LEFT JOIN sales_order sso ON s.order_id = sso.id
                    LEFT JOIN credit_note cn ON cn.id = CAST(substr(m.reference, 13) AS INTEGER) AND m.reference = 'credit_note:' || cn.id
                    LEFT JOIN sale cns ON cn.sale_id = cns.id
                    LEFT JOIN sales_order cnso ON cns.order_id = cnso.id
                    WHERE m.product_id = ? AND (
                        (m.kind IN ('purchase', 'adjustment') AND m.origin = 'user')
                        OR (m.kind IN ('sales_order_reservation', 'reservation_release') AND so.id IS NOT NULL AND so.external_store IS NULL)
                        OR (m.kind = 'sale' AND sso.id IS NOT NULL AND sso.external_store IS NULL)
                        OR (m.kind = 'credit_note_return' AND cnso.id IS NOT NULL AND cnso.external_store IS NULL)
                    )
                )
                SELECT COALESCE(SUM(CASE WHEN quantity > 0 THEN quantity ELSE 0 END), 0),
                       COALESCE(SUM(CASE WHEN quantity < 0 THEN -quantity ELSE 0 END), 0)
                FROM own
                """), arguments: [productID])
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }

    func insertMovement(_ db: Database, productID: Int64, quantity: Int64, kind: MovementKind, reference: String?, time: Int64, origin: LedgerOrigin) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO inventory_movement (product_id, quantity, kind, reference, time, origin) VALUES (?, ?, ?, ?, ?, ?)").execute(
            arguments: [productID, quantity, kind.rawValue, reference, time, origin.rawValue])
        let id = db.lastInsertedRowID
        try appendChange(db, .inventoryMovement, id, .created, time: time, origin: origin)
        return id
    }

    static func fetchMovements(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [InventoryMovement] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM inventory_movement WHERE \(condition) ORDER BY id"), arguments: arguments).map {
            InventoryMovement(id: $0["id"], productID: $0["product_id"], quantity: $0["quantity"], kind: try $0.enumValue("kind", as: MovementKind.self),
                              reference: $0["reference"], time: $0["time"], origin: try $0.origin("origin"))
        }
    }
}
