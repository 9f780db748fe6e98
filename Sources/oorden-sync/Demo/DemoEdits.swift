import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncEngine

/// Edits made on every side between the two syncs, as a merchant and Oorden users would make them.
///
/// Each demo round in the same directory edits other records: round N edits the (2N-1)th and 2Nth
/// synced contacts, creates a new Oorden contact, fixes the Nth held shopper and reprices the Nth
/// simple WooCommerce product.
struct DemoEdits {
    /// What was done, for people.
    var lines: [String] = []
    /// This round, from 1; read from the ledger (one created contact per earlier round).
    var round = 1
    /// Contact edited on two sides, in different fields.
    var bothSides = ""
    /// Contact whose phone was edited on two sides; Oorden's edit is the later one.
    var conflict = ""
    var oordenPhone = ""
    var storeLastName = ""
    var conflictPhone = ""
    /// A contact created in Oorden.
    var created = ""
    /// A held customer fixed in the store, if one was left to fix.
    var fixed: String?
    /// A product repriced in WooCommerce.
    var repricedSKU = ""
    var newPrice = ExactDecimal.zero

    static let createdPrefix = "renata.villasenor"

    /// A phone number for this round: Shopify refuses a phone another customer already has, so each
    /// round's numbers end in the round (`+5244212345` → `+524421234502` in round 2).
    func phone(_ prefix: String) -> String {
        prefix + String(format: "%02d", round % 100)
    }

    /// The e-mail of the contact created in Oorden in round `round`.
    static func createdEmail(round: Int) -> String {
        round == 1 ? "\(createdPrefix)@ejemplo.mx" : "\(createdPrefix)\(round)@ejemplo.mx"
    }

    /// The round about to run: one more than the contacts earlier rounds created in Oorden.
    static func nextRound(ledger: OordenLedger) throws -> Int {
        try ledger.contacts().filter { $0.email?.lowercased().hasPrefix(createdPrefix) == true }.count + 1
    }

    static func make(stores: DemoStores, ledger: OordenLedger, engine: SyncEngine) async throws -> DemoEdits {
        var e = DemoEdits()
        e.round = try nextRound(ledger: ledger)
        e.created = createdEmail(round: e.round)
        let synced = try ledger.contacts().filter { !$0.archived && $0.email != nil }
        let shopCustomers = stores.shopify.customers()
        func shopifyCustomer(_ email: String) -> JSONValue? {
            shopCustomers.first { $0["email"]?.string?.lowercased() == email.lowercased() }
        }
        let candidates = synced
            .filter { !$0.email!.lowercased().hasPrefix(createdPrefix) }
            .compactMap { c -> (Contact, Int)? in shopifyCustomer(c.email!)?["id"]?.int.map { (c, $0) } }
            .sorted { $0.0.email!.lowercased() < $1.0.email!.lowercased() }
        guard candidates.count >= 2 else { throw DemoError("the import left fewer than two contacts to edit; run with more --customers") }
        let first = (2 * (e.round - 1)) % candidates.count
        let (a, aID) = candidates[first]
        let (b, bID) = candidates[(first + 1) % candidates.count]
        e.bothSides = a.email!
        e.conflict = b.email!

        // 1. The merchant edits in Shopify.
        e.storeLastName = a.lastName + " Ortega"
        _ = try stores.shopify.updateCustomer(id: aID, ["last_name": .string(e.storeLastName)])
        let storePhone = e.phone("+5255111122")
        _ = try stores.shopify.updateCustomer(id: bID, ["phone": .string(storePhone)])
        e.lines.append("Shopify   \(a.email!): last name → \"\(e.storeLastName)\"")
        e.lines.append("Shopify   \(b.email!): phone → \(storePhone)")
        if e.round <= DemoStores.nameless.count {
            let email = DemoStores.nameless[e.round - 1].1
            if let held = shopifyCustomer(email), (held["last_name"]?.string ?? "").isEmpty, let id = held["id"]?.int {
                _ = try stores.shopify.updateCustomer(id: id, ["last_name": "Hernández"])
                e.fixed = email
                e.lines.append("Shopify   \(email): last name added (the customer was held without one)")
            }
        }

        // 2. A moment later, Oorden users edit: a different field of A, the same field of B.
        try await Task.sleep(for: .milliseconds(1_100))
        e.oordenPhone = e.phone("+5244212345")
        e.conflictPhone = e.phone("+5244298765")
        _ = try ledger.updateContact(a.id) { $0.phone = e.oordenPhone }
        _ = try ledger.updateContact(b.id) { $0.phone = e.conflictPhone }
        _ = try ledger.createContact(ContactDraft(firstName: "Renata", lastName: "Villaseñor", email: e.created, phone: e.phone("+5233123456")))
        e.lines.append("Oorden    \(a.email!): phone → \(e.oordenPhone)")
        e.lines.append("Oorden    \(b.email!): phone → \(e.conflictPhone) (after Shopify's edit of the same field)")
        e.lines.append("Oorden    new contact \(e.created)")

        // 3. The WooCommerce merchant reprices a simple product.
        let simple = stores.woo.products().filter { $0["type"]?.string == "simple" && $0["status"]?.string != "trash" && !($0["sku"]?.string ?? "").isEmpty }
        if !simple.isEmpty {
            let product = simple[(e.round - 1) % simple.count]
            if let id = product["id"]?.int, let sku = product["sku"]?.string, let price = product["regular_price"]?.decimal {
                e.repricedSKU = sku
                e.newPrice = price + ExactDecimal(10)
                try stores.woo.editProduct(id, ["regular_price": .string(e.newPrice.formatted(scale: 2))])
                e.lines.append("WooCommerce \(sku): price \(Money.text(price)) → \(Money.text(e.newPrice))")
            }
        }
        return e
    }
}
