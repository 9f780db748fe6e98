import Connectors
import Foundation
import SyncCore
import Testing

/// Exact requests built for WooCommerce: method, path, query order and body bytes.
@Suite struct WooCommerceRequestTests {
    let api = WooCommerceAPI()
    /// 2026-11-29T15:00:05Z
    let cursor: Int64 = 1_795_964_405_000

    func body(_ r: StoreRequest) -> String { String(decoding: r.body, as: UTF8.self) }

    @Test func productListIsIncrementalByModifiedGMT() {
        let r = api.products(page: 2, perPage: 500, modifiedAfter: cursor)
        #expect(r.method == .get)
        #expect(r.path == "/wp-json/wc/v3/products")
        #expect(r.query == [
            QueryItem("page", "2"), QueryItem("per_page", "100"), QueryItem("orderby", "modified"), QueryItem("order", "asc"),
            QueryItem("modified_after", "2026-11-29T15:00:05"), QueryItem("dates_are_gmt", "true"),
        ])
        #expect(r.headers["Authorization"] == nil)
        #expect(api.orders(page: 1).query == [QueryItem("page", "1"), QueryItem("per_page", "100"), QueryItem("orderby", "modified"), QueryItem("order", "asc")])
        #expect(api.variations(productID: "22", page: 3, perPage: 10).target == "/wp-json/wc/v3/products/22/variations?page=3&per_page=10")
        #expect(api.products(sku: "Bar3").query == [QueryItem("sku", "Bar3")])
    }

    @Test func customersScanByIDAndSearchByEmail() {
        #expect(api.customers(page: 1).query == [
            QueryItem("page", "1"), QueryItem("per_page", "100"), QueryItem("orderby", "id"), QueryItem("order", "asc"), QueryItem("role", "all"),
        ])
        #expect(api.customers(email: " John.Doe@Example.com").queryValue("email") == "john.doe@example.com")
        let del = api.deleteCustomer(id: "25")
        #expect(del.method == .delete && del.target == "/wp-json/wc/v3/customers/25?force=true")
    }

    @Test func partialCustomerUpdate() throws {
        let c = ContactRecord(store: .woocommerce, remoteID: "25", email: "john.doe@example.com", firstName: "John", lastName: "Doe")
        let r = api.updateCustomer(try c.applying([.phone: .string("+5215512345678"), .firstName: .string("James")]), fields: [.phone, .firstName])
        #expect(r.method == .put && r.path == "/wp-json/wc/v3/customers/25")
        #expect(body(r) == #"{"billing":{"first_name":"James","phone":"+5215512345678"},"first_name":"James"}"#)
        let cleared = api.updateCustomer(try c.applying([.company: .null]), fields: [.company])
        #expect(body(cleared) == #"{"billing":{"company":""}}"#)
    }

    @Test func createCustomerWithMarker() throws {
        let marker = try #require(EntityID(hex: "000102030405060708090a0b0c0d0e0f"))
        let c = ContactRecord(store: .woocommerce, remoteID: "", email: "a@b.mx", firstName: "Ana", lastName: "Ruiz", address: PostalAddress(line1: "Reforma 1", countryCode: "MX"))
        let r = api.createCustomer(c, marker: marker)
        #expect(r.method == .post && r.path == "/wp-json/wc/v3/customers")
        #expect(body(r) == #"{"billing":{"address_1":"Reforma 1","country":"MX","email":"a@b.mx","first_name":"Ana","last_name":"Ruiz"},"email":"a@b.mx","first_name":"Ana","last_name":"Ruiz","meta_data":[{"key":"_oorden_entity_id","value":"000102030405060708090a0b0c0d0e0f"}]}"#)
    }

    @Test func productWrites() throws {
        let simple = ProductRecord(store: .woocommerce, remoteProductID: "794", sku: "PQ", name: "Premium Quality", price: try ExactDecimal("21.99"), stockQuantity: 5, manageStock: true)
        let create = api.createProduct(simple)
        #expect(body(create) == #"{"manage_stock":true,"name":"Premium Quality","regular_price":"21.99","sku":"PQ","status":"publish","stock_quantity":5,"tax_status":"taxable","type":"simple"}"#)
        let onSale = try simple.applying([.price: .decimal(ExactDecimal(18)), .compareAtPrice: .decimal(try ExactDecimal("21.99"))])
        let upd = api.updateProduct(onSale, fields: [.price])
        #expect(upd.map(\.path) == ["/wp-json/wc/v3/products/794"])
        #expect(body(upd[0]) == #"{"regular_price":"21.99","sale_price":"18.00"}"#)

        let variation = ProductRecord(store: .woocommerce, remoteProductID: "22", remoteVariantID: "732", name: "Ship Your Idea - Black", productTitle: "Ship Your Idea", variantTitle: "Black")
        let renamed = try variation.applying([.name: .string("Ship It - Black"), .sku: .string("SYI-B")])
        let reqs = api.updateProduct(renamed, fields: [.name, .sku])
        #expect(reqs.map(\.path) == ["/wp-json/wc/v3/products/22", "/wp-json/wc/v3/products/22/variations/732"])
        #expect(body(reqs[0]) == #"{"name":"Ship It"}"#)
        #expect(body(reqs[1]) == #"{"sku":"SYI-B"}"#)
        #expect(body(api.archiveProduct(variation)) == #"{"status":"draft"}"#)
        let stock = api.setStock(variation, quantity: 12)
        #expect(stock.method == .put && stock.path == "/wp-json/wc/v3/products/22/variations/732")
        #expect(body(stock) == #"{"manage_stock":true,"stock_quantity":12}"#)
    }

    @Test func orderUpdatesAndRefunds() {
        let r = api.updateOrder(id: "727", .init(status: "completed", customerNote: "Leave at door"))
        #expect(r.method == .put && r.path == "/wp-json/wc/v3/orders/727")
        #expect(body(r) == #"{"customer_note":"Leave at door","status":"completed"}"#)
        #expect(body(api.cancelOrder(id: "727")) == #"{"status":"cancelled"}"#)
        #expect(api.refunds(orderID: "723").path == "/wp-json/wc/v3/orders/723/refunds")
    }

    @Test func settingsTaxesAndWebhooks() {
        #expect(api.currencySetting().path == "/wp-json/wc/v3/settings/general/woocommerce_currency")
        #expect(api.taxes().query == [QueryItem("page", "1"), QueryItem("per_page", "100")])
        let hook = api.createWebhook(name: "Oorden order.updated", topic: "order.updated", deliveryURL: "https://sync.example/hooks/woo", secret: "s3cret")
        #expect(hook.method == .post && hook.path == "/wp-json/wc/v3/webhooks")
        #expect(body(hook) == #"{"delivery_url":"https://sync.example/hooks/woo","name":"Oorden order.updated","secret":"s3cret","status":"active","topic":"order.updated"}"#)
        #expect(api.deleteWebhook(id: "142").target == "/wp-json/wc/v3/webhooks/142?force=true")
    }

    @Test func batchLimit() throws {
        let ok = try api.batch("products", create: [["name": "A"]], delete: ["794"])
        #expect(ok.method == .post && ok.path == "/wp-json/wc/v3/products/batch")
        #expect(body(ok) == #"{"create":[{"name":"A"}],"delete":[794]}"#)
        #expect(throws: WooCommerceBatchError.self) {
            try api.batch("products", update: Array(repeating: ["id": 1], count: 101))
        }
    }

    @Test func totalPagesPaging() {
        let headers: HeaderFields = ["X-WP-Total": "25", "X-WP-TotalPages": "3"]
        #expect(WooCommercePage.totalPages(from: headers) == 3)
        #expect(WooCommercePage.totalItems(from: headers) == 25)
        #expect(WooCommercePage.nextPage(after: 1, headers: headers) == 2)
        #expect(WooCommercePage.nextPage(after: 3, headers: headers) == nil)
        #expect(WooCommercePage.nextPage(after: 1, headers: HeaderFields(), itemCount: 10, perPage: 10) == 2)
        #expect(WooCommercePage.nextPage(after: 1, headers: HeaderFields(), itemCount: 3, perPage: 10) == nil)
    }

    @Test func wrongTypesNameTheField() throws {
        do {
            _ = try WooCommerceAPI.order(from: Data(#"{"id":727,"status":"processing","currency":"USD","line_items":[{"id":315,"quantity":"two"}]}"#.utf8))
            Issue.record("expected an error")
        } catch let e as RecordDecodingError {
            #expect(e.code == .invalidValue)
            #expect(e.message == #"order 727: field "line_items[0].quantity" expected an integer, got "two""#)
        }
        do {
            _ = try WooCommerceAPI.contacts(from: Data(#"{"code":"rest_no_route"}"#.utf8))
            Issue.record("expected an error")
        } catch let e as RecordDecodingError {
            #expect(e.code == .wrongType)
            #expect(e.message == "customers: expected an array, got object")
        }
        do {
            _ = try WooCommerceAPI.taxRates(from: Data("<html>".utf8))
            Issue.record("expected an error")
        } catch let e as RecordDecodingError {
            #expect(e.code == .malformedJSON)
        }
        do {
            _ = try WooCommerceAPI.contact(from: Data(#"{"id":25,"meta_data":[{"key":"_oorden_entity_id","value":"nope"}]}"#.utf8))
            Issue.record("expected an error")
        } catch let e as RecordDecodingError {
            #expect(e.message == #"customer 25: field "meta_data[0].value" expected a 32-digit hex entity id, got "nope""#)
        }
    }
}
