import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncEngine

/// The demo's closing summary, read back from the ledger, the emulators and the engine.
struct DemoReport {
    let ledger: OordenLedger
    let engine: SyncEngine
    let stores: DemoStores
    let edits: DemoEdits

    func print() throws {
        let contacts = try ledger.contacts()
        let products = try ledger.products()
        Swift.print("What is where now")
        Swift.print("  Oorden          \(contacts.filter { !$0.archived }.count) contacts, \(products.count) products")
        Swift.print("  tienda-shopify  \(stores.shopify.customers().count) customers, \(Self.shopifySKUs(stores.shopify).count) SKUs")
        Swift.print("  tienda-woo      \(stores.woo.customers().count) customers, \(Self.wooSKUs(stores.woo).count) SKUs")
        Swift.print("  tienda-usa      not synced (currency USD ≠ MXN)")

        Swift.print("")
        Swift.print("The edits, on every side")
        let a = edits.bothSides, b = edits.conflict
        Swift.print("  \(a): last name \"\(try lastName(a))\", phone \(try phones(a))")
        Swift.print("  \(b): phone \(try phones(b))  (Oorden's later edit wins the same field)")
        Swift.print("  \(edits.created): in Shopify \(shopifyCustomer(edits.created) != nil ? "yes" : "no"), in WooCommerce \(wooCustomer(edits.created) != nil ? "yes" : "no")")
        Swift.print("  \(edits.fixed): in Oorden \(try ledger.contact(email: edits.fixed) != nil ? "yes" : "no") (released from held)")
        if !edits.repricedSKU.isEmpty {
            let oorden = try ledger.product(sku: edits.repricedSKU)?.price.formatted(scale: 2) ?? "—"
            let shop = stores.shopify.products().flatMap { $0["variants"]?.array ?? [] }.first { $0["sku"]?.string == edits.repricedSKU }?["price"]?.string ?? "—"
            Swift.print("  \(edits.repricedSKU): price in Oorden \(oorden), in Shopify \(shop)")
        }

        let held = try engine.heldRecords()
        Swift.print("")
        Swift.print("Held records (\(held.count)), with the reason; they sync as soon as they are fixed")
        for (code, group) in Dictionary(grouping: held, by: { $0.reason.code.rawValue }).sorted(by: { $0.key < $1.key }) {
            let example = group[0]
            Swift.print("  \(code) × \(group.count)   e.g. \(example.link) \(example.kind.rawValue) \(example.remoteID): \(example.reason.message)")
        }

        if let entity = try engine.entity(kind: .contact, naturalKey: a), let inspection = try engine.inspect(entity) {
            Swift.print("")
            Swift.print("Why \(a) looks like this (oorden-sync inspect contact --email \(a))")
            for line in inspection.table() { Swift.print("  \(line)") }
            Swift.print("  links: " + inspection.links.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }

    func lastName(_ email: String) throws -> String {
        try ledger.contact(email: email)?.lastName ?? "—"
    }

    func phones(_ email: String) throws -> String {
        let oorden = try ledger.contact(email: email)?.phone ?? "—"
        let shop = shopifyCustomer(email)?["phone"]?.string ?? "—"
        let woo = wooCustomer(email)?["billing"]?["phone"]?.string ?? "—"
        return "Oorden \(oorden), Shopify \(shop), WooCommerce \(woo)"
    }

    func shopifyCustomer(_ email: String) -> JSONValue? {
        stores.shopify.customers().first { $0["email"]?.string?.lowercased() == email.lowercased() }
    }

    func wooCustomer(_ email: String) -> JSONValue? {
        stores.woo.customers().first { $0["email"]?.string?.lowercased() == email.lowercased() }
    }

    static func shopifySKUs(_ shop: ShopifyEmulator) -> Set<String> {
        Set(shop.products().flatMap { $0["variants"]?.array ?? [] }.compactMap { $0["sku"]?.string }.filter { !$0.isEmpty })
    }

    static func wooSKUs(_ woo: WooCommerceEmulator) -> Set<String> {
        var out: Set<String> = []
        for p in woo.products() {
            if p["type"]?.string == "variable", let id = p["id"]?.int {
                for v in woo.variations(productID: id) { if let s = v["sku"]?.string, !s.isEmpty { out.insert(s) } }
            } else if let s = p["sku"]?.string, !s.isEmpty {
                out.insert(s)
            }
        }
        return out
    }
}
