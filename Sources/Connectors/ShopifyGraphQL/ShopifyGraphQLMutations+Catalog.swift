import Crypto
import Foundation
import SyncCore

extension ShopifyGraphQLMutations {
    // MARK: Products

    /// `productSet` creating a product with its one variant, its SKU and our marker in one atomic
    /// operation: a create answered 5xx leaves either nothing or the whole product, which the driver's
    /// SKU lookup finds before it creates again — never a product without its SKU.
    package static func productCreate(_ record: ProductRecord, marker: EntityID) -> GraphQLOperation {
        var variant = variantFields(record, fields: Set(ProductRecord.fieldKeys), includeNulls: false)
        variant["optionValues"] = [["optionName": "Title", "name": "Default Title"]]
        var inventoryItem = variant["inventoryItem"]?.object ?? [:]
        inventoryItem["tracked"] = true
        variant["inventoryItem"] = .object(inventoryItem)
        let input: JSONValue = [
            "title": .string(record.name), "status": .string(record.active ? "ACTIVE" : "ARCHIVED"),
            "productOptions": [["name": "Title", "values": [["name": "Default Title"]]]],
            "variants": [.object(variant)], "metafields": [markerMetafield(marker)],
        ]
        return GraphQLOperation(name: "ProductCreate", query: """
            mutation ProductCreate($input: ProductSetInput!) {
              productSet(synchronous: true, input: $input) {
                product { \(ShopifyGraphQLDocuments.productFields) variants(first: 1) { nodes { \(ShopifyGraphQLDocuments.variantFields) } } }
                \(userErrors)
              }
            }
            """, variables: ["input": input])
    }

    /// `productUpdate` for the product's title (`name`) and status (`active`); nil when neither changed.
    package static func productUpdate(_ record: ProductRecord, fields: Set<FieldKey>) -> GraphQLOperation? {
        var product: [String: JSONValue] = [:]
        if fields.contains(.name) { product["title"] = .string(record.productTitle) }
        if fields.contains(.active) { product["status"] = .string(record.active ? "ACTIVE" : "ARCHIVED") }
        guard !product.isEmpty else { return nil }
        product["id"] = .string(ShopifyGlobalID.make("Product", record.remoteProductID))
        return GraphQLOperation(name: "ProductUpdate", query: """
            mutation ProductUpdate($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id } \(userErrors) } }
            """, variables: ["product": .object(product)], repeatsSafely: true)
    }

    /// `productVariantsBulkUpdate` for the variant's own fields; nil when none changed or the record
    /// has no variant id.
    package static func variantUpdate(_ record: ProductRecord, fields: Set<FieldKey>) -> GraphQLOperation? {
        var variant = variantFields(record, fields: fields, includeNulls: true)
        guard !variant.isEmpty, let variantID = record.remoteVariantID else { return nil }
        variant["id"] = .string(ShopifyGlobalID.make("ProductVariant", variantID))
        return GraphQLOperation(name: "ProductVariantsUpdate", query: """
            mutation ProductVariantsUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
              productVariantsBulkUpdate(productId: $productId, variants: $variants) { productVariants { id } \(userErrors) }
            }
            """, variables: ["productId": .string(ShopifyGlobalID.make("Product", record.remoteProductID)), "variants": [.object(variant)]], repeatsSafely: true)
    }

    /// A variant's canonical fields in GraphQL names; the SKU lives on its inventory item.
    static func variantFields(_ r: ProductRecord, fields: Set<FieldKey>, includeNulls: Bool) -> [String: JSONValue] {
        var o: [String: JSONValue] = [:]
        func put(_ key: String, _ value: JSONValue) {
            if !value.isNull || includeNulls { o[key] = value }
        }
        if fields.contains(.price) { put("price", RequestBody.money(r.price)) }
        if fields.contains(.compareAtPrice) { put("compareAtPrice", RequestBody.money(r.compareAtPrice)) }
        if fields.contains(.barcode) { put("barcode", RequestBody.text(r.barcode)) }
        if fields.contains(.taxable) { o["taxable"] = .bool(r.taxable) }
        if fields.contains(.sku), r.sku != nil || includeNulls { o["inventoryItem"] = ["sku": RequestBody.text(r.sku)] }
        return o
    }

    // MARK: Stock

    /// `inventoryAdjustQuantities` moving `available` by `delta`, under `@idempotent`: Shopify applies
    /// one key once however often it is sent. `changeFromQuantity: null` opts out of compare-and-swap —
    /// the adjustment is relative, so a sale landing meanwhile is kept, not overwritten.
    package static func inventoryAdjust(inventoryItemID: String, locationID: String, delta: Int64, idempotencyKey: String) -> GraphQLOperation {
        let input: JSONValue = [
            "name": "available", "reason": "correction",
            "changes": [[
                "delta": .integer(Int(delta)), "inventoryItemId": .string(ShopifyGlobalID.make("InventoryItem", inventoryItemID)),
                "locationId": .string(ShopifyGlobalID.make("Location", locationID)), "changeFromQuantity": .null,
            ]],
        ]
        // The key is written into the document, not a variable: it is hex, so nothing needs escaping.
        return GraphQLOperation(name: "InventoryAdjust", query: """
            mutation InventoryAdjust($input: InventoryAdjustQuantitiesInput!) {
              inventoryAdjustQuantities(input: $input) @idempotent(key: "\(hashedKey(idempotencyKey))") {
                inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } }
                userErrors { field message code }
              }
            }
            """, variables: ["input": input], repeatsSafely: true)
    }

    /// The engine's key for one adjustment (long, with link names) as 64 hex digits.
    static func hashedKey(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// `inventoryItem { inventoryLevel(locationId:) { quantities(names: ["available"]) } }`.
    package static func inventoryLevel(inventoryItemID: String, locationID: String) -> GraphQLOperation {
        GraphQLOperation(name: "InventoryLevel", query: """
            query InventoryLevel($id: ID!, $locationId: ID!) {
              inventoryItem(id: $id) { id inventoryLevel(locationId: $locationId) { updatedAt quantities(names: ["available"]) { name quantity } } }
            }
            """, variables: ["id": .string(ShopifyGlobalID.make("InventoryItem", inventoryItemID)), "locationId": .string(ShopifyGlobalID.make("Location", locationID))])
    }
}
