import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine

/// Everything the demo reports, read back from the ledger, the emulators and the engine.
///
/// The text summary and `demo --json` both print this value, so a test can compare the printed
/// numbers with what `ledger.sqlite` and the store snapshots contain.
struct DemoSummary: Sendable {
    /// One sync pass, per side.
    struct Pass: Sendable, Hashable {
        var stores: [String: SyncPassSummary.StoreCounts]
        var oordenCreates: Int
        var oordenLinks: Int
        var oordenUpdates: Int
        var heldRecords: Int

        init(_ s: SyncPassSummary) {
            stores = s.stores
            oordenCreates = s.oordenCreates
            oordenLinks = s.oordenLinks
            oordenUpdates = s.oordenUpdates
            heldRecords = s.heldRecords
        }

        /// Records created anywhere in this pass (Oorden and every store).
        var creates: Int { oordenCreates + stores.values.reduce(0) { $0 + $1.created } }

        /// Oorden order documents this pass created, summed over the stores.
        var salesOrders: Int { stores.values.reduce(0) { $0 + $1.salesOrders } }
        var sales: Int { stores.values.reduce(0) { $0 + $1.sales } }
        var cancellations: Int { stores.values.reduce(0) { $0 + $1.cancellations } }
        var creditNotes: Int { stores.values.reduce(0) { $0 + $1.creditNotes } }
    }

    /// What one store holds now.
    struct StoreState: Sendable, Hashable {
        var customers: Int
        var skus: Int
        var emails: [String]
        var skuList: [String]
        var synced: Bool
        /// Orders in the store, by status (see ``DemoOrders/storeStatuses(_:shopify:)``).
        var orderStatuses: [String: Int]
        var orders: Int { orderStatuses.values.reduce(0, +) }
    }

    /// One edited contact's final values on every side.
    struct ContactState: Sendable, Hashable {
        var email: String
        var lastName: String?
        var oordenPhone: String?
        var shopifyPhone: String?
        var wooPhone: String?
        var inShopify: Bool
        var inWoo: Bool
        var inOorden: Bool
    }

    var directory: String
    var resumed: Bool
    var round: Int
    var importPass: Pass
    var secondPass: Pass
    var oordenContacts: Int
    var oordenProducts: Int
    /// Oorden's sales orders, sales and credit notes, counted in the ledger.
    var oordenOrders: DemoOrders.LedgerCounts
    /// Store orders held instead of synced, with the reason.
    var heldOrders: [DemoOrders.Held]
    var stores: [String: StoreState]
    var held: [String: Int]
    var edits: DemoEdits
    var bothSides: ContactState
    var conflict: ContactState
    var created: ContactState
    var fixed: ContactState?
    var repricedOorden: String?
    var repricedShopify: String?

    static func collect(directory: URL, resumed: Bool, importPass: SyncPassSummary, secondPass: SyncPassSummary, edits: DemoEdits,
                        ledger: OordenLedger, engine: SyncEngine, stores: DemoStores, synced: Set<String>) throws -> DemoSummary {
        func state(_ email: String) throws -> ContactState {
            let contact = try ledger.contact(email: email)
            let shop = customer(stores.shopify.customers(), email)
            let woo = customer(stores.woo.customers(), email)
            return ContactState(email: email, lastName: contact?.lastName, oordenPhone: contact?.phone, shopifyPhone: shop?["phone"]?.string,
                                wooPhone: woo?["billing"]?["phone"]?.string, inShopify: shop != nil, inWoo: woo != nil, inOorden: contact != nil)
        }
        func storeState(_ name: String, customers: [JSONValue], skus: Set<String>, orders: [JSONValue], shopify: Bool) -> StoreState {
            StoreState(customers: customers.count, skus: skus.count, emails: customers.compactMap { $0["email"]?.string?.lowercased() }.sorted(),
                       skuList: skus.sorted(), synced: synced.contains(name), orderStatuses: DemoOrders.storeStatuses(orders, shopify: shopify))
        }
        var summary = DemoSummary(
            directory: directory.path, resumed: resumed, round: edits.round, importPass: Pass(importPass), secondPass: Pass(secondPass),
            oordenContacts: try ledger.contacts().filter { !$0.archived }.count, oordenProducts: try ledger.products().count,
            oordenOrders: try DemoOrders.LedgerCounts(ledger), heldOrders: try DemoOrders.held(engine),
            stores: [
                DemoStores.shopifyName: storeState(DemoStores.shopifyName, customers: stores.shopify.customers(), skus: shopifySKUs(stores.shopify),
                                                   orders: stores.shopify.orders(), shopify: true),
                DemoStores.wooName: storeState(DemoStores.wooName, customers: stores.woo.customers(), skus: wooSKUs(stores.woo),
                                               orders: stores.woo.orders(), shopify: false),
                DemoStores.usaName: storeState(DemoStores.usaName, customers: stores.usa.customers(), skus: shopifySKUs(stores.usa),
                                               orders: stores.usa.orders(), shopify: true),
            ],
            held: Dictionary(grouping: try engine.heldRecords(), by: { $0.reason.code.rawValue }).mapValues(\.count),
            edits: edits, bothSides: try state(edits.bothSides), conflict: try state(edits.conflict), created: try state(edits.created),
            fixed: try edits.fixed.map(state))
        if !edits.repricedSKU.isEmpty {
            summary.repricedOorden = try ledger.product(sku: edits.repricedSKU).map { Money.text($0.price) }
            summary.repricedShopify = stores.shopify.products().flatMap { $0["variants"]?.array ?? [] }
                .first { $0["sku"]?.string == edits.repricedSKU }?["price"]?.string
        }
        return summary
    }

    static func customer(_ customers: [JSONValue], _ email: String) -> JSONValue? {
        customers.first { $0["email"]?.string?.lowercased() == email.lowercased() }
    }

    static func shopifySKUs(_ shop: ShopifyEmulator) -> Set<String> {
        Set(shop.products().flatMap { $0["variants"]?.array ?? [] }.compactMap { $0["sku"]?.string }.filter { !$0.isEmpty })
    }

    static func wooSKUs(_ woo: WooCommerceEmulator) -> Set<String> {
        var out: Set<String> = []
        for p in woo.products() where p["status"]?.string != "trash" {
            if p["type"]?.string == "variable", let id = p["id"]?.int {
                for v in woo.variations(productID: id) { if let s = v["sku"]?.string, !s.isEmpty { out.insert(s) } }
            } else if let s = p["sku"]?.string, !s.isEmpty {
                out.insert(s)
            }
        }
        return out
    }

    // MARK: JSON

    /// The summary as `demo --json` prints it (canonical JSON, sorted keys).
    var json: JSONValue {
        func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        func pass(_ p: Pass) -> JSONValue {
            .object([
                "stores": .object(p.stores.mapValues { c in
                    .object([
                        "customers_pulled": .integer(c.contactsPulled), "skus_pulled": .integer(c.productsPulled), "created": .integer(c.created),
                        "linked": .integer(c.linked), "updated": .integer(c.updated), "held": .integer(c.held), "pushed": .integer(c.pushed),
                        "push_failures": .integer(c.pushFailures),
                        "orders_pulled": .integer(c.ordersPulled), "orders_held": .integer(c.ordersHeld), "sales_orders": .integer(c.salesOrders),
                        "sales": .integer(c.sales), "cancellations": .integer(c.cancellations), "credit_notes": .integer(c.creditNotes),
                    ])
                }),
                "oorden": ["created": .integer(p.oordenCreates), "linked": .integer(p.oordenLinks), "updated": .integer(p.oordenUpdates)],
                "held_records": .integer(p.heldRecords),
                "creates": .integer(p.creates),
                "orders": [
                    "sales_orders": .integer(p.salesOrders), "sales": .integer(p.sales), "cancellations": .integer(p.cancellations),
                    "credit_notes": .integer(p.creditNotes),
                ],
            ])
        }
        func contact(_ c: ContactState) -> JSONValue {
            .object([
                "email": .string(c.email), "last_name": optional(c.lastName), "oorden_phone": optional(c.oordenPhone),
                "shopify_phone": optional(c.shopifyPhone), "woocommerce_phone": optional(c.wooPhone),
                "in_oorden": .bool(c.inOorden), "in_shopify": .bool(c.inShopify), "in_woocommerce": .bool(c.inWoo),
            ])
        }
        var editsJSON: [String: JSONValue] = [
            "both_sides": contact(bothSides), "conflict": contact(conflict), "created": contact(created),
            "fixed": fixed.map(contact) ?? .null,
            "store_last_name": .string(edits.storeLastName), "oorden_phone": .string(edits.oordenPhone), "conflict_phone": .string(edits.conflictPhone),
        ]
        if !edits.repricedSKU.isEmpty {
            editsJSON["repriced"] = .object([
                "sku": .string(edits.repricedSKU), "new_price": .string(Money.text(edits.newPrice)),
                "oorden_price": optional(repricedOorden), "shopify_price": optional(repricedShopify),
            ])
        }
        return .object([
            "directory": .string(directory),
            "resumed": .bool(resumed),
            "round": .integer(round),
            "import": pass(importPass),
            "second_sync": pass(secondPass),
            "oorden": ["contacts": .integer(oordenContacts), "products": .integer(oordenProducts), "orders": oordenOrders.json],
            "held_orders": .array(heldOrders.map(\.json)),
            "stores": .object(stores.mapValues { s in
                .object([
                    "customers": .integer(s.customers), "skus": .integer(s.skus), "synced": .bool(s.synced),
                    "orders": .integer(s.orders), "order_statuses": .object(s.orderStatuses.mapValues { .integer($0) }),
                    "emails": .array(s.emails.map { .string($0) }), "sku_list": .array(s.skuList.map { .string($0) }),
                ])
            }),
            "held": .object(held.mapValues { .integer($0) }),
            "edits": .object(editsJSON),
        ])
    }
}
