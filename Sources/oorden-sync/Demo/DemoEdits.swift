import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncEngine

/// Edits made on every side between the two syncs, as a merchant and Oorden users would make them.
struct DemoEdits {
    /// What was done, for people.
    var lines: [String] = []
    /// Contact edited on two sides, in different fields.
    var bothSides = ""
    /// Contact whose phone was edited on two sides; Oorden's edit is the later one.
    var conflict = ""
    var oordenPhone = ""
    var storeLastName = ""
    var conflictPhone = ""
    /// A contact created in Oorden.
    var created = "renata.villasenor@ejemplo.mx"
    /// A held customer fixed in the store.
    var fixed = "lupita.sinapellido@ejemplo.mx"
    /// A product repriced in WooCommerce.
    var repricedSKU = ""
    var newPrice = ExactDecimal.zero

    static func make(stores: DemoStores, ledger: OordenLedger, engine: SyncEngine) async throws -> DemoEdits {
        var e = DemoEdits()
        let synced = try ledger.contacts().filter { !$0.archived && $0.email != nil }
        let shopCustomers = stores.shopify.customers()
        func shopifyID(_ email: String) -> Int? {
            shopCustomers.first { $0["email"]?.string?.lowercased() == email.lowercased() }?["id"]?.int
        }
        let candidates = synced.compactMap { c -> (Contact, Int)? in shopifyID(c.email!).map { (c, $0) } }
        guard candidates.count >= 2 else { throw DemoError("the import left fewer than two contacts to edit; run with more --customers") }
        let (a, aID) = candidates[0]
        let (b, bID) = candidates[1]
        e.bothSides = a.email!
        e.conflict = b.email!

        // 1. The merchant edits in Shopify.
        e.storeLastName = a.lastName + " Ortega"
        _ = try stores.shopify.updateCustomer(id: aID, ["last_name": .string(e.storeLastName)])
        _ = try stores.shopify.updateCustomer(id: bID, ["phone": "+525511112222"])
        e.lines.append("Shopify   \(a.email!): last name → \"\(e.storeLastName)\"")
        e.lines.append("Shopify   \(b.email!): phone → +525511112222")
        if let lupita = shopifyID(e.fixed) {
            _ = try stores.shopify.updateCustomer(id: lupita, ["last_name": "Hernández"])
            e.lines.append("Shopify   \(e.fixed): last name added (the customer was held without one)")
        }

        // 2. A moment later, Oorden users edit: a different field of A, the same field of B.
        try await Task.sleep(for: .milliseconds(1_100))
        e.oordenPhone = "+524421234567"
        e.conflictPhone = "+524429876543"
        _ = try ledger.updateContact(a.id) { $0.phone = e.oordenPhone }
        _ = try ledger.updateContact(b.id) { $0.phone = e.conflictPhone }
        _ = try ledger.createContact(ContactDraft(firstName: "Renata", lastName: "Villaseñor", email: e.created, phone: "+523312345678"))
        e.lines.append("Oorden    \(a.email!): phone → \(e.oordenPhone)")
        e.lines.append("Oorden    \(b.email!): phone → \(e.conflictPhone) (after Shopify's edit of the same field)")
        e.lines.append("Oorden    new contact \(e.created)")

        // 3. The WooCommerce merchant reprices a simple product.
        if let product = stores.woo.products().first(where: { $0["type"]?.string == "simple" && !($0["sku"]?.string ?? "").isEmpty }),
           let id = product["id"]?.int, let sku = product["sku"]?.string, let price = product["regular_price"]?.decimal {
            e.repricedSKU = sku
            e.newPrice = price + ExactDecimal(10)
            try stores.woo.editProduct(id, ["regular_price": .string(e.newPrice.formatted(scale: 2))])
            e.lines.append("WooCommerce \(sku): price \(price.formatted(scale: 2)) → \(e.newPrice.formatted(scale: 2))")
        }
        return e
    }
}
