internal import GraphQL
import SyncCore

/// `productCreate`, `productUpdate` and `productVariantsBulkUpdate`, through the REST-side
/// product and variant functions (their validation, `updated_at` and `products/*` webhooks).
extension ShopifyGraphQLMutations {
    /// `productCreate(product:)` / `productUpdate(product:)` → `{ product userErrors }`. A created
    /// product gets the standalone "Default Title" variant, as Shopify's product model does.
    func productSave(_ args: Map, creating: Bool) -> ShopifyGraphQLObject {
        let input = ShopifyGraphQLInput.object(args["product"])
        let result = attempt { s -> Int in
            let fields = Self.productFields(input)
            if creating { return try s.createProduct(fields)["id"]?.int ?? 0 }
            guard let id = ShopifyGlobalID.parse(input["id"]?.string, type: "Product"), s.products[id] != nil else {
                throw ShopifyUserError(["id"], "Product does not exist")
            }
            _ = try s.updateProduct(id, fields)
            return id
        }
        let view = self.view
        return .values([
            "product": (try? result.get()).flatMap { view.shop.products[$0] }.map(view.product),
            "userErrors": Self.objects(result),
        ])
    }

    /// `productSet(input:)` creating a product with its variants, options and metafields in one
    /// operation, as the REST create with `variants` does: the shop has the whole product or, when
    /// refused, nothing. An input with an `id` (an update) is refused: not emulated.
    func productSet(_ args: Map) -> ShopifyGraphQLObject {
        let input = ShopifyGraphQLInput.object(args["input"])
        let result = attempt(code: "INVALID_INPUT") { s -> Int in
            if input["id"] != nil { throw ShopifyUserError(["input", "id"], "Updating a product through productSet is not emulated", code: "GENERIC_ERROR") }
            var fields = Self.productFields(input)
            let variants = (input["variants"]?.array ?? []).map { Self.variantFields($0.object ?? [:]) }
            if !variants.isEmpty { fields["variants"] = .array(variants.map(JSONValue.object)) }
            return try s.createProduct(fields)["id"]?.int ?? 0
        }
        let view = self.view
        return .values([
            "product": (try? result.get()).flatMap { view.shop.products[$0] }.map(view.product),
            "userErrors": Self.objects(result),
        ])
    }

    /// `ProductCreateInput` / `ProductUpdateInput` as the REST product body.
    static func productFields(_ input: [String: JSONValue]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (from, to) in [("title", "title"), ("handle", "handle"), ("descriptionHtml", "body_html"), ("vendor", "vendor"),
                           ("productType", "product_type"), ("tags", "tags")] {
            ShopifyGraphQLInput.copy(input, from, to: to, into: &out)
        }
        if let status = input["status"]?.string { out["status"] = .string(status.lowercased()) }
        if let list = input["metafields"] { out["metafields"] = .array((list.array ?? []).map { metafieldFields($0.object ?? [:]) }) }
        return out
    }

    /// `productVariantsBulkUpdate(productId:variants:)` → `{ product productVariants userErrors }`.
    /// All or nothing (`allowPartialUpdates` is not emulated); each variant is one REST variant
    /// update, so each changed variant fires its own `products/update`.
    func variantsBulkUpdate(_ args: Map) -> ShopifyGraphQLObject {
        let productID = ShopifyGlobalID.parse(args["productId"].string, type: "Product")
        let variants = (ShopifyGraphQLInput.json(args["variants"])?.array ?? []).map { $0.object ?? [:] }
        let result = attempt { s -> [Int] in
            guard let pid = productID, s.products[pid] != nil else {
                throw ShopifyUserError(["productId"], "Product does not exist", code: "PRODUCT_DOES_NOT_EXIST")
            }
            return try variants.enumerated().map { i, v in try Self.updateVariant(v, index: i, product: pid, in: &s) }
        }
        let view = self.view
        let ids = try? result.get()
        return .values([
            "product": ids.flatMap { _ in productID.flatMap { view.shop.products[$0] } }.map(view.product),
            "productVariants": ids.map { $0.compactMap { view.variant(id: $0) as (any Sendable)? } },
            "userErrors": Self.objects(result),
        ])
    }

    private static func updateVariant(_ v: [String: JSONValue], index i: Int, product pid: Int, in s: inout ShopifyShop) throws -> Int {
        let path = ["variants", String(i)]
        guard let vid = ShopifyGlobalID.parse(v["id"]?.string, type: "ProductVariant") else {
            throw ShopifyUserError(path + ["id"], "Product variant is missing ID attribute", code: "PRODUCT_VARIANT_ID_MISSING")
        }
        guard s.variantOwner[vid] == pid else {
            throw ShopifyUserError(path + ["id"], "Product variant does not exist", code: "PRODUCT_VARIANT_DOES_NOT_EXIST")
        }
        if v["inventoryQuantities"] != nil {
            throw ShopifyUserError(path + ["inventoryQuantities"],
                                   "Inventory quantities can only be provided during create. To update inventory for existing variants, use inventoryAdjustQuantities.",
                                   code: "NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE")
        }
        do {
            _ = try s.updateVariant(vid, variantFields(v))
        } catch let error as ShopifyEmulatorError {
            let errors = ShopifyUserError.from(error, prefix: path)
            var e = errors[0]
            e.code = e.message.contains("greater than or equal to") ? "GREATER_THAN_OR_EQUAL_TO" : "INVALID_INPUT"
            throw e
        }
        return vid
    }

    /// `ProductVariantsBulkInput` as the REST variant body.
    static func variantFields(_ v: [String: JSONValue]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (from, to) in [("price", "price"), ("compareAtPrice", "compare_at_price"), ("barcode", "barcode"), ("taxable", "taxable")] {
            ShopifyGraphQLInput.copy(v, from, to: to, into: &out)
        }
        if let policy = v["inventoryPolicy"]?.string { out["inventory_policy"] = .string(policy.lowercased()) }
        if let item = v["inventoryItem"]?.object {
            ShopifyGraphQLInput.copy(item, "sku", to: "sku", into: &out)
            if let tracked = item["tracked"]?.bool { out["inventory_management"] = tracked ? "shopify" : .null }
        }
        if let name = v["optionValues"]?[0]?["name"] { out["option1"] = name }
        return out
    }
}
