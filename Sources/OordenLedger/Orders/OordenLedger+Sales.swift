import SyncCore
import GRDB

extension OordenLedger {
    /// Registers and applies the sale (*Venta*) of an open order: the order becomes invoiced and
    /// its reservations turn into sale movements (stock on hand is unchanged by this step).
    @discardableResult
    public func registerSale(orderID: Int64, date: Int64? = nil, origin: LedgerOrigin = .user) throws -> Sale {
        let id = try write { db, now in
            let order = try Self.requireOrder(db, orderID)
            switch order.status {
            case .open: break
            case .invoiced:
                throw LedgerError(.orderNotOpen, "sales order \(order.number) already has its sale; a sale is applied once per order")
            case .cancelled:
                throw LedgerError(.orderNotOpen, "sales order \(order.number) is cancelled; a cancelled order cannot be invoiced")
            }
            let number = try nextNumber(db, table: "sale", prefix: "VTA")
            try db.cachedStatement(sql: """
                    INSERT INTO sale (number, order_id, contact_id, date, currency, subtotal, tax_total, total, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(
                        arguments: [number, order.id, order.contactID, date ?? now, order.currency, (order.subtotal + order.shippingNet).description,
                            order.taxTotal.description, order.total.description, now])
            let id = db.lastInsertedRowID
            try db.cachedStatement(sql: "UPDATE sales_order SET status = 'invoiced', updated_at = ? WHERE id = ?").execute(arguments: [now, order.id])
            try appendChange(db, .sale, id, .created, time: now, origin: origin)
            try appendChange(db, .salesOrder, order.id, .invoiced, time: now, origin: origin)
            try releaseReservations(db, order, time: now, origin: origin)
            for (productID, quantity) in Self.productQuantities(order.lines.map { ($0.productID, $0.quantity) }) {
                _ = try insertMovement(db, productID: productID, quantity: -quantity, kind: .sale, reference: "sale:\(id)", time: now, origin: origin)
            }
            return id
        }
        return try sale(id: id)!
    }

    /// Issues a credit note against a sale; with `restock`, its lines go back into stock.
    @discardableResult
    public func createCreditNote(_ draft: CreditNoteDraft, origin: LedgerOrigin = .user) throws -> CreditNote {
        try LedgerLimits.checkAmount(draft.amount, "credit note amount")
        guard draft.amount > .zero, draft.amount.scale <= SalesOrderTotals.moneyScale else {
            throw LedgerError(.invalidValue, "credit note amount \(Money.text(draft.amount)) must be a positive amount in cents")
        }
        for (index, line) in draft.lines.enumerated() {
            try LedgerLimits.checkQuantity(line.quantity, "credit note line \(index + 1) quantity")
            guard line.quantity <= 0 else { continue }
            throw LedgerError(.negativeQuantity, "credit note line \(index + 1) has quantity \(line.quantity); a returned quantity is 1 or more")
        }
        if draft.restock && draft.lines.isEmpty {
            throw LedgerError(.missingField, "restock needs lines saying which products and quantities come back; add lines or set restock to false")
        }
        let id = try write { db, now in
            guard let sale = try Self.fetchSales(db, where: "id = ?", [draft.saleID]).first else {
                throw LedgerError(.unknownSale, "sale \(draft.saleID) does not exist; check the id with `ledger list sales`")
            }
            let credited = try Self.fetchCreditNotes(db, where: "sale_id = ?", [sale.id]).reduce(ExactDecimal.zero) { $0 + $1.amount }
            guard credited + draft.amount <= sale.total else {
                throw LedgerError(.creditExceedsSale, "sale \(sale.number) totals \(Money.text(sale.total)) and \(Money.text(credited)) is already credited; at most \(Money.text(sale.total - credited)) can still be credited")
            }
            let order = try Self.requireOrder(db, sale.orderID)
            let sold = Dictionary(Self.productQuantities(order.lines.map { ($0.productID, $0.quantity) }), uniquingKeysWith: +)
            var returned: [Int64: Int64] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT l.product_id AS product_id, SUM(l.quantity) AS quantity FROM credit_note_line l
                JOIN credit_note c ON c.id = l.credit_note_id WHERE c.sale_id = ? GROUP BY l.product_id
                """), arguments: [sale.id]) {
                returned[row["product_id"]] = row["quantity"]
            }
            for (productID, quantity) in Self.productQuantities(draft.lines.map { ($0.productID, $0.quantity) }) {
                let available = (sold[productID] ?? 0) - (returned[productID] ?? 0)
                guard quantity <= available else {
                    throw LedgerError(.returnExceedsSold, "sale \(sale.number) leaves \(available) unit(s) of product \(productID) to credit, not \(quantity); lower the quantity")
                }
            }
            let number = try nextNumber(db, table: "credit_note", prefix: "NC")
            let reason = draft.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            try db.cachedStatement(sql: "INSERT INTO credit_note (number, sale_id, date, amount, restock, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)").execute(
                arguments: [number, sale.id, draft.date ?? now, draft.amount.description, draft.restock, reason?.isEmpty == true ? nil : reason, now])
            let id = db.lastInsertedRowID
            for (index, line) in draft.lines.enumerated() {
                try db.cachedStatement(sql: "INSERT INTO credit_note_line (credit_note_id, position, product_id, quantity) VALUES (?, ?, ?, ?)").execute(
                    arguments: [id, index + 1, line.productID, line.quantity])
            }
            try appendChange(db, .creditNote, id, .created, time: now, origin: origin)
            if draft.restock {
                for (productID, quantity) in Self.productQuantities(draft.lines.map { ($0.productID, $0.quantity) }) {
                    _ = try insertMovement(db, productID: productID, quantity: quantity, kind: .creditNoteReturn,
                                           reference: "credit_note:\(id)", time: now, origin: origin)
                }
            }
            return id
        }
        return try read { db in try Self.fetchCreditNotes(db, where: "id = ?", [id]).first! }
    }

    /// The sale with `id`, or `nil`.
    public func sale(id: Int64) throws -> Sale? {
        try read { db in try Self.fetchSales(db, where: "id = ?", [id]).first }
    }

    /// All sales by id.
    public func sales() throws -> [Sale] {
        try read { db in try Self.fetchSales(db, where: "1", []) }
    }

    /// All credit notes by id, optionally of one sale.
    public func creditNotes(saleID: Int64? = nil) throws -> [CreditNote] {
        try read { db in
            if let saleID { return try Self.fetchCreditNotes(db, where: "sale_id = ?", [saleID]) }
            return try Self.fetchCreditNotes(db, where: "1", [])
        }
    }

    static func fetchSales(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Sale] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM sale WHERE \(condition) ORDER BY id"), arguments: arguments).map {
            Sale(id: $0["id"], number: $0["number"], orderID: $0["order_id"], contactID: $0["contact_id"], date: $0["date"], currency: $0["currency"],
                 subtotal: try $0.decimal("subtotal"), taxTotal: try $0.decimal("tax_total"), total: try $0.decimal("total"), createdAt: $0["created_at"])
        }
    }

    static func fetchCreditNotes(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [CreditNote] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM credit_note WHERE \(condition) ORDER BY id"), arguments: arguments).map { row in
            let id: Int64 = row["id"]
            let lines = try Row.fetchAll(db.cachedStatement(sql: "SELECT product_id, quantity FROM credit_note_line WHERE credit_note_id = ? ORDER BY position"), arguments: [id]).map {
                CreditNoteLine(productID: $0["product_id"], quantity: $0["quantity"])
            }
            return CreditNote(id: id, number: row["number"], saleID: row["sale_id"], date: row["date"], amount: try row.decimal("amount"),
                              restock: row["restock"], reason: row["reason"], lines: lines, createdAt: row["created_at"])
        }
    }
}
