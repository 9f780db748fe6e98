import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct WooCommerceCustomerTests {
    /// The keys of Tests/Fixtures/woocommerce/customers--retrieve-a-customer.json.
    static let fixtureKeys: Set<String> = ["_links", "avatar_url", "billing", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt",
                                           "email", "first_name", "id", "is_paying_customer", "last_name", "meta_data", "role", "shipping", "username"]
    static let billingKeys: Set<String> = ["first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode", "country", "email", "phone"]
    static let shippingKeys: Set<String> = ["first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode", "country"]

    @Test func customerCRUD() throws {
        let site = WooTestSite()
        let created = site.call(.post, "customers", json: [
            "email": "lucia.perez@example.mx", "first_name": "Lucía", "last_name": "Pérez",
            "billing": ["city": "Puebla", "phone": "+52 222 123 4567"], "meta_data": [["key": "oorden_id", "value": "c-1"]],
        ], expect: 201)
        #expect(keysOf(created) == Self.fixtureKeys)
        #expect(keysOf(created["billing"]) == Self.billingKeys)
        #expect(keysOf(created["shipping"]) == Self.shippingKeys)
        #expect(created["username"]?.string == "lucia.perez")
        #expect(created["role"]?.string == "customer")
        #expect(created["date_created_gmt"]?.string == "2026-11-29T15:00:05")
        #expect(created["date_created"]?.string == "2026-11-29T09:00:05")  // site timezone -06:00
        #expect(created["billing"]?["city"]?.string == "Puebla")
        let id = try #require(created["id"]?.int)
        let metaID = try #require(created["meta_data"]?[0]?["id"]?.int)
        #expect(created["meta_data"]?[0]?["key"]?.string == "oorden_id")

        site.clock.advance(by: 65_000)
        let updated = site.call(.put, "customers/\(id)", json: ["first_name": "Lucy", "meta_data": [["id": .integer(metaID), "key": "oorden_id", "value": "c-2"]]])
        #expect(updated["first_name"]?.string == "Lucy")
        #expect(updated["last_name"]?.string == "Pérez")
        #expect(updated["meta_data"]?.array?.count == 1)
        #expect(updated["meta_data"]?[0]?["value"]?.string == "c-2")
        #expect(updated["date_modified_gmt"]?.string == "2026-11-29T15:01:10")
        #expect(updated["date_created_gmt"]?.string == "2026-11-29T15:00:05")

        let viaPost = site.call(.post, "customers/\(id)", json: ["last_name": "Pérez Ruiz"])
        #expect(viaPost["last_name"]?.string == "Pérez Ruiz")
        #expect(site.call(.get, "customers/\(id)")["first_name"]?.string == "Lucy")

        let notForced = site.call(.delete, "customers/\(id)", expect: 501)
        #expect(notForced["code"]?.string == "woocommerce_rest_trash_not_supported")
        #expect(site.woo.customers().count == 1)
        let deleted = site.call(.delete, "customers/\(id)", query: [QueryItem("force", "true")])
        #expect(deleted["id"]?.int == id)
        #expect(site.woo.customers().isEmpty)
        let missing = site.call(.get, "customers/\(id)", expect: 404)
        #expect(missing["code"]?.string == "woocommerce_rest_customer_invalid_id")
        #expect(missing["message"]?.string == "Invalid ID.")
    }

    @Test func duplicateEmailIsRefused() {
        let site = WooTestSite()
        _ = site.call(.post, "customers", json: ["email": "dup@example.mx"], expect: 201)
        let dup = site.call(.post, "customers", json: ["email": "DUP@example.mx"], expect: 400)
        #expect(dup["code"]?.string == "registration-error-email-exists")
        #expect(site.woo.customers().count == 1)
        let missing = site.call(.post, "customers", json: ["first_name": "Sin correo"], expect: 400)
        #expect(missing["code"]?.string == "rest_missing_callback_param")
    }

    @Test func emailFilterAndOrderByID() throws {
        let site = WooTestSite()
        for i in 1...4 { _ = site.call(.post, "customers", json: ["email": .string("c\(i)@example.mx"), "first_name": .string("Z\(5 - i)")], expect: 201) }
        let found = site.call(.get, "customers", query: [QueryItem("email", "c3@example.mx")])
        #expect(found.array?.count == 1)
        #expect(found[0]?["email"]?.string == "c3@example.mx")
        let byID = site.call(.get, "customers", query: [QueryItem("orderby", "id"), QueryItem("order", "asc")])
        let ids = byID.array?.compactMap { $0["id"]?.int } ?? []
        #expect(ids == ids.sorted())
        #expect(ids.count == 4)
        // Unsupported filters (customers have no modified_after) are ignored, as WordPress does.
        let ignored = site.call(.get, "customers", query: [QueryItem("modified_after", "2030-01-01T00:00:00")])
        #expect(ignored.array?.count == 4)
    }

    @Test func pagingAcrossThreePagesWithHeaders() throws {
        let site = WooTestSite()
        for i in 1...25 { _ = site.call(.post, "customers", json: ["email": .string("p\(i)@example.mx")], expect: 201) }
        var seen: [Int] = []
        for page in 1...3 {
            let response = site.send(.get, "customers", query: [QueryItem("per_page", "10"), QueryItem("page", String(page)), QueryItem("orderby", "id")])
            #expect(response.status == 200)
            #expect(response.headers["X-WP-Total"] == "25")
            #expect(response.headers["X-WP-TotalPages"] == "3")
            let link = response.headers["Link"] ?? ""
            #expect(link.contains("rel=\"next\"") == (page < 3))
            #expect(link.contains("rel=\"prev\"") == (page > 1))
            if page < 3 { #expect(link.contains("page=\(page + 1)>")) }
            seen += site.body(response).array?.compactMap { $0["id"]?.int } ?? []
        }
        #expect(seen.count == 25)
        #expect(Set(seen).count == 25)
        let offset = site.call(.get, "customers", query: [QueryItem("per_page", "5"), QueryItem("offset", "22"), QueryItem("orderby", "id")])
        #expect(offset.array?.compactMap { $0["id"]?.int } == Array(seen[22...]))
        let beyond = site.call(.get, "customers", query: [QueryItem("page", "9")])
        #expect(beyond.array?.isEmpty == true)
    }

    @Test func invalidParametersAndRoutes() {
        let site = WooTestSite()
        let tooMany = site.call(.get, "customers", query: [QueryItem("per_page", "101")], expect: 400)
        #expect(tooMany["code"]?.string == "rest_invalid_param")
        #expect(tooMany["message"]?.string == "Invalid parameter(s): per_page")
        #expect(tooMany["data"]?["params"]?["per_page"]?.string == "per_page must be between 1 (inclusive) and 100 (inclusive)")
        let pageZero = site.call(.get, "customers", query: [QueryItem("page", "0")], expect: 400)
        #expect(pageZero["message"]?.string == "Invalid parameter(s): page")
        let wrongType = site.call(.post, "customers", json: ["email": "t@example.mx", "first_name": 12], expect: 400)
        #expect(wrongType["code"]?.string == "rest_invalid_param")
        #expect(wrongType["message"]?.string == "Invalid parameter(s): first_name")
        #expect(site.woo.customers().isEmpty)
        let badJSON = site.woo.handle(StoreRequest(method: .post, path: "/wp-json/wc/v3/customers",
                                                   headers: HeaderFields([("Content-Type", "application/json")] + site.basicAuth.fields.map { ($0.name, $0.value) }),
                                                   body: Data("{\"email\": ".utf8))).response!
        #expect(badJSON.status == 400)
        #expect(site.body(badJSON)["code"]?.string == "rest_invalid_json")
        let noRoute = site.call(.get, "coupons/abc", expect: 404)
        #expect(noRoute["code"]?.string == "rest_no_route")
        #expect(site.call(.patch, "customers", expect: 404)["code"]?.string == "rest_no_route")
    }

    @Test func batchCreateUpdateDelete() throws {
        let site = WooTestSite()
        let existing = try site.woo.createCustomer(email: "old@example.mx", firstName: "Old", lastName: "One")
        let gone = try site.woo.createCustomer(email: "gone@example.mx", firstName: "Gone", lastName: "Soon")
        let result = site.call(.post, "customers/batch", json: [
            "create": [["email": "new1@example.mx"], ["email": "old@example.mx"]],
            "update": [["id": .integer(existing), "first_name": "Nuevo"]],
            "delete": [.integer(gone)],
        ])
        #expect(result["create"]?[0]?["email"]?.string == "new1@example.mx")
        #expect(result["create"]?[1]?["error"]?["code"]?.string == "registration-error-email-exists")
        #expect(result["update"]?[0]?["first_name"]?.string == "Nuevo")
        #expect(result["delete"]?[0]?["id"]?.int == gone)
        #expect(Set(site.woo.customers().compactMap { $0["email"]?.string }) == ["old@example.mx", "new1@example.mx"])
        let tooBig = site.call(.post, "customers/batch", json: ["create": .array((0...100).map { .object(["email": .string("b\($0)@example.mx")]) })], expect: 413)
        #expect(tooBig["code"]?.string == "woocommerce_rest_request_entity_too_large")
        #expect(tooBig["message"]?.string == "Unable to accept more than 100 items for this request.")
        #expect(site.woo.customers().count == 2)
        #expect(site.woo.requestCounts()["POST customers/batch"] == 2)
    }

    @Test func currencyEndpoints() {
        let site = WooTestSite()
        let setting = site.call(.get, "settings/general/woocommerce_currency")
        #expect(setting["id"]?.string == "woocommerce_currency")
        #expect(setting["value"]?.string == "MXN")
        #expect(setting["group_id"]?.string == "general")
        let current = site.call(.get, "data/currencies/current")
        #expect(current["code"]?.string == "MXN")
        #expect(current["name"]?.string == "Mexican peso")
    }
}
