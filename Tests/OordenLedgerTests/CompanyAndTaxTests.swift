import OordenLedger
import SyncCore
import Testing

@Suite struct CompanyAndTaxTests {
    @Test func companyIsCreatedOnceThenRenamed() throws {
        let clock = ManualClock(milliseconds: 1_000)
        let ledger = try OordenLedger(inMemoryWith: clock)
        #expect(try ledger.company() == nil)
        let created = try ledger.setCompany(name: " Mi Empresa ", currency: "mxn")
        #expect(created.name == "Mi Empresa")
        #expect(created.currency == "MXN")
        #expect(created.createdAt == 1_000)
        clock.advance(by: 500)
        let renamed = try ledger.setCompany(name: "Otra", currency: "MXN")
        #expect(renamed.name == "Otra")
        #expect(renamed.createdAt == 1_000)
        #expect(renamed.updatedAt == 1_500)
        #expect(try ledger.changes(after: 0, limit: 10).map(\.action) == [.created, .updated])
    }

    @Test func badCurrencyAndNameAreRefused() throws {
        let ledger = try OordenLedger(inMemoryWith: ManualClock(milliseconds: 0))
        try expectRefused(ledger, .invalidValue) { try ledger.setCompany(name: "X", currency: "PESOS") }
        try expectRefused(ledger, .invalidValue) { try ledger.setCompany(name: "X", currency: "M1N") }
        try expectRefused(ledger, .missingField) { try ledger.setCompany(name: "  ", currency: "MXN") }
        #expect(try ledger.company() == nil)
    }

    @Test func currencyIsLockedOnceOrdersExist() throws {
        let f = try LedgerFixture()
        try f.ledger.setCompany(name: "Mi Empresa", currency: "USD")
        try f.ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        try f.ledger.createSalesOrder(SalesOrderDraft(currency: "MXN", lines: [SalesOrderLineDraft(productID: nil, description: "Servicio", quantity: 1, unitPrice: ExactDecimal(10))]))
        try expectRefused(f.ledger, .currencyLocked) { try f.ledger.setCompany(name: "Mi Empresa", currency: "USD") }
        #expect(try f.ledger.company()?.currency == "MXN")
    }

    @Test func taxesCompareExactly() throws {
        let f = try LedgerFixture()
        let reduced = try f.ledger.createTax(TaxDraft(name: "IVA frontera", percentage: dec("8.00")))
        #expect(reduced.percentage == ExactDecimal(8))
        let shopifyRate = dec("0.16") * 100
        #expect(try f.ledger.taxes(withPercentage: shopifyRate).map(\.id) == [f.iva.id])
        #expect(try f.ledger.taxes(withPercentage: dec("16.0000")).map(\.id) == [f.iva.id])
        #expect(try f.ledger.taxes(withPercentage: dec("16.01")).isEmpty)
        #expect(try f.ledger.taxes().map(\.name) == ["IVA", "IVA frontera"])
        #expect(try f.ledger.tax(id: reduced.id) == reduced)
    }

    @Test func taxValidation() throws {
        let f = try LedgerFixture()
        try expectRefused(f.ledger, .duplicateTax) { try f.ledger.createTax(TaxDraft(name: "IVA", percentage: dec("16.000"))) }
        try expectRefused(f.ledger, .invalidValue) { try f.ledger.createTax(TaxDraft(name: "Raro", percentage: dec("-1"))) }
        try expectRefused(f.ledger, .invalidValue) { try f.ledger.createTax(TaxDraft(name: "Raro", percentage: dec("100.5"))) }
        try expectRefused(f.ledger, .missingField) { try f.ledger.createTax(TaxDraft(name: " ", percentage: ExactDecimal(5))) }
        try expectRefused(f.ledger, .invalidValue) { try f.ledger.createTax(TaxDraft(name: "Fino", percentage: dec("16.00001"))) }
        #expect(try f.ledger.createTax(TaxDraft(name: "Fino", percentage: dec("10.5"))).percentage == dec("10.50"))
        // Same name, other rate is a different tax.
        let zero = try f.ledger.createTax(TaxDraft(name: "IVA", percentage: ExactDecimal(0)))
        #expect(zero.percentage.isZero)
    }
}
