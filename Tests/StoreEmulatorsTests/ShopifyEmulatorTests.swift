import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct ShopifyEmulatorTests {
    // MARK: Auth and routing

    @Test func missingOrWrongCredentialsAre401() {
        let h = ShopifyHarness()
        for headers in [HeaderFields(), HeaderFields([("X-Shopify-Access-Token", "shpat_wrong")]),
                        HeaderFields([("Authorization", "Basic " + Data("\(h.shop.credentials.apiKey):nope".utf8).base64EncodedString())])] {
            let r = h.send(.get, "shop.json", headers: headers)
            #expect(r.status == 401)
            #expect(r.json == ["errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"])
        }
    }

    @Test func tokenPasswordAndBasicAuthAreAccepted() {
        let h = ShopifyHarness()
        let c = h.shop.credentials
        let basic = "Basic " + Data("\(c.apiKey):\(c.password)".utf8).base64EncodedString()
        for headers in [HeaderFields([("X-Shopify-Access-Token", c.accessToken)]), HeaderFields([("x-shopify-access-token", c.password)]),
                        HeaderFields([("Authorization", basic)])] {
            #expect(h.send(.get, "shop.json", headers: headers).status == 200)
        }
        #expect(c.accessToken.hasPrefix("shpat_") && c.webhookSecret.hasPrefix("shpss_"))
    }

    @Test func shopReportsCurrencyTaxesAndLocation() throws {
        let h = ShopifyHarness()
        let r = h.send(.get, "shop.json")
        let shop = try #require(r.json["shop"])
        #expect(shop["currency"] == "MXN")
        #expect(shop["taxes_included"] == .bool(true))
        #expect(shop["iana_timezone"] == "America/Mexico_City")
        #expect(shop["myshopify_domain"] == "oorden-demo.myshopify.com")
        #expect(shop["enabled_presentment_currencies"] == ["MXN"])
        #expect(shop["primary_location_id"]?.int == h.shop.configuration.primaryLocationID)
        #expect(ShopifyFixtureKeys.shop.isSubset(of: h.keys(shop)))
        #expect(r.headers["Date"] == ISO8601Time.httpDate(ShopifyHarness.start))
    }

    @Test func otherSupportedVersionsAnswerAndUnknownRoutesAre404() {
        let h = ShopifyHarness()
        #expect(h.send(.get, "/admin/api/2025-01/shop.json").status == 200)
        #expect(h.send(.get, "/admin/api/2025-01/shop.json").headers["X-Shopify-API-Version"] == "2025-01")
        for path in ["/admin/api/2024-10/nothing.json", "/admin/api/latest/shop.json", "/other", "/admin/api/2024-10/customers/12.json"] {
            let r = h.send(.get, path)
            #expect(r.status == 404)
            #expect(r.json == ["errors": "Not Found"])
        }
    }

    // MARK: Customers

    @Test func customerCrudRoundTrip() throws {
        let h = ShopifyHarness()
        let created = h.send(.post, "customers.json", body: ["customer": [
            "first_name": "María", "last_name": "López", "email": "Maria.Lopez@Example.MX", "phone": "55 1234 5678",
            "addresses": [["address1": "Calle Madero 10", "city": "Ciudad de México", "zip": "06000", "country": "Mexico"]],
        ]])
        #expect(created.status == 201)
        let customer = try #require(created.json["customer"])
        let id = try #require(customer["id"]?.int)
        #expect(id >= 7_000_000_000_000)
        #expect(customer["email"] == "maria.lopez@example.mx")
        #expect(customer["phone"] == "+525512345678")
        #expect(customer["created_at"] == "2026-11-29T10:20:05-06:00")
        #expect(ShopifyFixtureKeys.customer.isSubset(of: h.keys(customer)))
        #expect(ShopifyFixtureKeys.address.isSubset(of: h.keys(customer["default_address"])))

        h.clock.advance(by: 5_000)
        let updated = h.send(.put, "customers/\(id).json", body: ["customer": ["note": "Cliente frecuente", "tags": "vip, mayoreo"]])
        #expect(updated.status == 200)
        #expect(updated.json["customer"]?["note"] == "Cliente frecuente")
        #expect(updated.json["customer"]?["tags"] == "vip, mayoreo")
        #expect(updated.json["customer"]?["updated_at"] == "2026-11-29T10:20:10-06:00")
        #expect(updated.json["customer"]?["created_at"] == "2026-11-29T10:20:05-06:00")

        #expect(h.send(.get, "customers/\(id).json").json["customer"]?["note"] == "Cliente frecuente")
        #expect(h.send(.get, "customers/count.json").json == ["count": 1])
        #expect(h.send(.delete, "customers/\(id).json").status == 200)
        #expect(h.send(.get, "customers/\(id).json").status == 404)
        #expect(h.send(.put, "customers/\(id).json", body: ["customer": ["note": "x"]]).status == 404)
        #expect(h.shop.customers().isEmpty)
    }

    @Test func duplicateEmailOrPhoneIs422() throws {
        let h = ShopifyHarness()
        try h.shop.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: "Cruz", phone: "+525511112222")
        let dupEmail = h.send(.post, "customers.json", body: ["customer": ["email": "ANA@example.mx", "first_name": "Otra"]])
        #expect(dupEmail.status == 422)
        #expect(dupEmail.json == ["errors": ["email": ["has already been taken"]]])
        let dupPhone = h.send(.post, "customers.json", body: ["customer": ["email": "b@example.mx", "phone": "5511112222"]])
        #expect(dupPhone.status == 422)
        #expect(dupPhone.json == ["errors": ["phone": ["has already been taken"]]])
        let badEmail = h.send(.post, "customers.json", body: ["customer": ["email": "not-an-email"]])
        #expect(badEmail.json == ["errors": ["email": ["is invalid"]]])
        #expect(h.shop.customers().count == 1)
    }

    @Test func searchMatchesEmailCaseInsensitively() throws {
        let h = ShopifyHarness()
        try h.shop.createCustomer(email: "luis.perez@example.mx", firstName: "Luis", lastName: "Pérez")
        try h.shop.createCustomer(email: "sofia@example.mx", firstName: "Sofía", lastName: "Reyes")
        let r = h.send(.get, "customers/search.json", query: [QueryItem("query", "email:Luis.Perez@EXAMPLE.mx")])
        #expect(r.status == 200)
        #expect(r.json["customers"]?.array?.count == 1)
        #expect(r.json["customers"]?[0]?["first_name"] == "Luis")
        #expect(h.send(.get, "customers/search.json", query: [QueryItem("query", "email:nadie@example.mx")]).json["customers"] == [])
    }

    @Test func customerMetafieldsInlineAndEndpoint() throws {
        let h = ShopifyHarness()
        let created = h.send(.post, "customers.json", body: ["customer": [
            "email": "m@example.mx", "metafields": [["namespace": "oorden", "key": "entity_id", "value": "c-42", "type": "single_line_text_field"]],
        ]])
        let id = try #require(created.json["customer"]?["id"]?.int)
        let list = h.send(.get, "customers/\(id)/metafields.json")
        #expect(list.json["metafields"]?.array?.count == 1)
        #expect(list.json["metafields"]?[0]?["value"] == "c-42")
        #expect(list.json["metafields"]?[0]?["owner_resource"] == "customer")
        let post = h.send(.post, "customers/\(id)/metafields.json", body: ["metafield": ["namespace": "oorden", "key": "entity_id", "value": "c-43", "type": "single_line_text_field"]])
        #expect(post.status == 201)
        let after = h.send(.get, "customers/\(id)/metafields.json", query: [QueryItem("namespace", "oorden")])
        #expect(after.json["metafields"]?.array?.count == 1)
        #expect(after.json["metafields"]?[0]?["value"] == "c-43")
        #expect(h.send(.get, "customers/999/metafields.json").status == 404)
    }

    // MARK: Paging and filters

    @Test func pagingWalksThreePagesWithPageInfo() throws {
        let h = ShopifyHarness()
        for i in 0..<7 { try h.shop.createCustomer(email: "c\(i)@example.mx", firstName: "C\(i)", lastName: "Prueba") }
        var seen: [Int] = []
        var pageInfo: String? = nil
        var pages = 0
        repeat {
            let query = pageInfo.map { [QueryItem("page_info", $0), QueryItem("limit", "3")] } ?? [QueryItem("limit", "3")]
            let r = h.send(.get, "customers.json", query: query)
            #expect(r.status == 200)
            seen += r.json["customers"]?.array?.compactMap { $0["id"]?.int } ?? []
            if pages > 0 { #expect(ShopifyHarness.pageInfo(r.headers["Link"], rel: "previous") != nil) }
            pageInfo = ShopifyHarness.pageInfo(r.headers["Link"], rel: "next")
            pages += 1
        } while pageInfo != nil && pages < 10
        #expect(pages == 3)
        #expect(seen.count == 7)
        #expect(seen == seen.sorted())
        #expect(Set(seen) == Set(h.shop.customers().compactMap { $0["id"]?.int }))
    }

    @Test func previousLinkGoesBack() throws {
        let h = ShopifyHarness()
        for i in 0..<5 { try h.shop.createCustomer(email: "p\(i)@example.mx", firstName: "P", lastName: "\(i)") }
        let first = h.send(.get, "customers.json", query: [QueryItem("limit", "2")])
        let next = try #require(ShopifyHarness.pageInfo(first.headers["Link"], rel: "next"))
        let second = h.send(.get, "customers.json", query: [QueryItem("page_info", next), QueryItem("limit", "2")])
        let prev = try #require(ShopifyHarness.pageInfo(second.headers["Link"], rel: "previous"))
        let back = h.send(.get, "customers.json", query: [QueryItem("page_info", prev), QueryItem("limit", "2")])
        #expect(back.json["customers"] == first.json["customers"])
    }

    @Test func pageInfoRefusesOtherParametersAndLimitIsBounded() throws {
        let h = ShopifyHarness()
        for i in 0..<3 { try h.shop.createCustomer(email: "x\(i)@example.mx", firstName: "X", lastName: "\(i)") }
        let first = h.send(.get, "customers.json", query: [QueryItem("limit", "1")])
        let next = try #require(ShopifyHarness.pageInfo(first.headers["Link"], rel: "next"))
        let mixed = h.send(.get, "customers.json", query: [QueryItem("page_info", next), QueryItem("updated_at_min", "2026-01-01T00:00:00Z")])
        #expect(mixed.status == 400)
        #expect(mixed.json["errors"]?["page_info"] != nil)
        #expect(h.send(.get, "customers.json", query: [QueryItem("page_info", "garbage")]).status == 400)
        let big = h.send(.get, "customers.json", query: [QueryItem("limit", "251")])
        #expect(big.status == 400)
        #expect(big.json["errors"]?["limit"] != nil)
        #expect(h.send(.get, "customers.json", query: [QueryItem("limit", "250")]).status == 200)
        let fields = h.send(.get, "customers.json", query: [QueryItem("fields", "id,email")])
        #expect(h.keys(fields.json["customers"]?[0]) == ["id", "email"])
    }

    @Test func updatedAtMinSelectsRecentChangesAcrossPages() throws {
        let h = ShopifyHarness()
        var ids: [Int] = []
        for i in 0..<4 { ids.append(try #require(try h.shop.createCustomer(email: "u\(i)@example.mx", firstName: "U", lastName: "\(i)")["id"]?.int)) }
        h.clock.advance(by: 60_000)
        try h.shop.updateCustomer(id: ids[1], ["note": "cambió"])
        try h.shop.updateCustomer(id: ids[3], ["note": "también"])
        let min = "2026-11-29T10:21:05-06:00"
        let page1 = h.send(.get, "customers.json", query: [QueryItem("updated_at_min", min), QueryItem("limit", "1")])
        #expect(page1.json["customers"]?[0]?["id"]?.int == ids[1])
        let next = try #require(ShopifyHarness.pageInfo(page1.headers["Link"], rel: "next"))
        let page2 = h.send(.get, "customers.json", query: [QueryItem("page_info", next), QueryItem("limit", "1")])
        #expect(page2.json["customers"]?[0]?["id"]?.int == ids[3])
        #expect(ShopifyHarness.pageInfo(page2.headers["Link"], rel: "next") == nil)
        #expect(h.send(.get, "customers/count.json", query: [QueryItem("updated_at_min", min)]).json == ["count": 2])
        #expect(h.send(.get, "customers.json", query: [QueryItem("updated_at_min", "yesterday")]).status == 400)
    }

    // MARK: Bad input

    @Test func malformedBodiesAre400AndWrongTypes422() {
        let h = ShopifyHarness()
        let malformed = h.send(.post, "customers.json", rawBody: Data("{\"customer\": {".utf8))
        #expect(malformed.status == 400)
        #expect(malformed.json == ["errors": ["customer": "Required parameter missing or invalid"]])
        #expect(h.send(.post, "products.json", body: ["title": "no envelope"]).json == ["errors": ["product": "Required parameter missing or invalid"]])
        let price = h.send(.post, "products.json", body: ["product": ["title": "Mezcal", "variants": [["price": "abc"]]]])
        #expect(price.status == 422)
        #expect(price.json == ["errors": ["price": ["is not a number"]]])
        let blank = h.send(.post, "products.json", body: ["product": ["body_html": "sin título"]])
        #expect(blank.json == ["errors": ["title": ["can't be blank"]]])
        #expect(h.send(.post, "customers.json", body: ["customer": ["tax_exempt": "maybe", "email": "t@example.mx"]]).status == 422)
        #expect(h.shop.products().isEmpty && h.shop.customers().isEmpty)
    }

    // MARK: Determinism

    @Test func sameSeedGivesSameDataAndOtherSeedDiffers() {
        func snapshot(_ seed: UInt64) -> [JSONValue] {
            let h = ShopifyHarness(seed: seed)
            h.shop.seed(customers: 8, products: 5, orders: 12)
            return [.array(h.shop.customers()), .array(h.shop.products()), .array(h.shop.orders()), .string(h.shop.credentials.accessToken)]
        }
        let a = snapshot(3), b = snapshot(3), c = snapshot(4)
        #expect(JSONValue.array(a).jsonText == JSONValue.array(b).jsonText)
        #expect(JSONValue.array(a).jsonText != JSONValue.array(c).jsonText)
    }

    @Test func seededDataIsRealisticAndCoversEveryOrderState() throws {
        let h = ShopifyHarness(seed: 11)
        h.shop.seed(customers: 10, products: 6, orders: 20)
        let customers = h.shop.customers()
        #expect(customers.count == 10)
        for c in customers {
            #expect(c["phone"]?.string?.hasPrefix("+52") == true)
            #expect(c["phone"]?.string?.count == 13)
            #expect(c["email"]?.string?.contains("@") == true)
        }
        let products = h.shop.products()
        #expect(products.count == 6)
        #expect(products.allSatisfy { (1...3).contains($0["variants"]?.array?.count ?? 0) })
        #expect(products.flatMap { $0["variants"]?.array ?? [] }.allSatisfy { $0["sku"]?.string?.isEmpty == false })
        let statuses = Set(h.shop.orders().compactMap { $0["financial_status"]?.string })
        #expect(statuses.isSuperset(of: ["pending", "authorized", "paid", "partially_refunded", "refunded", "voided"]))
        #expect(h.shop.orders().contains { $0["cancelled_at"] != .null })
        #expect(h.shop.orders().contains { $0["closed_at"] != .null })
        #expect(h.shop.orders().contains { $0["fulfillment_status"] == "fulfilled" })
        #expect(h.shop.orders().contains { $0["customer"] == .null })
    }
}
