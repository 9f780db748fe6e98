import OordenLedger
import SyncCore
import Testing

@Suite struct SalesFlowTests {
    /// IVA 16 %, products A (100.00) and B (35.50), 10 of each in stock.
    struct Shop {
        let f: LedgerFixture
        let a: Product
        let b: Product
        let contact: Contact

        init() throws {
            f = try LedgerFixture()
            a = try f.ledger.createProduct(ProductDraft(sku: "A", name: "Taza", price: dec("100.00"), taxID: f.iva.id))
            b = try f.ledger.createProduct(ProductDraft(sku: "B", name: "Plato", price: dec("35.50"), taxID: f.iva.id))
            contact = try f.ledger.createContact(ContactDraft(firstName: "Ana", lastName: "López", email: "ana@example.mx"))
            try f.ledger.recordMovement(productID: a.id, quantity: 10, kind: .purchase, reference: "FAC-1")
            try f.ledger.recordMovement(productID: b.id, quantity: 10, kind: .purchase, reference: "FAC-1")
        }

        func draft(rounding: ExactDecimal = .zero, expected: ExactDecimal? = nil, ref: String? = "1001") -> SalesOrderDraft {
            SalesOrderDraft(
                contactID: contact.id, currency: "MXN",
                lines: [
                    SalesOrderLineDraft(productID: a.id, quantity: 2, unitPrice: dec("100.00"), discount: dec("10"), taxID: f.iva.id),
                    SalesOrderLineDraft(productID: b.id, description: "Plato hondo", quantity: 3, unitPrice: dec("35.50"), taxID: f.iva.id),
                ],
                shipping: dec("99"), shippingTaxID: f.iva.id, rounding: rounding, expectedTotal: expected,
                note: "entregar en la tarde", shippingAddress: ["city": "Monterrey"],
                externalReference: ref.map { ExternalReference(store: "shopify:mi-tienda", remoteID: $0) })
        }
    }

    @Test func orderTotalsAreExact() throws {
        let s = try Shop()
        let order = try s.f.ledger.createSalesOrder(s.draft(expected: dec("458.78")))
        #expect(order.number == "PED-000001")
        #expect(order.status == .open)
        #expect(order.lines.map(\.lineTotal) == [dec("190.00"), dec("106.50")])
        #expect(order.lines.map(\.taxAmount) == [dec("30.40"), dec("17.04")])
        #expect(order.lines.map(\.description) == ["Taza", "Plato hondo"])
        #expect(order.subtotal == dec("296.50"))
        #expect(order.shippingNet == dec("99"))
        #expect(order.taxTotal == dec("63.28"))
        #expect(order.taxes == [TaxSummary(taxID: s.f.iva.id, base: dec("395.50"), amount: dec("63.28"))])
        #expect(order.total == dec("458.78"))
        #expect(order.shippingAddress?["city"]?.string == "Monterrey")
        // Reservations hold the ordered quantities.
        #expect(try s.f.ledger.stockOnHand(productID: s.a.id) == 8)
        #expect(try s.f.ledger.stockOnHand(productID: s.b.id) == 7)
        #expect(try s.f.ledger.salesOrder(externalReference: ExternalReference(store: "shopify:mi-tienda", remoteID: "1001")) == order)
    }

    @Test func pricesIncludingTaxAndRoundingLine() throws {
        let f = try LedgerFixture()
        let draft = SalesOrderDraft(
            currency: "MXN", pricesIncludeTax: true,
            lines: [
                SalesOrderLineDraft(productID: nil, description: "Caja", quantity: 3, unitPrice: dec("116.00"), taxID: f.iva.id),
                SalesOrderLineDraft(productID: nil, description: "Lápiz", quantity: 1, unitPrice: dec("99.99"), taxID: f.iva.id),
                SalesOrderLineDraft(productID: nil, description: "Exento", quantity: 1, unitPrice: dec("5"), taxID: nil),
            ],
            rounding: dec("0.01"), expectedTotal: dec("453.00"))
        let order = try f.ledger.createSalesOrder(draft)
        #expect(order.lines.map(\.net) == [dec("300.00"), dec("86.20"), dec("5")])
        #expect(order.lines.map(\.taxAmount) == [dec("48.00"), dec("13.79"), .zero])
        #expect(order.rounding == dec("0.01"))
        #expect(order.total == dec("453.00"))
        #expect(order.subtotal + order.shippingNet + order.taxTotal + order.rounding == order.total)
        // The same computation is available before creating the order.
        let preview = try SalesOrderTotals(lines: draft.lines, shipping: .zero, shippingTaxID: nil, rates: [f.iva.id: ExactDecimal(16)],
                                           pricesIncludeTax: true, rounding: .zero)
        #expect(preview.total == dec("452.99"))
    }

    @Test func orderValidationChangesNothing() throws {
        let s = try Shop()
        let l = s.f.ledger
        try expectRefused(l, .totalMismatch) { try l.createSalesOrder(s.draft(expected: dec("458.79"))) }
        try expectRefused(l, .invalidValue) { try l.createSalesOrder(s.draft(rounding: dec("1.50"))) }
        var usd = s.draft()
        usd.currency = "USD"
        try expectRefused(l, .currencyMismatch) { try l.createSalesOrder(usd) }
        var negative = s.draft()
        negative.lines[1].quantity = -1
        try expectRefused(l, .negativeQuantity) { try l.createSalesOrder(negative) }
        var unknownTax = s.draft()
        unknownTax.lines[0].taxID = 99
        try expectRefused(l, .unknownTax) { try l.createSalesOrder(unknownTax) }
        var unknownProduct = s.draft()
        unknownProduct.lines[0].productID = 99
        try expectRefused(l, .unknownProduct) { try l.createSalesOrder(unknownProduct) }
        var unknownContact = s.draft()
        unknownContact.contactID = 99
        try expectRefused(l, .unknownContact) { try l.createSalesOrder(unknownContact) }
        var bigDiscount = s.draft()
        bigDiscount.lines[0].discount = dec("200.01")
        try expectRefused(l, .invalidValue) { try l.createSalesOrder(bigDiscount) }
        var huge = s.draft()
        huge.lines[0].quantity = Int64.max
        try expectRefused(l, .invalidValue) { try l.createSalesOrder(huge) }
        var precise = s.draft()
        precise.lines[0].unitPrice = dec("1.0000001")
        try expectRefused(l, .invalidValue) { try l.createSalesOrder(precise) }
        var empty = s.draft()
        empty.lines = []
        try expectRefused(l, .missingField) { try l.createSalesOrder(empty) }
        try l.createSalesOrder(s.draft())
        try expectRefused(l, .duplicateExternalReference) { try l.createSalesOrder(s.draft()) }
        var sameNumber = s.draft(ref: "1002")
        sameNumber.number = "PED-000001"
        try expectRefused(l, .duplicateNumber) { try l.createSalesOrder(sameNumber) }
        let fresh = try OordenLedger(inMemoryWith: ManualClock(milliseconds: 0))
        try expectRefused(fresh, .companyNotSet) {
            try fresh.createSalesOrder(SalesOrderDraft(currency: "MXN", lines: [SalesOrderLineDraft(productID: nil, description: "x", quantity: 1, unitPrice: .zero)]))
        }
    }

    @Test func orderToSaleToCreditNote() throws {
        let s = try Shop()
        let l = s.f.ledger
        let order = try l.createSalesOrder(s.draft())
        s.f.clock.advance(by: 60_000)
        let sale = try l.registerSale(orderID: order.id, origin: .sync(replica: "shopify-main"))
        #expect(sale.number == "VTA-000001")
        #expect(sale.total == dec("458.78"))
        #expect(sale.subtotal == dec("395.50"))
        #expect(sale.taxTotal == dec("63.28"))
        #expect(sale.date == s.f.clock.nowMilliseconds())
        #expect(try l.salesOrder(id: order.id)?.status == .invoiced)
        // Applying the sale turns reservations into sale movements: stock is unchanged.
        #expect(try l.stockOnHand(productID: s.a.id) == 8)
        #expect(try l.stockOnHand(productID: s.b.id) == 7)
        try expectRefused(l, .orderNotOpen) { try l.registerSale(orderID: order.id) }
        try expectRefused(l, .orderInvoiced) { try l.cancelSalesOrder(order.id) }

        let note = try l.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: dec("116.00"), lines: [CreditNoteLine(productID: s.a.id, quantity: 1)],
                                                          restock: true, reason: "taza rota"))
        #expect(note.number == "NC-000001")
        #expect(try l.stockOnHand(productID: s.a.id) == 9)
        try expectRefused(l, .creditExceedsSale) { try l.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: dec("342.79"))) }
        try expectRefused(l, .returnExceedsSold) {
            try l.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: dec("1"), lines: [CreditNoteLine(productID: s.a.id, quantity: 2)], restock: true))
        }
        try expectRefused(l, .returnExceedsSold) {
            try l.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: dec("1"), lines: [CreditNoteLine(productID: 999, quantity: 1)]))
        }
        try expectRefused(l, .missingField) { try l.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: dec("1"), restock: true)) }
        try expectRefused(l, .invalidValue) { try l.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: .zero)) }
        try expectRefused(l, .unknownSale) { try l.createCreditNote(CreditNoteDraft(saleID: 42, amount: dec("1"))) }
        // The rest can be credited exactly, without restocking.
        let rest = try l.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: dec("342.78")))
        #expect(!rest.restock)
        #expect(try l.stockOnHand(productID: s.a.id) == 9)
        #expect(try l.creditNotes(saleID: sale.id).reduce(ExactDecimal.zero) { $0 + $1.amount } == sale.total)

        let docs = try l.documents(ofOrder: order.id)
        #expect(docs.sale == sale)
        #expect(docs.creditNotes.map(\.id) == [note.id, rest.id])
        #expect(docs.movements.map(\.kind) == [.salesOrderReservation, .salesOrderReservation, .reservationRelease, .reservationRelease,
                                               .sale, .sale, .creditNoteReturn])
        #expect(docs.movements.reduce(Int64(0)) { $0 + $1.quantity } == -4)
        #expect(try l.sales() == [sale])
        let listing = try LedgerListing(.sales, of: l)
        #expect(listing.rows == [[String(sale.id), "VTA-000001", ISO8601Time.format(sale.date, zulu: true), String(order.id), "MXN", "458.78", "458.78"]])
        #expect(listing.json[0]?["credit_notes"]?.array?.count == 2)
        let orders = try LedgerListing(.orders, of: l)
        #expect(orders.rows.first?[3] == "invoiced")
        #expect(orders.rows.first?[7] == "shopify:mi-tienda#1001")
        #expect(orders.json[0]?["lines"]?[0]?["line_total"]?.string == "190.00")
    }

    @Test func cancellingReleasesReservationsOnce() throws {
        let s = try Shop()
        let l = s.f.ledger
        let order = try l.createSalesOrder(s.draft())
        let cancelled = try l.cancelSalesOrder(order.id)
        #expect(cancelled.status == .cancelled)
        #expect(try l.stockOnHand(productID: s.a.id) == 10)
        #expect(try l.stockOnHand(productID: s.b.id) == 10)
        try expectRefused(l, .orderNotOpen) { try l.cancelSalesOrder(order.id) }
        try expectRefused(l, .orderNotOpen) { try l.registerSale(orderID: order.id) }
        try expectRefused(l, .unknownOrder) { try l.cancelSalesOrder(999) }
        try expectRefused(l, .unknownOrder) { _ = try l.documents(ofOrder: 999) }
        #expect(try l.documents(ofOrder: order.id).sale == nil)
        #expect(try l.sale(id: 1) == nil)
        #expect(try l.salesOrders(status: .cancelled).map(\.id) == [order.id])
        #expect(try l.salesOrders(status: .open).isEmpty)
    }

    @Test func noteAndShippingAddressEdits() throws {
        let s = try Shop()
        let l = s.f.ledger
        let order = try l.createSalesOrder(s.draft())
        let edited = try l.updateSalesOrder(order.id, origin: .user) { $0.note = "dejar con el portero"; $0.shippingAddress = ["city": "Saltillo"] }
        #expect(edited.note == "dejar con el portero")
        #expect(edited.shippingAddress?["city"]?.string == "Saltillo")
        #expect(edited.total == order.total)
        try expectRefused(l, .invalidValue) { try l.updateSalesOrder(order.id) { $0.shippingAddress = "Saltillo" } }
        #expect(!edited.fulfilled)
        let fulfilled = try l.updateSalesOrder(order.id) { $0.fulfilled = true }
        #expect(fulfilled.fulfilled)
        #expect(try l.changes(after: 0, limit: 100).filter { $0.kind == .salesOrder }.map(\.action) == [.created, .updated, .updated])
        let other = try l.createSalesOrder(s.draft(ref: "1002"))
        try l.cancelSalesOrder(other.id)
        try expectRefused(l, .orderNotOpen) { try l.updateSalesOrder(other.id) { $0.fulfilled = true } }
    }
}
