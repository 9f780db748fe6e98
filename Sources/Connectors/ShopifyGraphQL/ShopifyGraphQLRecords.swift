import Foundation
import SyncCore

/// GraphQL Admin API nodes → canonical records: the GraphQL counterpart of ``ShopifyAPI``'s parsers.
///
/// Field names are Shopify's GraphQL ones (`firstName`, `defaultAddress.provinceCode`,
/// `inventoryItem.tracked`); ids come as global ids and are kept numeric (``ShopifyGlobalID``), so a
/// record reads the same whichever API it came through. A node that cannot be read throws
/// ``RecordDecodingError`` naming the field, and the caller holds it with that reason.
package enum ShopifyGraphQLRecords {
    // MARK: Customers

    /// A `Customer` node, selected as ``ShopifyGraphQLDocuments/customerFields``.
    package static func contact(node: JSONValue) throws -> ContactRecord {
        let r = try JSONFieldReader(node, resource: "customer")
        let address = try r.object("defaultAddress")
        let location = try address.map(postalAddress)
        return ContactRecord(
            store: .shopify, remoteID: try r.requiredGlobalID("id", type: "Customer"), email: try r.string("email"),
            firstName: try r.string("firstName"), lastName: try r.string("lastName"),
            phone: try r.string("phone") ?? location?.phone, company: location?.company, note: try r.string("note"),
            address: location.map {
                PostalAddress(line1: $0.line1, line2: $0.line2, city: $0.city, region: $0.region, postalCode: $0.postalCode, countryCode: $0.countryCode)
            },
            marker: try marker(r), remoteAddressID: try address?.globalID("id", type: "MailingAddress"),
            createdAt: try r.time("createdAt"), updatedAt: try r.time("updatedAt"))
    }

    static func postalAddress(_ a: JSONFieldReader) throws -> PostalAddress {
        PostalAddress(
            firstName: try a.string("firstName"), lastName: try a.string("lastName"), company: try a.string("company"),
            line1: try a.string("address1"), line2: try a.string("address2"), city: try a.string("city"),
            region: try a.string("provinceCode") ?? a.string("province"), postalCode: try a.string("zip"),
            countryCode: try a.string("countryCodeV2"), phone: try a.string("phone"))
    }

    /// Our entity id from the node's `metafield(namespace: "oorden", key: "entity_id") { value }`.
    static func marker(_ r: JSONFieldReader) throws -> EntityID? {
        guard let metafield = try r.object("metafield"), let value = try metafield.string("value") else { return nil }
        guard let id = EntityID(hex: value) else {
            throw r.error("metafield.value", .invalidValue, "expected a 32-digit hex entity id, got \"\(value.prefix(40))\"")
        }
        return id
    }

    // MARK: Products

    /// A `Product` node with its variants (`variants.nodes`, selected as
    /// ``ShopifyGraphQLDocuments/variantFields``) → one record per variant.
    ///
    /// `moreVariants` are variants read by later pages of the product's own variant connection.
    /// A product without variants is an error, as in REST: it has no SKU, price or stock to sync.
    package static func productRecords(node: JSONValue, moreVariants: [JSONValue] = []) throws -> [ProductRecord] {
        let p = try JSONFieldReader(node, resource: "product")
        let variants = try (p.object("variants")?.array("nodes") ?? []) + moreVariants
        guard !variants.isEmpty else {
            throw p.error("variants", .missingField,
                          "is empty or missing: a Shopify product is sold through its variants, so it has no SKU, price or stock to sync; add a variant in Shopify and it syncs at the next complete scan")
        }
        return try variants.map { try productRecord(variant: JSONFieldReader($0, resource: "variant"), product: p) }
    }

    static func productRecord(variant v: JSONFieldReader, product p: JSONFieldReader) throws -> ProductRecord {
        let title = try p.string("title") ?? ""
        let rawVariantTitle = try v.string("title")
        let variantTitle = rawVariantTitle == "Default Title" ? nil : rawVariantTitle
        let updated = [try p.time("updatedAt"), try v.time("updatedAt")].compactMap { $0 }.max()
        let item = try v.object("inventoryItem")
        return ProductRecord(
            store: .shopify, remoteProductID: try p.requiredGlobalID("id", type: "Product"),
            remoteVariantID: try v.requiredGlobalID("id", type: "ProductVariant"),
            inventoryItemID: try item?.globalID("id", type: "InventoryItem"), sku: try v.string("sku"),
            name: ProductRecord.displayName(productTitle: title, variantTitle: variantTitle), productTitle: title,
            variantTitle: variantTitle, price: try v.decimal("price"), compareAtPrice: try v.decimal("compareAtPrice"),
            taxable: try v.bool("taxable") ?? true, active: (try p.string("status") ?? "ACTIVE") == "ACTIVE", barcode: try v.string("barcode"),
            stockQuantity: try v.int("inventoryQuantity"), manageStock: try item?.bool("tracked") ?? false,
            marker: try marker(p), createdAt: try p.time("createdAt") ?? v.time("createdAt"), updatedAt: updated)
    }

    // MARK: Shop

    /// `shop { currencyCode taxesIncluded ianaTimezone name myshopifyDomain }` and the primary
    /// location's global id → ``ShopSettings``.
    package static func shopSettings(shop: JSONValue, primaryLocation: String?) throws -> ShopSettings {
        let r = try JSONFieldReader(shop, resource: "shop")
        return ShopSettings(
            store: .shopify, currency: try r.requiredString("currencyCode"), taxesIncluded: try r.bool("taxesIncluded"),
            ianaTimezone: try r.string("ianaTimezone"), timezoneOffsetMinutes: nil,
            primaryLocationID: primaryLocation.flatMap { ShopifyGlobalID.numeric($0, type: "Location") },
            name: try r.string("name"), domain: try r.string("myshopifyDomain"))
    }
}
