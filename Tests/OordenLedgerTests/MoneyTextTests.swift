import OordenLedger
import SyncCore
import Testing

/// Money is two-decimal text wherever the ledger shows it: JSON, tables, error messages.
@Suite struct MoneyTextTests {
    @Test func moneyTextHasTheCurrencysTwoDecimals() {
        #expect(Money.text(ExactDecimal(16)) == "16.00")
        #expect(Money.text(dec("189.5")) == "189.50")
        #expect(Money.text(dec("-3")) == "-3.00")
        #expect(Money.text(.zero) == "0.00")
        #expect(Money.text(dec("0.125")) == "0.125", "a unit price with more decimals keeps them: it is what the ledger computes with")
    }

    @Test func ledgerJSONAndListingsPrintMoneyWithTwoDecimals() throws {
        let f = try LedgerFixture()
        let l = f.ledger
        let taza = try l.createProduct(ProductDraft(sku: "TAZA", name: "Taza", price: ExactDecimal(20), taxID: f.iva.id))
        try l.recordMovement(productID: taza.id, quantity: 5, kind: .purchase)
        let order = try l.createSalesOrder(SalesOrderDraft(
            currency: "MXN", lines: [SalesOrderLineDraft(productID: taza.id, quantity: 1, unitPrice: ExactDecimal(20), taxID: f.iva.id)],
            shipping: ExactDecimal(100), shippingTaxID: f.iva.id))
        let json = order.json
        #expect(json["lines"]?[0]?.jsonText
                == #"{"description":"Taza","discount":"0.00","line_total":"20.00","net":"20.00","position":1,"product_id":1,"quantity":1,"tax_amount":"3.20","tax_id":1,"unit_price":"20.00"}"#)
        #expect(json["taxes"]?.jsonText == #"[{"amount":"19.20","base":"120.00","tax_id":1}]"#)
        for (key, value) in [("shipping", "100.00"), ("shipping_net", "100.00"), ("subtotal", "20.00"), ("tax_total", "19.20"),
                             ("rounding", "0.00"), ("total", "139.20")] {
            #expect(json[key]?.string == value, "\(key)")
        }
        #expect(taza.json(stock: 5)["price"]?.string == "20.00")
        #expect(f.iva.json["percentage"]?.string == "16", "a percentage is a rate, not money")

        let sale = try l.registerSale(orderID: order.id)
        let note = try l.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: ExactDecimal(10)))
        #expect(note.json["amount"]?.string == "10.00")
        let sales = try LedgerListing(.sales, of: l)
        #expect(sales.json[0]?["total"]?.string == "139.20")
        #expect(sales.json[0]?["subtotal"]?.string == "120.00")
        #expect(sales.rows[0].suffix(2) == ["139.20", "10.00"])
        #expect(try LedgerListing(.orders, of: l).rows[0][6] == "139.20")
        #expect(try LedgerListing(.products, of: l).rows[0][3] == "20.00")

        // Error messages name amounts the same way.
        do {
            _ = try l.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: ExactDecimal(200)))
            Issue.record("crediting more than the sale must be refused")
        } catch let error as LedgerError {
            #expect(error.message == "sale \(sale.number) totals 139.20 and 10.00 is already credited; at most 129.20 can still be credited")
        }
    }
}
