import OordenLedger
import SyncCore
import Testing

@Suite struct FieldsAndListingTests {
    @Test func parsesAssignmentsAndBuildsDrafts() throws {
        let product = try LedgerFieldAssignments(parsing: ["sku=TAZA-1", "name=Taza = grande", "price=120.50", "taxable=no", "tax=none"]).newProduct()
        #expect(product == ProductDraft(sku: "TAZA-1", name: "Taza = grande", price: dec("120.5"), taxable: false, taxID: nil))
        let contact = try LedgerFieldAssignments(parsing: ["first_name=Ana", "email=ana@example.mx", #"address={"city":"Monterrey"}"#]).newContact()
        #expect(contact.email == "ana@example.mx")
        #expect(contact.address?["city"]?.string == "Monterrey")
        let tax = try LedgerFieldAssignments(parsing: ["name=IVA", "percentage=16.00"]).newTax()
        #expect(tax == TaxDraft(name: "IVA", percentage: ExactDecimal(16)))
        var draft = ContactDraft(firstName: "Ana", phone: "123")
        try LedgerFieldAssignments(parsing: ["phone=", "note=vip"]).applyContact(to: &draft)
        #expect(draft.phone == nil)
        #expect(draft.note == "vip")
    }

    @Test func badAssignmentsNameTheFieldAndTheAcceptedOnes() throws {
        func code(_ body: () throws -> Void) -> (LedgerError.Code?, String) {
            do { try body(); return (nil, "") } catch let e as LedgerError { return (e.code, e.message) } catch { return (nil, "\(error)") }
        }
        let unknown = code { _ = try LedgerFieldAssignments(parsing: ["sku=A", "colour=red"]).newProduct() }
        #expect(unknown.0 == .unknownField)
        #expect(unknown.1.contains("colour"))
        #expect(unknown.1.contains("sku, name, price, taxable, active, tax"))
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["price"]) }.0 == .invalidValue)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["=3"]) }.0 == .invalidValue)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["sku=A", "SKU=B"]) }.0 == .invalidValue)
        let price = code { _ = try LedgerFieldAssignments(parsing: ["sku=A", "name=B", "price=12,50"]).newProduct() }
        #expect(price.0 == .invalidValue)
        #expect(price.1.contains("price"))
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["sku=A", "name=B", "price=1", "active=maybe"]).newProduct() }.0 == .invalidValue)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["sku=A", "name=B", "price=1", "tax=iva"]).newProduct() }.0 == .invalidValue)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["sku=A", "price=1"]).newProduct() }.0 == .missingField)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["name=IVA"]).newTax() }.0 == .missingField)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["address={bad"]).newContact() }.0 == .invalidValue)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["sku=A"]).newContact() }.0 == .unknownField)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["quantity=3"]).newMovement() }.0 == .missingField)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["product=1"]).newMovement() }.0 == .missingField)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["product=1", "quantity=2.5"]).newMovement() }.0 == .invalidValue)
        #expect(code { _ = try LedgerFieldAssignments(parsing: ["product=1", "quantity=2", "kind=sale"]).newMovement() }.0 == .invalidValue)
    }

    @Test func movementAssignmentsRecordStock() throws {
        let f = try LedgerFixture()
        let p = try f.ledger.createProduct(ProductDraft(sku: "A", name: "Taza", price: ExactDecimal(10)))
        let purchase = try LedgerFieldAssignments(parsing: ["product=\(p.id)", "quantity=12", "reference=FAC-9"]).newMovement()
        #expect(purchase == MovementDraft(productID: p.id, quantity: 12, kind: .purchase, reference: "FAC-9"))
        try f.ledger.recordMovement(purchase)
        try f.ledger.recordMovement(try LedgerFieldAssignments(parsing: ["product=\(p.id)", "quantity=-5", "kind=Adjustment"]).newMovement())
        #expect(try f.ledger.stockOnHand(productID: p.id) == 7)
        let negativePurchase = try LedgerFieldAssignments(parsing: ["product=\(p.id)", "quantity=-1"]).newMovement()
        try expectRefused(f.ledger, .negativeQuantity) { try f.ledger.recordMovement(negativePurchase) }
    }

    @Test func setThroughAssignmentsChangesNothingOnError() throws {
        let f = try LedgerFixture()
        let p = try f.ledger.createProduct(ProductDraft(sku: "A", name: "Taza", price: ExactDecimal(10)))
        let bad = try LedgerFieldAssignments(parsing: ["name=Nueva", "price=abc"])
        try expectRefused(f.ledger, .invalidValue) { try f.ledger.updateProduct(p.id) { try bad.applyProduct(to: &$0) } }
        #expect(try f.ledger.product(id: p.id) == p)
        let good = try LedgerFieldAssignments(parsing: ["name=Nueva", "price=12.5", "tax=\(f.iva.id)"])
        let updated = try f.ledger.updateProduct(p.id) { try good.applyProduct(to: &$0) }
        #expect(updated.name == "Nueva")
        #expect(updated.taxID == f.iva.id)
    }

    @Test func listingsRenderAlignedTablesAndJSON() throws {
        let f = try LedgerFixture()
        let p = try f.ledger.createProduct(ProductDraft(sku: "TAZA-GRANDE", name: "Taza", price: dec("120.5"), taxID: f.iva.id))
        try f.ledger.createProduct(ProductDraft(sku: "B", name: "Plato\nhondo", price: ExactDecimal(3)))
        try f.ledger.recordMovement(productID: p.id, quantity: 4, kind: .purchase)
        let listing = try LedgerListing(.products, of: f.ledger)
        let lines = listing.table().split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("ID  SKU          NAME"))
        #expect(lines[1].hasPrefix("1   TAZA-GRANDE  Taza"))
        #expect(lines[1].hasSuffix("yes      yes     4"))
        #expect(lines[2].contains("Plato hondo"))
        let json = listing.json
        #expect(json[0]?["price"]?.string == "120.50")
        #expect(lines[2].contains("  3.00  "), "the table shows money with two decimals too: \(lines[2])")
        #expect(json[0]?["stock"]?.int == 4)
        #expect(json[1]?["tax_id"] == .null)
        let taxes = try LedgerListing(.taxes, of: f.ledger)
        #expect(taxes.json.jsonText == #"[{"created_at":1796000000000,"id":1,"name":"IVA","percentage":"16"}]"#)
        let empty = try LedgerListing(.orders, of: f.ledger)
        #expect(empty.table().contains("(none)"))
        #expect(empty.json == .array([]))
        for kind in LedgerListKind.allCases { _ = try LedgerListing(kind, of: f.ledger).table() }
    }
}
