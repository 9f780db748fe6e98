import Foundation
import StoreEmulators
import SyncCore
import Testing

extension ShopifyHarness {
    /// Sends a GraphQL request to `graphql.json` of API version 2026-10.
    func graphQL2610(_ query: String, variables: JSONValue = [:]) -> Reply {
        send(.post, "/admin/api/2026-10/graphql.json", body: ["query": .string(query), "variables": variables])
    }

    /// The `available` stock REST reports for an inventory item.
    func restStock(_ item: Int) -> Int? {
        send(.get, "inventory_levels.json", query: [QueryItem("inventory_item_ids", String(item))]).json["inventory_levels"]?[0]?["available"]?.int
    }

    /// Bodies of the due webhook deliveries of `topic` (taking every due delivery).
    func deliveries(_ topic: String) -> [JSONValue] {
        shop.takeDueWebhooks().filter { $0.topic == topic }.compactMap { try? JSONValue.parse($0.body) }
    }
}

@Suite struct ShopifyGraphQLInventoryMutationTests {
    static let adjust = """
        mutation Adjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
          inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
            inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange item { id } location { id } } }
            userErrors { field message code }
          }
        }
        """

    /// A shop with one variant stocked at 10, subscribed to `inventory_levels/update`; its inventory item id.
    static func stocked() throws -> (ShopifyHarness, Int) {
        let h = ShopifyHarness()
        let p = try h.createProduct(title: "Café", variants: [("Default Title", "CAFE-1", "120.00", 10)])
        let item = try #require(p["variants"]?[0]?["inventory_item_id"]?.int)
        try h.shop.registerWebhook(topic: "inventory_levels/update", address: "http://127.0.0.1:9000/w")
        return (h, item)
    }

    static func input(_ h: ShopifyHarness, item: Int, delta: Int, from: JSONValue?, reason: String = "correction") -> JSONValue {
        var change: [String: JSONValue] = [
            "delta": .integer(delta), "inventoryItemId": .string("gid://shopify/InventoryItem/\(item)"),
            "locationId": .string("gid://shopify/Location/\(h.shop.configuration.primaryLocationID)"),
        ]
        if let from { change["changeFromQuantity"] = from }
        return ["name": "available", "reason": .string(reason), "changes": [.object(change)]]
    }

    @Test func theSameKeyTwiceChangesStockOnceAndAnotherKeyAppliesAgain() throws {
        let (h, item) = try Self.stocked()
        let vars: JSONValue = ["input": Self.input(h, item: item, delta: -3, from: 10), "key": "5b1f0c8e-0001"]
        let first = h.graphQL2610(Self.adjust, variables: vars)
        #expect(first.json["errors"] == nil)
        let payload = try #require(first.json["data"]?["inventoryAdjustQuantities"])
        #expect(payload["userErrors"] == [])
        let changes = try #require(payload["inventoryAdjustmentGroup"]?["changes"]?.array)
        #expect(changes.map { $0["name"] } == ["available", "on_hand"])
        #expect(changes[0]["delta"] == -3)
        #expect(changes[0]["quantityAfterChange"] == 7)
        #expect(changes[0]["item"]?["id"] == .string("gid://shopify/InventoryItem/\(item)"))
        #expect(h.restStock(item) == 7)
        let hook = h.deliveries("inventory_levels/update")
        #expect(hook.count == 1)
        #expect(hook.first?["available"] == 7)
        #expect(hook.first?["inventory_item_id"] == .integer(item))

        let second = h.graphQL2610(Self.adjust, variables: vars)
        #expect(second.json["data"] == first.json["data"])
        #expect(h.restStock(item) == 7)
        #expect(h.deliveries("inventory_levels/update").isEmpty)
        #expect(h.shop.idempotentReplays == 1)
        #expect(h.shop.idempotentAdjustmentsApplied == 1)

        let third = h.graphQL2610(Self.adjust, variables: ["input": Self.input(h, item: item, delta: -3, from: 7), "key": "5b1f0c8e-0002"])
        #expect(third.json["data"]?["inventoryAdjustQuantities"]?["inventoryAdjustmentGroup"]?["changes"]?[0]?["quantityAfterChange"] == 4)
        #expect(h.restStock(item) == 4)
        #expect(h.shop.idempotentAdjustmentsApplied == 2)
        let level = h.graphQL2610("""
            { inventoryItem(id: "gid://shopify/InventoryItem/\(item)") { inventoryLevel(locationId: "gid://shopify/Location/\(h.shop.configuration.primaryLocationID)") {
                quantities(names: ["available"]) { quantity } } } }
            """)
        #expect(level.json["data"]?["inventoryItem"]?["inventoryLevel"]?["quantities"]?[0]?["quantity"] == 4)
    }

    @Test func aStaleChangeFromQuantityIsRefusedAndNullSkipsTheCheck() throws {
        let (h, item) = try Self.stocked()
        let stale = h.graphQL2610(Self.adjust, variables: ["input": Self.input(h, item: item, delta: 5, from: 9), "key": "k-stale"])
        let errors = try #require(stale.json["data"]?["inventoryAdjustQuantities"]?["userErrors"]?.array)
        #expect(errors.first?["code"] == "CHANGE_FROM_QUANTITY_STALE")
        #expect(errors.first?["field"] == ["input", "changes", "0", "changeFromQuantity"])
        #expect(stale.json["data"]?["inventoryAdjustQuantities"]?["inventoryAdjustmentGroup"] == .null)
        #expect(h.restStock(item) == 10)
        #expect(h.deliveries("inventory_levels/update").isEmpty)
        #expect(h.shop.idempotentAdjustmentsApplied == 0)

        let unchecked = h.graphQL2610(Self.adjust, variables: ["input": Self.input(h, item: item, delta: 5, from: .null), "key": "k-null"])
        #expect(unchecked.json["data"]?["inventoryAdjustQuantities"]?["userErrors"] == [])
        #expect(h.restStock(item) == 15)
    }

    @Test func aMissingIdempotencyKeyOrChangeFromQuantityIsRefused() throws {
        let (h, item) = try Self.stocked()
        let noKey = h.graphQL2610("""
            mutation Adjust($input: InventoryAdjustQuantitiesInput!) {
              inventoryAdjustQuantities(input: $input) { inventoryAdjustmentGroup { id } userErrors { code message } }
            }
            """, variables: ["input": Self.input(h, item: item, delta: 1, from: 10)])
        #expect(noKey.status == 200)
        #expect(noKey.json["data"]?["inventoryAdjustQuantities"] == .null)
        let error = try #require(noKey.json["errors"]?.array?.first)
        #expect(error["message"]?.string?.contains("@idempotent") == true)
        #expect(error["extensions"]?["code"] == "IDEMPOTENCY_KEY_REQUIRED")
        #expect(h.restStock(item) == 10)

        let noFrom = h.graphQL2610(Self.adjust, variables: ["input": Self.input(h, item: item, delta: 1, from: nil), "key": "k-nofrom"])
        let errors = try #require(noFrom.json["data"]?["inventoryAdjustQuantities"]?["userErrors"]?.array)
        #expect(errors.first?["field"] == ["input", "changes", "0", "changeFromQuantity"])
        #expect(h.restStock(item) == 10)
        #expect(h.deliveries("inventory_levels/update").isEmpty)

        // Before 2026-04 both are optional.
        let old = h.graphQL("""
            mutation Adjust($input: InventoryAdjustQuantitiesInput!) {
              inventoryAdjustQuantities(input: $input) { userErrors { code } }
            }
            """, variables: ["input": Self.input(h, item: item, delta: 1, from: nil)])
        #expect(old.json["data"]?["inventoryAdjustQuantities"]?["userErrors"] == [])
        #expect(h.restStock(item) == 11)
    }

    @Test func badInputIsAUserErrorAndAReusedKeyNeedsTheSameInput() throws {
        let (h, item) = try Self.stocked()
        var unknown = Self.input(h, item: item, delta: 1, from: 10)
        unknown = ["name": "available", "reason": "correction", "changes": [[
            "delta": 1, "inventoryItemId": "gid://shopify/InventoryItem/999999", "changeFromQuantity": .null,
            "locationId": .string("gid://shopify/Location/\(h.shop.configuration.primaryLocationID)")]]]
        let codes: [(JSONValue, String)] = [
            (unknown, "INVALID_INVENTORY_ITEM"),
            (Self.input(h, item: item, delta: 1, from: 10, reason: "because"), "INVALID_REASON"),
        ]
        for (i, (input, code)) in codes.enumerated() {
            let r = h.graphQL2610(Self.adjust, variables: ["input": input, "key": .string("bad-\(i)")])
            #expect(r.json["data"]?["inventoryAdjustQuantities"]?["userErrors"]?[0]?["code"] == .string(code))
        }
        #expect(h.restStock(item) == 10)

        _ = h.graphQL2610(Self.adjust, variables: ["input": Self.input(h, item: item, delta: 2, from: 10), "key": "reused"])
        let other = h.graphQL2610(Self.adjust, variables: ["input": Self.input(h, item: item, delta: 3, from: 12), "key": "reused"])
        #expect(other.json["data"]?["inventoryAdjustQuantities"]?["userErrors"]?[0]?["code"] == "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")
        #expect(h.restStock(item) == 12)
    }
}

@Suite struct ShopifyGraphQLCustomerMutationTests {
    static let create = """
        mutation Create($input: CustomerInput!) {
          customerCreate(input: $input) {
            customer { id email firstName lastName phone note tags defaultAddress { city provinceCode countryCodeV2 zip } metafield(namespace: "oorden", key: "rfc") { value type } }
            userErrors { field message }
          }
        }
        """
    static let update = """
        mutation Update($input: CustomerInput!) {
          customerUpdate(input: $input) { customer { id note lastName updatedAt } userErrors { field message } }
        }
        """

    @Test func customerCreateIsVisibleThroughRESTAndGraphQLAndFiresTheWebhook() throws {
        let h = ShopifyHarness()
        try h.shop.registerWebhook(topic: "customers/create", address: "http://127.0.0.1:9000/w")
        let r = h.graphQL2610(Self.create, variables: ["input": [
            "email": "Lucia@Example.MX", "firstName": "Lucía", "lastName": "Pérez", "phone": "55 1234 5678", "note": "mayorista",
            "tags": ["vip", "cdmx"],
            "addresses": [["address1": "Av. Juárez 10", "city": "Ciudad de México", "provinceCode": "CMX", "countryCode": "MX", "zip": "06000"]],
            "metafields": [["namespace": "oorden", "key": "rfc", "value": "PEGL800101AB1", "type": "single_line_text_field"]],
        ]])
        #expect(r.json["errors"] == nil)
        let payload = try #require(r.json["data"]?["customerCreate"])
        #expect(payload["userErrors"] == [])
        let customer = try #require(payload["customer"])
        let gid = try #require(customer["id"]?.string)
        let id = try #require(Int(gid.dropFirst("gid://shopify/Customer/".count)))
        #expect(customer["email"] == "lucia@example.mx")
        #expect(customer["phone"] == "+525512345678")
        #expect(customer["tags"] == ["vip", "cdmx"])
        #expect(customer["defaultAddress"]?["city"] == "Ciudad de México")
        #expect(customer["defaultAddress"]?["countryCodeV2"] == "MX")
        #expect(customer["metafield"]?["value"] == "PEGL800101AB1")

        let rest = h.send(.get, "customers/\(id).json").json["customer"]
        #expect(rest?["email"] == "lucia@example.mx")
        #expect(rest?["first_name"] == "Lucía")
        #expect(rest?["note"] == "mayorista")
        #expect(rest?["tags"] == "vip, cdmx")
        #expect(rest?["default_address"]?["zip"] == "06000")
        #expect(rest?["default_address"]?["province_code"] == "CMX")
        let metafields = h.send(.get, "customers/\(id)/metafields.json").json["metafields"]
        #expect(metafields?[0]?["key"] == "rfc")
        #expect(metafields?[0]?["value"] == "PEGL800101AB1")
        let hooks = h.deliveries("customers/create")
        #expect(hooks.count == 1)
        #expect(hooks.first?["id"] == .integer(id))
        #expect(hooks.first?["email"] == "lucia@example.mx")
    }

    @Test func customerCreateValidationFailuresAreUserErrorsAndChangeNothing() throws {
        let h = ShopifyHarness()
        _ = try h.shop.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: nil)
        try h.shop.registerWebhook(topic: "customers/create", address: "http://127.0.0.1:9000/w")
        let cases: [(JSONValue, JSONValue, String)] = [
            (["email": "ANA@example.mx"], ["email"], "Email has already been taken"),
            (["email": "not-an-email"], ["email"], "Email is invalid"),
            (["email": "otra@example.mx", "phone": "12"], ["phone"], "Phone is invalid"),
            (["note": "sin nombre"], .null, "Customer must have a name, phone number or email address"),
        ]
        for (input, field, message) in cases {
            let r = h.graphQL2610(Self.create, variables: ["input": input])
            #expect(r.status == 200)
            #expect(r.json["data"]?["customerCreate"]?["customer"] == .null)
            let error = r.json["data"]?["customerCreate"]?["userErrors"]?[0]
            #expect(error?["field"] == field)
            #expect(error?["message"] == .string(message))
        }
        #expect(h.send(.get, "customers/count.json").json["count"] == 1)
        #expect(h.deliveries("customers/create").isEmpty)
    }

    @Test func customerUpdateStampsUpdatedAtFiresTheWebhookAndRefusesUnknownIDs() throws {
        let h = ShopifyHarness()
        let c = try h.shop.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: "Ruiz")
        let id = try #require(c["id"]?.int)
        _ = try h.shop.createCustomer(email: "beto@example.mx", firstName: "Beto", lastName: nil)
        try h.shop.registerWebhook(topic: "customers/update", address: "http://127.0.0.1:9000/w")
        h.clock.advance(by: 120_000)
        let r = h.graphQL2610(Self.update, variables: ["input": ["id": .string("gid://shopify/Customer/\(id)"), "note": "nota", "lastName": "Ruiz Díaz"]])
        #expect(r.json["data"]?["customerUpdate"]?["userErrors"] == [])
        #expect(r.json["data"]?["customerUpdate"]?["customer"]?["lastName"] == "Ruiz Díaz")
        let rest = h.send(.get, "customers/\(id).json").json["customer"]
        #expect(rest?["note"] == "nota")
        #expect(rest?["last_name"] == "Ruiz Díaz")
        #expect(rest?["updated_at"] != c["updated_at"])
        #expect(rest?["updated_at"]?.string.flatMap(ISO8601Time.parse) == ShopifyHarness.start + 120_000)
        #expect(h.deliveries("customers/update").map { $0["note"] } == ["nota"])

        let taken = h.graphQL2610(Self.update, variables: ["input": ["id": .string("gid://shopify/Customer/\(id)"), "email": "beto@example.mx", "note": "otra"]])
        #expect(taken.json["data"]?["customerUpdate"]?["userErrors"]?[0]?["message"] == "Email has already been taken")
        #expect(h.send(.get, "customers/\(id).json").json["customer"]?["note"] == "nota")
        let missing = h.graphQL2610(Self.update, variables: ["input": ["id": "gid://shopify/Customer/424242", "note": "x"]])
        #expect(missing.json["data"]?["customerUpdate"]?["userErrors"]?[0]?["field"] == ["id"])
        #expect(h.deliveries("customers/update").isEmpty)
    }

    static let set = """
        mutation Set($metafields: [MetafieldsSetInput!]!) {
          metafieldsSet(metafields: $metafields) { metafields { id namespace key value } userErrors { field message code elementIndex } }
        }
        """

    @Test func metafieldsSetWritesCustomerAndProductMetafieldsAllOrNothing() throws {
        let h = ShopifyHarness()
        let cid = try #require(try h.shop.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: nil)["id"]?.int)
        let pid = try #require(try h.createProduct(title: "Mole", variants: [("Default Title", "MOLE-1", "99.00", 1)])["id"]?.int)
        let ok = h.graphQL2610(Self.set, variables: ["metafields": [
            ["ownerId": .string("gid://shopify/Customer/\(cid)"), "namespace": "oorden", "key": "rfc", "value": "XAXX010101000", "type": "single_line_text_field"],
            ["ownerId": .string("gid://shopify/Product/\(pid)"), "namespace": "oorden", "key": "clave_sat", "value": "50161800", "type": "number_integer"],
        ]])
        #expect(ok.json["data"]?["metafieldsSet"]?["userErrors"] == [])
        let set = try #require(ok.json["data"]?["metafieldsSet"]?["metafields"]?.array)
        #expect(set.map { $0["key"] } == ["rfc", "clave_sat"])
        #expect(h.send(.get, "customers/\(cid)/metafields.json").json["metafields"]?[0]?["value"] == "XAXX010101000")
        #expect(h.send(.get, "products/\(pid)/metafields.json").json["metafields"]?[0]?["type"] == "number_integer")
        let read = h.graphQL2610("{ product(id: \"gid://shopify/Product/\(pid)\") { metafield(namespace: \"oorden\", key: \"clave_sat\") { value } } }")
        #expect(read.json["data"]?["product"]?["metafield"]?["value"] == "50161800")

        // Updating keeps the id; a bad second element refuses the whole call.
        let bad = h.graphQL2610(Self.set, variables: ["metafields": [
            ["ownerId": .string("gid://shopify/Customer/\(cid)"), "namespace": "oorden", "key": "rfc", "value": "CAMBIADO"],
            ["ownerId": .string("gid://shopify/Product/\(pid)"), "namespace": "oorden", "key": "clave_sat", "value": "abc"],
        ]])
        let error = try #require(bad.json["data"]?["metafieldsSet"]?["userErrors"]?[0])
        #expect(error["code"] == "INVALID_VALUE")
        #expect(error["elementIndex"] == 1)
        #expect(error["field"] == ["metafields", "1", "value"])
        #expect(bad.json["data"]?["metafieldsSet"]?["metafields"] == .null)
        #expect(h.send(.get, "customers/\(cid)/metafields.json").json["metafields"]?[0]?["value"] == "XAXX010101000")
        let again = h.graphQL2610(Self.set, variables: ["metafields": [
            ["ownerId": .string("gid://shopify/Customer/\(cid)"), "namespace": "oorden", "key": "rfc", "value": "CAMBIADO"]]])
        #expect(again.json["data"]?["metafieldsSet"]?["metafields"]?[0]?["id"] == set[0]["id"])
        #expect(h.send(.get, "customers/\(cid)/metafields.json").json["metafields"]?.array?.count == 1)
        let orphan = h.graphQL2610(Self.set, variables: ["metafields": [["ownerId": "gid://shopify/Customer/777777", "key": "k", "value": "v", "type": "single_line_text_field"]]])
        #expect(orphan.json["data"]?["metafieldsSet"]?["userErrors"]?[0]?["field"] == ["metafields", "0", "ownerId"])
    }
}

@Suite struct ShopifyGraphQLProductMutationTests {
    static let create = """
        mutation Create($product: ProductCreateInput!) {
          productCreate(product: $product) {
            product { id title status vendor productType variants(first: 5) { nodes { id title price sku inventoryItem { id } } } }
            userErrors { field message }
          }
        }
        """

    @Test func productCreateMakesTheDefaultVariantAndFiresProductsCreate() throws {
        let h = ShopifyHarness()
        try h.shop.registerWebhook(topic: "products/create", address: "http://127.0.0.1:9000/w")
        let r = h.graphQL2610(Self.create, variables: ["product": [
            "title": "Chocolate de mesa", "status": "DRAFT", "vendor": "Oaxaca Fina", "productType": "Abarrotes",
            "metafields": [["namespace": "oorden", "key": "clave_sat", "value": "50161800", "type": "number_integer"]],
        ]])
        #expect(r.json["errors"] == nil)
        let product = try #require(r.json["data"]?["productCreate"]?["product"])
        #expect(product["status"] == "DRAFT")
        let variants = try #require(product["variants"]?["nodes"]?.array)
        #expect(variants.count == 1)
        #expect(variants.first?["title"] == "Default Title")
        #expect(variants.first?["price"] == "0.00")
        let pid = try #require(product["id"]?.string.flatMap { Int($0.dropFirst("gid://shopify/Product/".count)) })
        let rest = h.send(.get, "products/\(pid).json").json["product"]
        #expect(rest?["title"] == "Chocolate de mesa")
        #expect(rest?["status"] == "draft")
        #expect(rest?["vendor"] == "Oaxaca Fina")
        #expect(rest?["product_type"] == "Abarrotes")
        #expect(rest?["variants"]?.array?.count == 1)
        #expect(h.send(.get, "products/\(pid)/metafields.json").json["metafields"]?[0]?["value"] == "50161800")
        #expect(h.deliveries("products/create").map { $0["id"] } == [.integer(pid)])

        let blank = h.graphQL2610(Self.create, variables: ["product": ["title": "", "vendor": "X"]])
        #expect(blank.json["data"]?["productCreate"]?["product"] == .null)
        #expect(blank.json["data"]?["productCreate"]?["userErrors"]?[0]?["field"] == ["title"])
        #expect(blank.json["data"]?["productCreate"]?["userErrors"]?[0]?["message"] == "Title can't be blank")
        #expect(h.send(.get, "products/count.json").json["count"] == 1)
        #expect(h.deliveries("products/create").isEmpty)
    }

    @Test func productUpdateChangesTitleAndStatusAndFiresProductsUpdate() throws {
        let h = ShopifyHarness()
        let pid = try #require(try h.createProduct(title: "Mole", variants: [("Default Title", "MOLE-1", "99.00", 1)])["id"]?.int)
        try h.shop.registerWebhook(topic: "products/update", address: "http://127.0.0.1:9000/w")
        h.clock.advance(by: 60_000)
        let r = h.graphQL2610("""
            mutation U($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id title status updatedAt } userErrors { field message } } }
            """, variables: ["product": ["id": .string("gid://shopify/Product/\(pid)"), "title": "Mole poblano", "status": "ARCHIVED"]])
        #expect(r.json["data"]?["productUpdate"]?["userErrors"] == [])
        #expect(r.json["data"]?["productUpdate"]?["product"]?["status"] == "ARCHIVED")
        let rest = h.send(.get, "products/\(pid).json").json["product"]
        #expect(rest?["title"] == "Mole poblano")
        #expect(rest?["status"] == "archived")
        #expect(rest?["updated_at"]?.string.flatMap(ISO8601Time.parse) == ShopifyHarness.start + 60_000)
        #expect(h.deliveries("products/update").map { $0["title"] } == ["Mole poblano"])
        let missing = h.graphQL2610("""
            mutation U($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id } userErrors { field message } } }
            """, variables: ["product": ["id": "gid://shopify/Product/999999", "title": "X"]])
        #expect(missing.json["data"]?["productUpdate"]?["userErrors"]?[0]?["field"] == ["id"])
    }

    static let bulk = """
        mutation B($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
          productVariantsBulkUpdate(productId: $productId, variants: $variants) {
            product { id } productVariants { id price compareAtPrice barcode taxable sku inventoryItem { sku tracked } }
            userErrors { field message code }
          }
        }
        """

    @Test func productVariantsBulkUpdateWritesEveryVariantOrNone() throws {
        let h = ShopifyHarness()
        let p = try h.createProduct(title: "Café", variants: [("250 g", "CAFE-250", "120.00", 5), ("1 kg", "CAFE-1K", "400.00", 2)])
        let pid = try #require(p["id"]?.int)
        let v1 = try #require(p["variants"]?[0]?["id"]?.int), v2 = try #require(p["variants"]?[1]?["id"]?.int)
        try h.shop.registerWebhook(topic: "products/update", address: "http://127.0.0.1:9000/w")
        let r = h.graphQL2610(Self.bulk, variables: ["productId": .string("gid://shopify/Product/\(pid)"), "variants": [
            ["id": .string("gid://shopify/ProductVariant/\(v1)"), "price": "129.50", "compareAtPrice": "150.00", "barcode": "7501234567890",
             "inventoryItem": ["sku": "CAFE-250-N", "tracked": false]],
            ["id": .string("gid://shopify/ProductVariant/\(v2)"), "price": "410.00", "taxable": false],
        ]])
        #expect(r.json["errors"] == nil)
        let payload = try #require(r.json["data"]?["productVariantsBulkUpdate"])
        #expect(payload["userErrors"] == [])
        #expect(payload["product"]?["id"] == .string("gid://shopify/Product/\(pid)"))
        #expect(payload["productVariants"]?[0]?["inventoryItem"]?["tracked"] == false)
        #expect(payload["productVariants"]?[1]?["taxable"] == false)
        let rest1 = h.send(.get, "variants/\(v1).json").json["variant"]
        #expect(rest1?["price"] == "129.50")
        #expect(rest1?["compare_at_price"] == "150.00")
        #expect(rest1?["sku"] == "CAFE-250-N")
        #expect(rest1?["barcode"] == "7501234567890")
        #expect(rest1?["inventory_management"] == .null)
        #expect(h.send(.get, "variants/\(v2).json").json["variant"]?["price"] == "410.00")
        #expect(!h.deliveries("products/update").isEmpty)

        let bad = h.graphQL2610(Self.bulk, variables: ["productId": .string("gid://shopify/Product/\(pid)"), "variants": [
            ["id": .string("gid://shopify/ProductVariant/\(v1)"), "price": "1.00"],
            ["id": .string("gid://shopify/ProductVariant/\(v2)"), "price": "-5.00"],
        ]])
        let error = try #require(bad.json["data"]?["productVariantsBulkUpdate"]?["userErrors"]?[0])
        #expect(error["code"] == "GREATER_THAN_OR_EQUAL_TO")
        #expect(error["field"] == ["variants", "1", "price"])
        #expect(h.send(.get, "variants/\(v1).json").json["variant"]?["price"] == "129.50")
        #expect(h.deliveries("products/update").isEmpty)
        let other = try h.createProduct(title: "Té", variants: [("Default Title", "TE-1", "50.00", 1)])
        let foreign = try #require(other["variants"]?[0]?["id"]?.int)
        let wrong = h.graphQL2610(Self.bulk, variables: ["productId": .string("gid://shopify/Product/\(pid)"), "variants": [
            ["id": .string("gid://shopify/ProductVariant/\(foreign)"), "price": "1.00"]]])
        #expect(wrong.json["data"]?["productVariantsBulkUpdate"]?["userErrors"]?[0]?["code"] == "PRODUCT_VARIANT_DOES_NOT_EXIST")
    }
}

@Suite struct ShopifyGraphQLOrderMutationTests {
    /// A paid order of 3 units of a variant stocked at 10; (harness, order id, variant, inventory item).
    static func ordered() throws -> (ShopifyHarness, Int, Int, Int) {
        let h = ShopifyHarness()
        let p = try h.createProduct(title: "Café", variants: [("Default Title", "CAFE-1", "100.00", 10)])
        let variant = try #require(p["variants"]?[0]?["id"]?.int), item = try #require(p["variants"]?[0]?["inventory_item_id"]?.int)
        let o = try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 3)], email: "ana@example.mx",
                                      shippingAddress: ["address1": "Calle 1", "city": "Puebla", "zip": "72000"])
        return (h, try #require(o["id"]?.int), variant, item)
    }

    @Test func orderUpdateChangesNoteAndShippingAddressAndFiresOrdersUpdated() throws {
        let (h, id, _, _) = try Self.ordered()
        try h.shop.registerWebhook(topic: "orders/updated", address: "http://127.0.0.1:9000/w")
        let r = h.graphQL2610("""
            mutation U($input: OrderInput!) { orderUpdate(input: $input) { order { id note shippingAddress { address1 city zip } } userErrors { field message } } }
            """, variables: ["input": ["id": .string("gid://shopify/Order/\(id)"), "note": "entregar en la tarde", "shippingAddress": ["address1": "Calle 2"]]])
        #expect(r.json["data"]?["orderUpdate"]?["userErrors"] == [])
        #expect(r.json["data"]?["orderUpdate"]?["order"]?["shippingAddress"]?["address1"] == "Calle 2")
        let rest = h.send(.get, "orders/\(id).json").json["order"]
        #expect(rest?["note"] == "entregar en la tarde")
        #expect(rest?["shipping_address"]?["address1"] == "Calle 2")
        #expect(rest?["shipping_address"]?["city"] == "Puebla")
        #expect(h.deliveries("orders/updated").map { $0["note"] } == ["entregar en la tarde"])
        let bad = h.graphQL2610("""
            mutation U($input: OrderInput!) { orderUpdate(input: $input) { order { id } userErrors { field message } } }
            """, variables: ["input": ["id": .string("gid://shopify/Order/\(id)"), "email": "no es correo", "note": "otra"]])
        #expect(bad.json["data"]?["orderUpdate"]?["userErrors"]?[0]?["message"] == "Email is invalid")
        #expect(h.send(.get, "orders/\(id).json").json["order"]?["note"] == "entregar en la tarde")
    }

    static let cancel = """
        mutation C($id: ID!, $refund: Boolean, $restock: Boolean!) {
          orderCancel(orderId: $id, reason: CUSTOMER, refund: $refund, restock: $restock, staffNote: "pidió cancelar") {
            job { id done } orderCancelUserErrors { field message code } userErrors { field message }
          }
        }
        """

    @Test func orderCancelRefundsRestocksAndFiresOrdersCancelled() throws {
        let (h, id, _, item) = try Self.ordered()
        #expect(h.restStock(item) == 7)
        try h.shop.registerWebhook(topic: "orders/cancelled", address: "http://127.0.0.1:9000/w")
        let r = h.graphQL2610(Self.cancel, variables: ["id": .string("gid://shopify/Order/\(id)"), "refund": true, "restock": true])
        let payload = try #require(r.json["data"]?["orderCancel"])
        #expect(payload["orderCancelUserErrors"] == [])
        #expect(payload["job"]?["done"] == true)
        #expect(payload["job"]?["id"]?.string?.hasPrefix("gid://shopify/Job/") == true)
        let rest = h.send(.get, "orders/\(id).json").json["order"]
        #expect(rest?["cancel_reason"] == "customer")
        #expect(rest?["financial_status"] == "refunded")
        #expect(h.restStock(item) == 10)
        #expect(h.deliveries("orders/cancelled").count == 1)
        let read = h.graphQL2610("{ order(id: \"gid://shopify/Order/\(id)\") { cancelReason cancelledAt displayFinancialStatus } }")
        #expect(read.json["data"]?["order"]?["cancelReason"] == "CUSTOMER")

        let again = h.graphQL2610(Self.cancel, variables: ["id": .string("gid://shopify/Order/\(id)"), "refund": true, "restock": true])
        #expect(again.json["data"]?["orderCancel"]?["orderCancelUserErrors"]?[0]?["code"] == "INVALID")
        #expect(again.json["data"]?["orderCancel"]?["userErrors"]?[0]?["message"] == "Order has already been cancelled")
        #expect(again.json["data"]?["orderCancel"]?["job"] == .null)
        let missing = h.graphQL2610(Self.cancel, variables: ["id": "gid://shopify/Order/999999", "restock": false])
        #expect(missing.json["data"]?["orderCancel"]?["orderCancelUserErrors"]?[0]?["code"] == "NOT_FOUND")
        #expect(h.deliveries("orders/cancelled").isEmpty)
    }

    @Test func orderCancelWithoutRefundKeepsThePaymentAndStock() throws {
        let (h, id, _, item) = try Self.ordered()
        let r = h.graphQL2610(Self.cancel, variables: ["id": .string("gid://shopify/Order/\(id)"), "refund": false, "restock": false])
        #expect(r.json["data"]?["orderCancel"]?["orderCancelUserErrors"] == [])
        let rest = h.send(.get, "orders/\(id).json").json["order"]
        #expect(rest?["cancelled_at"] != .null)
        #expect(rest?["financial_status"] == "paid")
        #expect(h.restStock(item) == 7)
    }

    @Test func fulfillmentCreateFulfilsTheFulfillmentOrderAndFiresOrdersFulfilled() throws {
        let (h, id, _, _) = try Self.ordered()
        try h.shop.registerWebhook(topic: "orders/fulfilled", address: "http://127.0.0.1:9000/w")
        let fo = h.graphQL2610("{ order(id: \"gid://shopify/Order/\(id)\") { fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 5) { nodes { id remainingQuantity } } } } } }")
        let node = try #require(fo.json["data"]?["order"]?["fulfillmentOrders"]?["nodes"]?[0])
        #expect(node["status"] == "OPEN")
        #expect(node["lineItems"]?["nodes"]?[0]?["remainingQuantity"] == 3)
        let foID = try #require(node["id"]?.string)
        let create = """
            mutation F($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id status } userErrors { field message } } }
            """
        let r = h.graphQL2610(create, variables: ["f": ["lineItemsByFulfillmentOrder": [["fulfillmentOrderId": .string(foID)]], "notifyCustomer": false]])
        #expect(r.json["data"]?["fulfillmentCreate"]?["userErrors"] == [])
        #expect(r.json["data"]?["fulfillmentCreate"]?["fulfillment"]?["status"] == "SUCCESS")
        #expect(h.send(.get, "orders/\(id).json").json["order"]?["fulfillment_status"] == "fulfilled")
        #expect(h.deliveries("orders/fulfilled").count == 1)
        let after = h.graphQL2610("{ order(id: \"gid://shopify/Order/\(id)\") { displayFulfillmentStatus fulfillmentOrders(first: 5) { nodes { status } } } }")
        #expect(after.json["data"]?["order"]?["fulfillmentOrders"]?["nodes"]?[0]?["status"] == "CLOSED")
        #expect(after.json["data"]?["order"]?["displayFulfillmentStatus"] == "FULFILLED")

        let twice = h.graphQL2610(create, variables: ["f": ["lineItemsByFulfillmentOrder": [["fulfillmentOrderId": .string(foID)]]]])
        #expect(twice.json["data"]?["fulfillmentCreate"]?["fulfillment"] == .null)
        #expect(twice.json["data"]?["fulfillmentCreate"]?["userErrors"]?[0]?["message"] == "Nothing left to fulfill on this order")
        let unknown = h.graphQL2610(create, variables: ["f": ["lineItemsByFulfillmentOrder": [["fulfillmentOrderId": "gid://shopify/FulfillmentOrder/999999"]]]])
        #expect(unknown.json["data"]?["fulfillmentCreate"]?["userErrors"]?[0]?["field"] == ["fulfillment", "lineItemsByFulfillmentOrder", "0", "fulfillmentOrderId"])
        #expect(h.deliveries("orders/fulfilled").isEmpty)
    }
}

@Suite struct ShopifyGraphQLWebhookMutationTests {
    static let create = """
        mutation W($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
          webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { webhookSubscription { id topic uri format } userErrors { field message } }
        }
        """

    @Test func subscriptionsMadeOverGraphQLDeliverRESTShapedBodiesAndCanBeUpdatedAndDeleted() throws {
        let h = ShopifyHarness()
        let r = h.graphQL2610(Self.create, variables: ["topic": "CUSTOMERS_CREATE", "sub": ["uri": "http://127.0.0.1:9000/shopify", "format": "JSON"]])
        #expect(r.json["data"]?["webhookSubscriptionCreate"]?["userErrors"] == [])
        let sub = try #require(r.json["data"]?["webhookSubscriptionCreate"]?["webhookSubscription"])
        #expect(sub["topic"] == "CUSTOMERS_CREATE")
        #expect(sub["uri"] == "http://127.0.0.1:9000/shopify")
        let rest = h.send(.get, "webhooks.json").json["webhooks"]
        #expect(rest?[0]?["topic"] == "customers/create")
        #expect(rest?[0]?["address"] == "http://127.0.0.1:9000/shopify")
        _ = h.graphQL2610(Self.create, variables: ["topic": "INVENTORY_LEVELS_UPDATE", "sub": ["uri": "http://127.0.0.1:9000/stock"]])
        #expect(h.send(.get, "webhooks.json").json["webhooks"]?[1]?["topic"] == "inventory_levels/update")

        _ = try h.shop.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: nil)
        let delivery = try #require(h.shop.takeDueWebhooks().first)
        #expect(delivery.topic == "customers/create")
        #expect(delivery.headers["X-Shopify-Topic"] == "customers/create")
        #expect((try JSONValue.parse(delivery.body))["email"] == "ana@example.mx")

        let list = h.graphQL2610("{ webhookSubscriptions(first: 10, topics: [CUSTOMERS_CREATE]) { nodes { id topic uri } } }")
        #expect(list.json["data"]?["webhookSubscriptions"]?["nodes"]?.array?.map { $0["topic"] } == ["CUSTOMERS_CREATE"])
        let id = try #require(sub["id"]?.string)
        let update = h.graphQL2610("""
            mutation U($id: ID!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionUpdate(id: $id, webhookSubscription: $sub) { webhookSubscription { uri } userErrors { field message } } }
            """, variables: ["id": .string(id), "sub": ["uri": "http://127.0.0.1:9001/nuevo"]])
        #expect(update.json["data"]?["webhookSubscriptionUpdate"]?["webhookSubscription"]?["uri"] == "http://127.0.0.1:9001/nuevo")
        #expect(h.send(.get, "webhooks.json").json["webhooks"]?[0]?["address"] == "http://127.0.0.1:9001/nuevo")
        let delete = h.graphQL2610("mutation D($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { message } } }",
                                   variables: ["id": .string(id)])
        #expect(delete.json["data"]?["webhookSubscriptionDelete"]?["deletedWebhookSubscriptionId"] == .string(id))
        #expect(h.send(.get, "webhooks.json").json["webhooks"]?.array?.count == 1)
    }

    @Test func invalidOrDuplicateSubscriptionsAreUserErrors() throws {
        let h = ShopifyHarness()
        let bad = h.graphQL2610(Self.create, variables: ["topic": "ORDERS_CREATE", "sub": ["uri": "no es url"]])
        #expect(bad.json["data"]?["webhookSubscriptionCreate"]?["userErrors"]?[0]?["field"] == ["webhookSubscription", "uri"])
        #expect(bad.json["data"]?["webhookSubscriptionCreate"]?["webhookSubscription"] == .null)
        _ = h.graphQL2610(Self.create, variables: ["topic": "ORDERS_CREATE", "sub": ["uri": "http://127.0.0.1:9000/o"]])
        let dup = h.graphQL2610(Self.create, variables: ["topic": "ORDERS_CREATE", "sub": ["uri": "http://127.0.0.1:9000/o"]])
        #expect(dup.json["data"]?["webhookSubscriptionCreate"]?["userErrors"]?.array?.isEmpty == false)
        #expect(h.send(.get, "webhooks.json").json["webhooks"]?.array?.count == 1)
        let unknownTopic = h.graphQL2610(Self.create, variables: ["topic": "CARTS_CREATE", "sub": ["uri": "http://127.0.0.1:9000/o"]])
        #expect(unknownTopic.json["errors"]?.array?.isEmpty == false)
    }
}
