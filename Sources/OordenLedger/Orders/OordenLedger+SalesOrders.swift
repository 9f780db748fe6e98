import SyncCore
import GRDB

extension OordenLedger {
    /// Creates an open sales order (*Pedido*) and reserves stock for its product lines.
    ///
    /// Refused when the currency is not the company's, a tax/product/contact does not exist, a
    /// quantity is not positive, the number or external reference is taken, or the computed total
    /// differs from ``SalesOrderDraft/expectedTotal``.
    @discardableResult
    public func createSalesOrder(_ draft: SalesOrderDraft, origin: LedgerOrigin = .user) throws -> SalesOrder {
        let id = try write { db, now in
            let mainCurrency = try requireCompany(db)
            let currency = try Company.normalizedCurrency(draft.currency)
            guard currency == mainCurrency else {
                throw LedgerError(.currencyMismatch, "the order is in \(currency) but the company's main currency is \(mainCurrency); orders must be in \(mainCurrency)")
            }
            if let contactID = draft.contactID { _ = try Self.requireContact(db, contactID) }
            var lines = draft.lines
            for index in lines.indices {
                guard let productID = lines[index].productID else {
                    if lines[index].description.trimmingCharacters(in: .whitespaces).isEmpty {
                        throw LedgerError(.missingField, "line \(index + 1) has neither a product nor a description; give one")
                    }
                    continue
                }
                let product = try Self.requireProduct(db, productID)
                if lines[index].description.trimmingCharacters(in: .whitespaces).isEmpty { lines[index].description = product.name }
            }
            let taxIDs = lines.compactMap(\.taxID) + (draft.shippingTaxID.map { [$0] } ?? [])
            let totals = try SalesOrderTotals(lines: lines, shipping: draft.shipping, shippingTaxID: draft.shippingTaxID,
                                              rates: try taxRates(db, taxIDs), pricesIncludeTax: draft.pricesIncludeTax, rounding: draft.rounding)
            if let expected = draft.expectedTotal { try LedgerLimits.checkAmount(expected, "expected total") }
            if let expected = draft.expectedTotal, expected != totals.total {
                throw LedgerError(.totalMismatch, "the order's lines, taxes, shipping and rounding add up to \(Money.text(totals.total)), not the expected \(Money.text(expected)); put the difference \(Money.text(expected - totals.total)) on the rounding line if it is rounding, otherwise fix the lines")
            }
            let number: String
            if let given = draft.number?.trimmingCharacters(in: .whitespacesAndNewlines), !given.isEmpty {
                if try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM sales_order WHERE number = ?"), arguments: [given]) != nil {
                    throw LedgerError(.duplicateNumber, "sales order number \(given) is taken; leave the number empty to get the next one")
                }
                number = given
            } else {
                number = try nextNumber(db, table: "sales_order", prefix: "PED")
            }
            if let ref = draft.externalReference {
                guard !ref.store.isEmpty, !ref.remoteID.isEmpty else {
                    throw LedgerError(.invalidValue, "an external reference needs both a store and a remote order id")
                }
                if let other = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM sales_order WHERE external_store = ? AND external_id = ?"), arguments: [ref.store, ref.remoteID]) {
                    throw LedgerError(.duplicateExternalReference, "sales order \(other) already holds order \(ref.remoteID) of \(ref.store); use it instead of creating another")
                }
            }
            if let address = draft.shippingAddress, !address.isNull, address.object == nil {
                throw LedgerError(.invalidValue, "shipping address must be a JSON object, not \(address.typeName)")
            }
            let note = draft.note?.trimmingCharacters(in: .whitespacesAndNewlines)
            try db.cachedStatement(sql: """
                    INSERT INTO sales_order (number, contact_id, date, status, currency, prices_include_tax, shipping, shipping_tax_id,
                    shipping_net, subtotal, tax_total, rounding, total, note, shipping_address, external_store, external_id, created_at, updated_at)
                    VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(
                        arguments: [number, draft.contactID, draft.date ?? now, currency, draft.pricesIncludeTax, draft.shipping.rounded(scale: SalesOrderTotals.moneyScale).description,
                            draft.shippingTaxID, totals.shippingNet.description, totals.subtotal.description, totals.taxTotal.description,
                            totals.rounding.description, totals.total.description, note?.isEmpty == true ? nil : note,
                            draft.shippingAddress.flatMap { $0.isNull ? nil : $0.jsonText },
                            draft.externalReference?.store, draft.externalReference?.remoteID, now, now])
            let id = db.lastInsertedRowID
            for (index, line) in lines.enumerated() {
                let amounts = totals.lines[index]
                try db.cachedStatement(sql: """
                        INSERT INTO sales_order_line (order_id, position, product_id, description, quantity, unit_price, discount, tax_id, net, tax_amount, line_total)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """).execute(
                            arguments: [id, index + 1, line.productID, line.description, line.quantity, line.unitPrice.description, line.discount.description,
                                line.taxID, amounts.net.description, amounts.taxAmount.description, amounts.lineTotal.description])
            }
            for tax in totals.taxes {
                try db.cachedStatement(sql: "INSERT INTO sales_order_tax (order_id, tax_id, base, amount) VALUES (?, ?, ?, ?)").execute(
                    arguments: [id, tax.taxID, tax.base.description, tax.amount.description])
            }
            try appendChange(db, .salesOrder, id, .created, time: now, origin: origin)
            for (productID, quantity) in Self.productQuantities(lines.map { ($0.productID, $0.quantity) }) {
                _ = try insertMovement(db, productID: productID, quantity: -quantity, kind: .salesOrderReservation,
                                       reference: "sales_order:\(id)", time: now, origin: origin)
            }
            return id
        }
        return try salesOrder(id: id)!
    }

    /// Changes an order's note, shipping address or fulfilled flag.
    ///
    /// Note and address may change in any status; a cancelled order cannot be marked fulfilled.
    @discardableResult
    public func updateSalesOrder(_ id: Int64, origin: LedgerOrigin = .user, edit: (inout SalesOrderEdit) throws -> Void) throws -> SalesOrder {
        try write { db, now in
            let order = try Self.requireOrder(db, id)
            var e = SalesOrderEdit(note: order.note, shippingAddress: order.shippingAddress, fulfilled: order.fulfilled)
            try edit(&e)
            let note = e.note?.trimmingCharacters(in: .whitespacesAndNewlines)
            e.note = note?.isEmpty == true ? nil : note
            if e.shippingAddress?.isNull == true { e.shippingAddress = nil }
            if let address = e.shippingAddress, address.object == nil {
                throw LedgerError(.invalidValue, "shipping address must be a JSON object, not \(address.typeName)")
            }
            if e.fulfilled && !order.fulfilled && order.status == .cancelled {
                throw LedgerError(.orderNotOpen, "sales order \(order.number) is cancelled and cannot be marked fulfilled")
            }
            guard e.note != order.note || e.shippingAddress != order.shippingAddress || e.fulfilled != order.fulfilled else { return }
            try db.cachedStatement(sql: "UPDATE sales_order SET note = ?, shipping_address = ?, fulfilled = ?, updated_at = ? WHERE id = ?").execute(
                arguments: [e.note, e.shippingAddress?.jsonText, e.fulfilled, now, id])
            try appendChange(db, .salesOrder, id, .updated, time: now, origin: origin)
        }
        return try salesOrder(id: id)!
    }

    /// Cancels an open order and releases its stock reservations.
    ///
    /// An invoiced order cannot be cancelled: issue a credit note against its sale instead.
    @discardableResult
    public func cancelSalesOrder(_ id: Int64, origin: LedgerOrigin = .user) throws -> SalesOrder {
        try write { db, now in
            let order = try Self.requireOrder(db, id)
            switch order.status {
            case .open: break
            case .invoiced:
                throw LedgerError(.orderInvoiced, "sales order \(order.number) is invoiced and cannot be cancelled; create a credit note against its sale instead")
            case .cancelled:
                throw LedgerError(.orderNotOpen, "sales order \(order.number) is already cancelled")
            }
            try db.cachedStatement(sql: "UPDATE sales_order SET status = 'cancelled', updated_at = ? WHERE id = ?").execute(arguments: [now, id])
            try appendChange(db, .salesOrder, id, .cancelled, time: now, origin: origin)
            try releaseReservations(db, order, time: now, origin: origin)
        }
        return try salesOrder(id: id)!
    }

    /// The order with `id`, or `nil`.
    public func salesOrder(id: Int64) throws -> SalesOrder? {
        try read { db in try Self.fetchOrders(db, where: "id = ?", [id]).first }
    }

    /// The order a person names by its number (`PED-000001`, any case) or, failing that, its id (`3`),
    /// as `ledger list orders` shows both. A number is tried first: a store's order number may be all digits.
    public func salesOrder(numberOrID text: String) throws -> SalesOrder {
        let given = text.trimmingCharacters(in: .whitespaces)
        let byNumber = try read { db in try Self.fetchOrders(db, where: "number = ? COLLATE NOCASE", [given]).first }
        if let byNumber { return byNumber }
        if let id = Int64(given), let byID = try salesOrder(id: id) { return byID }
        throw LedgerError(.unknownOrder, "no sales order has number or id \"\(given.prefix(40))\"; see the numbers and ids with `oorden-sync ledger list orders`")
    }

    /// The order created for a store's order, or `nil`.
    public func salesOrder(externalReference ref: ExternalReference) throws -> SalesOrder? {
        try read { db in try Self.fetchOrders(db, where: "external_store = ? AND external_id = ?", [ref.store, ref.remoteID]).first }
    }

    /// All sales orders by id, optionally of one status.
    public func salesOrders(status: SalesOrderStatus? = nil) throws -> [SalesOrder] {
        try read { db in
            if let status { return try Self.fetchOrders(db, where: "status = ?", [status.rawValue]) }
            return try Self.fetchOrders(db, where: "1", [])
        }
    }

    /// The order with its sale, credit notes and inventory movements.
    public func documents(ofOrder id: Int64) throws -> OrderDocuments {
        try read { db in
            let order = try Self.requireOrder(db, id)
            let sale = try Self.fetchSales(db, where: "order_id = ?", [id]).first
            let notes = try sale.map { try Self.fetchCreditNotes(db, where: "sale_id = ?", [$0.id]) } ?? []
            var references = ["sales_order:\(id)"]
            if let sale { references.append("sale:\(sale.id)") }
            references += notes.map { "credit_note:\($0.id)" }
            let placeholders = references.map { _ in "?" }.joined(separator: ", ")
            let movements = try Self.fetchMovements(db, where: "reference IN (\(placeholders))", StatementArguments(references))
            return OrderDocuments(order: order, sale: sale, creditNotes: notes, movements: movements)
        }
    }

    func releaseReservations(_ db: Database, _ order: SalesOrder, time: Int64, origin: LedgerOrigin) throws {
        let reserved = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT product_id, -SUM(quantity) AS held FROM inventory_movement
            WHERE reference = ? AND kind IN ('sales_order_reservation', 'reservation_release') GROUP BY product_id ORDER BY product_id
            """), arguments: ["sales_order:\(order.id)"])
        for row in reserved {
            let held: Int64 = row["held"]
            if held > 0 {
                _ = try insertMovement(db, productID: row["product_id"], quantity: held, kind: .reservationRelease,
                                       reference: "sales_order:\(order.id)", time: time, origin: origin)
            }
        }
    }

    /// Quantities summed per product, in product-id order.
    static func productQuantities(_ lines: [(Int64?, Int64)]) -> [(Int64, Int64)] {
        var sums: [Int64: Int64] = [:]
        for (productID, quantity) in lines { if let productID { sums[productID, default: 0] += quantity } }
        return sums.keys.sorted().map { ($0, sums[$0]!) }
    }

    static func requireOrder(_ db: Database, _ id: Int64) throws -> SalesOrder {
        guard let o = try fetchOrders(db, where: "id = ?", [id]).first else {
            throw LedgerError(.unknownOrder, "sales order \(id) does not exist; check the id with `ledger list orders`")
        }
        return o
    }

    static func fetchOrders(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [SalesOrder] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM sales_order WHERE \(condition) ORDER BY id"), arguments: arguments).map { row in
            let id: Int64 = row["id"]
            let lines = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM sales_order_line WHERE order_id = ? ORDER BY position"), arguments: [id]).map {
                SalesOrderLine(position: $0["position"], productID: $0["product_id"], description: $0["description"], quantity: $0["quantity"],
                               unitPrice: try $0.decimal("unit_price"), discount: try $0.decimal("discount"), taxID: $0["tax_id"],
                               net: try $0.decimal("net"), taxAmount: try $0.decimal("tax_amount"), lineTotal: try $0.decimal("line_total"))
            }
            let taxes = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM sales_order_tax WHERE order_id = ? ORDER BY tax_id"), arguments: [id]).map {
                TaxSummary(taxID: $0["tax_id"], base: try $0.decimal("base"), amount: try $0.decimal("amount"))
            }
            let store: String? = row["external_store"]
            let remote: String? = row["external_id"]
            return SalesOrder(
                id: id, number: row["number"], contactID: row["contact_id"], date: row["date"],
                status: try row.enumValue("status", as: SalesOrderStatus.self), fulfilled: row["fulfilled"], currency: row["currency"],
                pricesIncludeTax: row["prices_include_tax"], lines: lines, taxes: taxes, shipping: try row.decimal("shipping"),
                shippingTaxID: row["shipping_tax_id"], shippingNet: try row.decimal("shipping_net"), subtotal: try row.decimal("subtotal"),
                taxTotal: try row.decimal("tax_total"), rounding: try row.decimal("rounding"), total: try row.decimal("total"),
                note: row["note"], shippingAddress: try row.json("shipping_address"),
                externalReference: store.flatMap { s in remote.map { ExternalReference(store: s, remoteID: $0) } },
                createdAt: row["created_at"], updatedAt: row["updated_at"])
        }
    }
}
