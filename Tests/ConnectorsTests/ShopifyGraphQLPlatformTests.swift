import Connectors
import Foundation
import StoreEmulators
import SyncCore
import Testing

/// `ShopifyGraphQLPlatform` against the emulator over loopback HTTP: searches, stock levels and the
/// permission check `doctor` runs.
@Suite struct ShopifyGraphQLPlatformTests {
    @Test("customers are found by e-mail whatever its case, products by SKU at any time (REST needs a recent-changes window)")
    func searches() async throws {
        try await ShopifyGraphQLRig.with(customers: 12, products: 8) { rig in
            let customer = try #require(rig.emulator.customers().dropFirst(5).first)
            let email = try #require(customer["email"]?.string)
            let found = try await rig.platform.findContact(email: try #require(ContactRecord.normalizedEmail(email.uppercased())))
            #expect(found?.remoteID == customer["id"]?.int.map(String.init))
            #expect(try await rig.platform.findContact(email: "nadie@example.mx") == nil)

            let product = try #require(rig.emulator.products().dropFirst(3).first)
            let variant = try #require(product["variants"]?.array?.last)
            let sku = try #require(variant["sku"]?.string)
            let match = try await rig.platform.findProduct(sku: sku, changedSince: nil)
            #expect(match?.remoteVariantID == variant["id"]?.int.map(String.init))
            #expect(match?.sku == sku)
            #expect(try await rig.rest.findProduct(sku: sku, changedSince: nil) == nil, "REST finds nothing without a window")
            #expect(try await rig.platform.findProduct(sku: "NO-EXISTE", changedSince: nil) == nil)
        }
    }

    @Test("the stock level of a variant is REST's")
    func stockLevel() async throws {
        try await ShopifyGraphQLRig.with(products: 3) { rig in
            let primary: String? = try await rig.platform.primaryLocationID()
            let location = try #require(primary)
            for product in rig.emulator.products() {
                for variant in product["variants"]?.array ?? [] {
                    let item = String(try #require(variant["inventory_item_id"]?.int))
                    let graphql = try await rig.platform.stockLevel(inventoryItemID: item, locationID: location)
                    let rest = try await rig.rest.stockLevel(inventoryItemID: item, locationID: location)
                    #expect(graphql?.available == rest?.available)
                    #expect(graphql?.available != nil)
                }
            }
        }
    }

    @Test("doctor's permission check: every scope granted passes; a missing read_orders is named; a write scope grants its read")
    func readPermissions() async throws {
        try await ShopifyGraphQLRig.with { rig in
            let all = try await rig.platform.readPermissions()
            #expect(all.checked == ["customers", "products", "inventory", "orders"])
            #expect(all.denied.isEmpty)
        }
        try await ShopifyGraphQLRig.with(configure: { $0.grantedAccessScopes = ["write_customers", "read_products", "read_inventory"] }) { rig in
            let some = try await rig.platform.readPermissions()
            #expect(some.denied == ["orders"])
            #expect(some.missingScopes == ["read_orders"])
        }
    }
}
