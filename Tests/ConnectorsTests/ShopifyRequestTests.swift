import Connectors
import Foundation
import SyncCore
import Testing

/// Exact requests built for Shopify: method, path, query order and body bytes.
@Suite struct ShopifyRequestTests {
    let api = ShopifyAPI(version: "2024-10")
    /// 2026-11-29T15:00:05Z
    let cursor: Int64 = 1_795_964_405_000

    func body(_ r: StoreRequest) -> String { String(decoding: r.body, as: UTF8.self) }

    @Test func customerListFirstPageAndNextPage() {
        let first = api.customers(limit: 500, updatedAtMin: cursor, fields: ["id", "email", "updated_at"])
        #expect(first.method == .get)
        #expect(first.path == "/admin/api/2024-10/customers.json")
        #expect(first.query == [QueryItem("limit", "250"), QueryItem("updated_at_min", "2026-11-29T15:00:05Z"), QueryItem("fields", "id,email,updated_at")])
        #expect(first.body.isEmpty)
        #expect(first.headers["X-Shopify-Access-Token"] == nil)  // unsigned: the client adds auth
        let next = api.customersPage(pageInfo: "eyJsYXN0X2lkIjo0fQ", limit: 100)
        #expect(next.query == [QueryItem("limit", "100"), QueryItem("page_info", "eyJsYXN0X2lkIjo0fQ")])
        #expect(next.target == "/admin/api/2024-10/customers.json?limit=100&page_info=eyJsYXN0X2lkIjo0fQ")
    }

    @Test func linkHeaderPaging() {
        let headers: HeaderFields = [
            "link": #"<https://s.myshopify.com/admin/api/2024-10/customers.json?page_info=PREV&limit=250>; rel="previous", <https://s.myshopify.com/admin/api/2024-10/customers.json?limit=250&page_info=NEXT%3D>; rel="next""#,
        ]
        #expect(ShopifyPage.nextPageInfo(from: headers) == "NEXT=")
        #expect(ShopifyPage.previousPageInfo(from: headers) == "PREV")
        let last: HeaderFields = ["Link": #"<https://s.myshopify.com/admin/api/2024-10/customers.json?page_info=PREV&limit=250>; rel="previous""#]
        #expect(ShopifyPage.nextPageInfo(from: last) == nil)
        #expect(ShopifyPage.nextPageInfo(from: HeaderFields()) == nil)
        // A link that repeats `fields=id,email`: the comma inside the URL does not split the entry.
        let withFields: HeaderFields = [
            "Link": #"<https://s.myshopify.com/admin/api/2024-10/orders.json?limit=2&fields=id,email&page_info=P1>; rel="previous", <https://s.myshopify.com/admin/api/2024-10/orders.json?limit=2&fields=id,email&page_info=N2>; rel="next""#,
        ]
        #expect(ShopifyPage.nextPageInfo(from: withFields) == "N2")
        #expect(ShopifyPage.previousPageInfo(from: withFields) == "P1")
    }

    @Test func partialCustomerUpdateSendsOnlyChangedFields() throws {
        let shadow = ContactRecord(store: .shopify, remoteID: "1", email: "a@b.mx", firstName: "Ana", lastName: "Ruiz")
        let edited = try shadow.applying([.phone: .string("+5215512345678")])
        let r = api.updateCustomer(edited, fields: [.phone])
        #expect(r.method == .put)
        #expect(r.path == "/admin/api/2024-10/customers/1.json")
        #expect(body(r) == #"{"customer":{"id":1,"phone":"+5215512345678"}}"#)
        #expect(r.headers["Content-Type"] == "application/json; charset=utf-8")
        let cleared = api.updateCustomer(try edited.applying([.note: .null]), fields: [.note])
        #expect(body(cleared) == #"{"customer":{"id":1,"note":null}}"#)
    }

    @Test func createCustomerCarriesMarkerAndAddress() throws {
        let marker = try #require(EntityID(hex: "000102030405060708090a0b0c0d0e0f"))
        let c = ContactRecord(
            store: .shopify, remoteID: "", email: "a@b.mx", firstName: "Ana", lastName: "Ruiz", company: "ACME",
            address: PostalAddress(line1: "Reforma 1", city: "CDMX", region: "CMX", postalCode: "06600", countryCode: "MX"))
        let r = api.createCustomer(c, marker: marker)
        #expect(r.method == .post && r.path == "/admin/api/2024-10/customers.json")
        let json = try JSONValue.parse(r.body)
        #expect(json == [
            "customer": [
                "email": "a@b.mx", "first_name": "Ana", "last_name": "Ruiz",
                "addresses": [[
                    "address1": "Reforma 1", "address2": nil, "city": "CDMX", "province_code": "CMX", "zip": "06600",
                    "country_code": "MX", "phone": nil, "company": "ACME", "default": true,
                ]],
                "metafields": [["namespace": "oorden", "key": "entity_id", "value": "000102030405060708090a0b0c0d0e0f", "type": "single_line_text_field"]],
            ],
        ])
    }

    @Test func searchNormalizesTheEmail() {
        let r = api.searchCustomers(email: "  Bob.Norman@HostMail.com ")
        #expect(r.path == "/admin/api/2024-10/customers/search.json")
        #expect(r.query == [QueryItem("query", "email:bob.norman@hostmail.com")])
        #expect(api.setCustomerMarker(customerID: "7", marker: EntityID(high: 0, low: 1)).path == "/admin/api/2024-10/customers/7/metafields.json")
        #expect(api.deleteCustomer(id: "7").method == .delete)
    }

    @Test func productUpdateSplitsVariantAndProductFields() throws {
        let r = ProductRecord(
            store: .shopify, remoteProductID: "10", remoteVariantID: "20", sku: "A", name: "Shirt - Red", productTitle: "Shirt",
            variantTitle: "Red", price: try ExactDecimal("19.9"))
        let edited = try r.applying([.price: .decimal(try ExactDecimal("21.5")), .name: .string("Tee - Red")])
        let reqs = api.updateProduct(edited, fields: [.price, .name])
        #expect(reqs.map(\.path) == ["/admin/api/2024-10/products/10.json", "/admin/api/2024-10/variants/20.json"])
        #expect(body(reqs[0]) == #"{"product":{"id":10,"title":"Tee"}}"#)
        #expect(body(reqs[1]) == #"{"variant":{"id":20,"price":"21.50"}}"#)
        #expect(api.updateProduct(edited, fields: []).isEmpty)
        #expect(body(api.archiveProduct(id: "10")) == #"{"product":{"id":10,"status":"archived"}}"#)
    }

    @Test func createProductWithVariants() throws {
        let red = ProductRecord(store: .shopify, remoteProductID: "", sku: "S-R", name: "Shirt - Red", productTitle: "Shirt", variantTitle: "Red", price: ExactDecimal(10), manageStock: true)
        let r = api.createProduct(title: "Shirt", variants: [red])
        #expect(body(r) == #"{"product":{"options":[{"name":"Title"}],"status":"active","title":"Shirt","variants":[{"inventory_management":"shopify","option1":"Red","price":"10.00","sku":"S-R","taxable":true}]}}"#)
    }

    @Test func inventoryAdjustIsRelative() {
        let r = api.adjustInventory(inventoryItemID: "808950810", locationID: "905684977", delta: -3)
        #expect(r.method == .post)
        #expect(r.path == "/admin/api/2024-10/inventory_levels/adjust.json")
        #expect(body(r) == #"{"available_adjustment":-3,"inventory_item_id":808950810,"location_id":905684977}"#)
        let set = api.setInventory(inventoryItemID: "1", locationID: "2", available: 5)
        #expect(set.path == "/admin/api/2024-10/inventory_levels/set.json")
        #expect(body(set) == #"{"available":5,"inventory_item_id":1,"location_id":2}"#)
        let get = api.inventoryLevels(inventoryItemIDs: ["1", "2"], locationIDs: ["9"])
        #expect(get.query == [QueryItem("limit", "250"), QueryItem("inventory_item_ids", "1,2"), QueryItem("location_ids", "9")])
    }

    @Test func ordersAndOrderActions() {
        let list = api.orders(limit: 50, updatedAtMin: cursor)
        #expect(list.query == [QueryItem("limit", "50"), QueryItem("status", "any"), QueryItem("updated_at_min", "2026-11-29T15:00:05Z")])
        let update = api.updateOrder(id: "450789469", .init(note: "Gift wrap"))
        #expect(update.method == .put && update.path == "/admin/api/2024-10/orders/450789469.json")
        #expect(body(update) == #"{"order":{"id":450789469,"note":"Gift wrap"}}"#)
        let cancel = api.cancelOrder(id: "450789469")
        #expect(cancel.method == .post && cancel.path == "/admin/api/2024-10/orders/450789469/cancel.json")
        #expect(body(cancel) == #"{"email":false,"reason":"other","restock":true}"#)
        #expect(api.closeOrder(id: "5").path == "/admin/api/2024-10/orders/5/close.json")
        #expect(api.ordersCount(updatedAtMin: nil).query == [QueryItem("status", "any")])
    }

    @Test func webhookRegistration() throws {
        let r = api.registerWebhook(topic: "orders/create", address: "https://sync.example/hooks/shopify")
        #expect(r.method == .post && r.path == "/admin/api/2024-10/webhooks.json")
        #expect(body(r) == #"{"webhook":{"address":"https://sync.example/hooks/shopify","format":"json","topic":"orders/create"}}"#)
        #expect(api.deleteWebhook(id: "4759306").path == "/admin/api/2024-10/webhooks/4759306.json")
        let parsed = try ShopifyAPI.webhooks(from: Data(#"{"webhooks":[{"id":4759306,"topic":"orders/create","address":"https://x/h","format":"json"}]}"#.utf8))
        #expect(parsed == [WebhookSubscription(id: "4759306", topic: "orders/create", address: "https://x/h")])
        #expect(try ShopifyAPI.count(from: Data(#"{"count": 1203}"#.utf8)) == 1203)
    }
}
