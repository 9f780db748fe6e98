import OordenLedger
import SyncCore
import Testing

@Suite struct ProductAndInventoryTests {
    @Test func createFindUpdateArchive() throws {
        let f = try LedgerFixture()
        let p = try f.ledger.createProduct(ProductDraft(sku: " TAZA-1 ", name: "Taza", price: dec("120.50"), taxID: f.iva.id))
        #expect(p.sku == "TAZA-1")
        #expect(p.price == dec("120.5"))
        #expect(try f.ledger.product(sku: "TAZA-1") == p)
        #expect(try f.ledger.product(sku: "taza-1") == nil)
        let repriced = try f.ledger.updateProduct(p.id) { $0.price = dec("99.90") }
        #expect(repriced.price.formatted(scale: 2) == "99.90")
        let archived = try f.ledger.archiveProduct(p.id)
        #expect(!archived.active)
        #expect(try f.ledger.products(includeInactive: false).isEmpty)
        #expect(try f.ledger.products().map(\.id) == [p.id])
        #expect(try f.ledger.changes(after: 0, limit: 50).filter { $0.kind == .product }.map(\.action) == [.created, .updated, .archived])
    }

    @Test func productValidation() throws {
        let f = try LedgerFixture()
        let p = try f.ledger.createProduct(ProductDraft(sku: "A", name: "Uno", price: ExactDecimal(10)))
        let q = try f.ledger.createProduct(ProductDraft(sku: "B", name: "Dos", price: ExactDecimal(10), active: false))
        try expectRefused(f.ledger, .duplicateSKU) { try f.ledger.createProduct(ProductDraft(sku: "A ", name: "Otro", price: ExactDecimal(1))) }
        try expectRefused(f.ledger, .duplicateSKU) { try f.ledger.createProduct(ProductDraft(sku: "B", name: "Otro", price: ExactDecimal(1))) }
        try expectRefused(f.ledger, .duplicateSKU) { try f.ledger.updateProduct(q.id) { $0.sku = "A" } }
        try expectRefused(f.ledger, .unknownTax) { try f.ledger.createProduct(ProductDraft(sku: "C", name: "Tres", price: ExactDecimal(1), taxID: 42)) }
        try expectRefused(f.ledger, .unknownTax) { try f.ledger.updateProduct(p.id) { $0.taxID = 42 } }
        try expectRefused(f.ledger, .invalidValue) { try f.ledger.createProduct(ProductDraft(sku: "C", name: "Tres", price: dec("-0.01"))) }
        try expectRefused(f.ledger, .missingField) { try f.ledger.createProduct(ProductDraft(sku: " ", name: "Tres", price: ExactDecimal(1))) }
        try expectRefused(f.ledger, .missingField) { try f.ledger.createProduct(ProductDraft(sku: "C", name: "", price: ExactDecimal(1))) }
        try expectRefused(f.ledger, .unknownProduct) { try f.ledger.archiveProduct(77) }
        try expectRefused(f.ledger, .invalidValue) { try f.ledger.createProduct(ProductDraft(sku: "C", name: "Tres", price: dec("1e13"))) }
        try expectRefused(f.ledger, .invalidValue) { try f.ledger.recordMovement(productID: p.id, quantity: Int64.max, kind: .purchase) }
        #expect(try f.ledger.product(id: q.id)?.sku == "B")
        // Turning taxable off clears the default tax instead of refusing the update.
        let taxed = try f.ledger.createProduct(ProductDraft(sku: "T", name: "Con IVA", price: ExactDecimal(1), taxID: f.iva.id))
        let untaxed = try f.ledger.updateProduct(taxed.id) { $0.taxable = false }
        #expect(untaxed.taxID == nil)
        #expect(!untaxed.taxable)
    }

    @Test func movementsValidation() throws {
        let f = try LedgerFixture()
        let p = try f.ledger.createProduct(ProductDraft(sku: "A", name: "Uno", price: ExactDecimal(10)))
        try expectRefused(f.ledger, .negativeQuantity) { try f.ledger.recordMovement(productID: p.id, quantity: -3, kind: .purchase) }
        try expectRefused(f.ledger, .negativeQuantity) { try f.ledger.recordMovement(productID: p.id, quantity: 0, kind: .purchase) }
        try expectRefused(f.ledger, .invalidValue) { try f.ledger.recordMovement(productID: p.id, quantity: 0, kind: .adjustment) }
        for kind in [MovementKind.sale, .salesOrderReservation, .reservationRelease, .creditNoteReturn] {
            try expectRefused(f.ledger, .invalidValue) { try f.ledger.recordMovement(productID: p.id, quantity: 1, kind: kind) }
        }
        try expectRefused(f.ledger, .unknownProduct) { try f.ledger.recordMovement(productID: 9, quantity: 1, kind: .purchase) }
        #expect(try f.ledger.stockOnHand(productID: p.id) == 0)
    }

    @Test func stockIsTheSumOfMovements() throws {
        let f = try LedgerFixture()
        let a = try f.ledger.createProduct(ProductDraft(sku: "A", name: "Uno", price: ExactDecimal(10)))
        let b = try f.ledger.createProduct(ProductDraft(sku: "B", name: "Dos", price: ExactDecimal(10)))
        let idle = try f.ledger.createProduct(ProductDraft(sku: "C", name: "Tres", price: ExactDecimal(10)))
        var rng = SeededRandom(seed: 7)
        var expected: [Int64: Int64] = [a.id: 0, b.id: 0, idle.id: 0]
        for step in 0..<60 {
            let product = Bool.random(using: &rng) ? a.id : b.id
            let purchase = Int.random(in: 0..<3, using: &rng) == 0
            var quantity = Int64.random(in: 1...20, using: &rng)
            if !purchase && Bool.random(using: &rng) { quantity = -quantity }
            f.clock.advance(by: 10)
            let m = try f.ledger.recordMovement(productID: product, quantity: quantity, kind: purchase ? .purchase : .adjustment,
                                                reference: "paso \(step)")
            #expect(m.time == f.clock.nowMilliseconds())
            expected[product, default: 0] += quantity
        }
        for id in [a.id, b.id, idle.id] {
            let sum = try f.ledger.movements(productID: id).reduce(Int64(0)) { $0 + $1.quantity }
            #expect(try f.ledger.stockOnHand(productID: id) == sum)
            #expect(sum == expected[id])
        }
        #expect(try f.ledger.stockLevels() == expected)
        #expect(try f.ledger.movements().count == 60)
        try expectRefused(f.ledger, .unknownProduct) { _ = try f.ledger.stockOnHand(productID: 999) }
    }
}
