import Foundation
import OordenLedger
import SyncCore
import Testing

@Suite struct PersistenceTests {
    @Test func reopeningFromDiskKeepsEverything() throws {
        let file = TemporaryLedgerFile()
        defer { file.cleanup() }
        let clock = ManualClock(milliseconds: 1_796_000_000_000)
        let orderID: Int64
        let productID: Int64
        let before: [String: Int]
        do {
            let ledger = try OordenLedger(path: file.path, clock: clock)
            try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
            let iva = try ledger.createTax(TaxDraft(name: "IVA", percentage: ExactDecimal(16)))
            let p = try ledger.createProduct(ProductDraft(sku: "A", name: "Taza", price: dec("19.99"), taxID: iva.id))
            productID = p.id
            try ledger.recordMovement(productID: p.id, quantity: 4, kind: .purchase)
            try ledger.createContact(ContactDraft(firstName: "Ana", lastName: "López", email: "ana@example.mx", address: ["zip": "64000"]))
            orderID = try ledger.createSalesOrder(SalesOrderDraft(
                currency: "MXN", lines: [SalesOrderLineDraft(productID: p.id, quantity: 3, unitPrice: dec("19.99"), taxID: iva.id)],
                externalReference: ExternalReference(store: "woocommerce:tienda", remoteID: "77"))).id
            before = try ledger.rowCounts()
        }
        let reopened = try OordenLedger(path: file.path, clock: clock)
        #expect(try reopened.rowCounts() == before)
        #expect(try reopened.company()?.currency == "MXN")
        #expect(try reopened.product(sku: "A")?.price == dec("19.99"))
        #expect(try reopened.stockOnHand(productID: productID) == 1)
        #expect(try reopened.contact(email: "ANA@example.mx")?.address?["zip"]?.string == "64000")
        let order = try #require(try reopened.salesOrder(externalReference: ExternalReference(store: "woocommerce:tienda", remoteID: "77")))
        #expect(order.id == orderID)
        #expect(order.total == dec("69.57"))
        #expect(try reopened.changes(after: 0, limit: 100).count == before["change_feed"])
        // Uniqueness still holds after reopening.
        try expectRefused(reopened, .duplicateSKU) { try reopened.createProduct(ProductDraft(sku: "A", name: "Otra", price: .zero)) }
    }

    @Test func aFileThatIsNotALedgerIsRefused() throws {
        let file = TemporaryLedgerFile()
        defer { file.cleanup() }
        try Data("not a database, just text".utf8).write(to: URL(fileURLWithPath: file.path))
        #expect(throws: LedgerError.self) { try OordenLedger(path: file.path, clock: ManualClock(milliseconds: 0)) }
    }
}
