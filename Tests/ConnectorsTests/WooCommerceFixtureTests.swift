import Connectors
import Foundation
import SyncCore
import Testing

/// Golden parsing of the WooCommerce REST v3 documentation's examples, values checked by hand.
@Suite struct WooCommerceFixtureTests {
    func data(_ name: String) throws -> Data { try FixtureFiles.data("woocommerce", name) }
    func d(_ s: String) throws -> ExactDecimal { try ExactDecimal(s) }

    @Test func customer() throws {
        let c = try WooCommerceAPI.contact(from: data("customers--retrieve-a-customer.json"))
        #expect(c.store == .woocommerce)
        #expect(c.remoteID == "25")
        #expect(c.email == "john.doe@example.com")
        #expect(c.firstName == "John" && c.lastName == "Doe")
        #expect(c.phone == "(555) 555-5555")
        #expect(c.company == nil)  // "" reads as unset
        #expect(c.address == PostalAddress(line1: "969 Market", city: "San Francisco", region: "CA", postalCode: "94103", countryCode: "US"))
        #expect(c.updatedAt == 1_490_123_370_000)  // date_modified_gmt 2017-03-21T19:09:30
        #expect(c.canonicalFields[.note] == nil)  // WooCommerce customers have no note
        let updated = try WooCommerceAPI.contact(from: data("customers--update-a-customer.json"))
        #expect(updated.firstName == "James")
    }

    @Test func customerList() throws {
        let cs = try WooCommerceAPI.contacts(from: data("customers--list-all-customers.json"))
        #expect(cs.map(\.remoteID) == ["26", "25"])
        #expect(cs.map(\.email) == ["joao.silva@example.com", "john.doe@example.com"])
    }

    @Test func customerBatch() throws {
        let b = try WooCommerceAPI.batchResult(from: data("customers--batch-update-customers.json"))
        #expect(try WooCommerceAPI.contacts(from: JSONValue.array(b.created).jsonData).map(\.remoteID) == ["27", "28"])
        #expect(b.updated.count == 1 && b.deleted.count == 1)
    }

    @Test func orderWithTaxRateLookup() throws {
        let o = try WooCommerceAPI.order(from: data("orders--retrieve-an-order.json"))
        #expect(o.remoteID == "727")
        #expect(o.number == "727")
        #expect(o.storeStatus == "processing")
        #expect(o.lifecycle == OrderLifecycle(financial: .paid, fulfillment: .unfulfilled))
        #expect(o.customerRemoteID == nil)  // customer_id 0: a guest
        #expect(o.email == "john.doe@example.com")
        #expect(o.currency == "USD")
        #expect(o.taxesIncluded == false)
        #expect(o.total == (try d("29.35")))
        #expect(o.totalTax == (try d("1.35")))
        #expect(o.subtotal == (try d("18.00")))
        #expect(o.shippingLines == [OrderShippingLine(title: "Flat Rate", price: ExactDecimal(10), tax: .zero)])
        #expect(o.lines.count == 2)
        #expect(o.lines[0].remoteID == "315" && o.lines[0].sku == nil && o.lines[0].remoteVariantID == nil)
        #expect(o.lines[0].quantity == 2 && o.lines[0].unitPrice == ExactDecimal(3) && o.lines[0].subtotal == ExactDecimal(6))
        #expect(o.lines[1].sku == "Bar3" && o.lines[1].remoteProductID == "22" && o.lines[1].remoteVariantID == "23")
        #expect(o.lines[1].taxLines == [OrderTaxLine(title: "State Tax", ratePercent: nil, rateID: "75", amount: try d("0.9"))])
        #expect(o.taxLines == [OrderTaxLine(title: "State Tax", ratePercent: nil, rateID: "75", amount: try d("1.35"))])
        #expect(o.paidAt == 1_490_210_888_000)  // date_paid_gmt 2017-03-22T19:28:08
        #expect(o.completedAt == nil)
        // The order carries no rate_percent: the /taxes list supplies it by rate id (75 = 7.5 %).
        #expect(o.taxPercents.isEmpty)
        #expect(o.unresolvedTaxRateIDs == ["75"])
        let rates = try WooCommerceAPI.taxRates(from: data("taxes--list-all-tax-rates.json"))
        let resolved = o.resolvingTaxRates(rates)
        #expect(resolved.taxPercents == [try d("7.5")])
        #expect(resolved.unresolvedTaxRateIDs.isEmpty)
        #expect(resolved.lines[1].taxLines[0].ratePercent == (try d("7.5")))
    }

    @Test func orderRatePercentFromNewerStores() throws {
        let json = try JSONValue.parse(#"""
        {"id": 1, "status": "completed", "currency": "MXN", "total": "116.00", "total_tax": "16.00",
         "line_items": [{"id": 2, "name": "A", "product_id": 3, "variation_id": 0, "quantity": 1, "subtotal": "100.00",
                         "total": "100.00", "taxes": [{"id": 9, "total": "16.00", "subtotal": "16.00"}], "sku": "A1"}],
         "tax_lines": [{"id": 4, "rate_code": "MX-IVA-1", "rate_id": 9, "label": "IVA", "compound": false,
                        "tax_total": "16.00", "shipping_tax_total": "0.00", "rate_percent": 16}]}
        """#)
        let o = try WooCommerceAPI.order(json: json)
        #expect(o.taxPercents == [ExactDecimal(16)])
        #expect(o.lines[0].taxLines[0].title == "IVA")
        #expect(o.lifecycle == OrderLifecycle(financial: .paid, fulfillment: .fulfilled))
    }

    @Test func orderListWithRefunds() throws {
        let orders = try WooCommerceAPI.orders(from: data("orders--list-all-orders.json"))
        #expect(orders.map(\.remoteID) == ["727", "723"])
        let o = orders[1]
        #expect(o.storeStatus == "completed")
        #expect(o.lifecycle.financial == .partiallyRefunded)
        #expect(o.lifecycle.fulfillment == .fulfilled)
        #expect(o.customerRemoteID == "26")
        #expect(o.refunds.map(\.remoteID) == ["726", "724"])
        #expect(o.refunds.map(\.amount) == [ExactDecimal(10), ExactDecimal(9)])
        #expect(o.refundedTotal == ExactDecimal(19))
        #expect(o.total == (try d("39.00")))
    }

    @Test func refunds() throws {
        let rs = try WooCommerceAPI.refunds(from: data("order-refunds--list-all-refunds.json"))
        #expect(rs.map(\.remoteID) == ["726", "724"])
        #expect(rs[1].amount == ExactDecimal(9))
        #expect(rs[1].lines == [OrderRefund.Line(lineID: "311", quantity: 1, subtotal: ExactDecimal(9))])
        let one = try WooCommerceAPI.refund(from: data("order-refunds--retrieve-a-refund.json"))
        #expect(one.amount == ExactDecimal(10) && one.lines.isEmpty && one.createdAt == ISO8601Time.parse("2017-03-21T20:07:11"))
    }

    @Test func simpleProduct() throws {
        let records = try WooCommerceAPI.productRecords(product: JSONValue.parse(data("products--retrieve-a-product.json")))
        let p = try #require(records.first)
        #expect(records.count == 1)
        #expect(p.remoteProductID == "794" && p.remoteVariantID == nil)
        #expect(p.name == "Premium Quality")
        #expect(p.sku == nil)
        #expect(p.price == (try d("21.99")))
        #expect(p.compareAtPrice == nil)
        #expect(p.taxable && p.active && !p.manageStock)
        #expect(p.stockQuantity == nil)
        #expect(p.updatedAt == ISO8601Time.parse("2017-03-23T20:01:14"))
        let updated = try WooCommerceAPI.productRecords(product: JSONValue.parse(data("products--update-a-product.json")))
        #expect(updated.first?.price == (try d("24.54")))
    }

    @Test func variableProductExpandsIntoVariations() throws {
        let product = try JSONValue.parse(data("products--create-a-product-2.json"))
        #expect(WooCommerceAPI.isVariable(product))
        #expect(try WooCommerceAPI.productRecords(product: product).isEmpty)  // no variations given
        let variations = try WooCommerceAPI.variationObjects(from: data("product-variations--list-all-product-variations.json"))
        let records = try WooCommerceAPI.productRecords(product: product, variations: variations)
        #expect(records.map(\.remoteVariantID) == ["733", "732"])
        #expect(records.map(\.name) == ["Ship Your Idea - Green", "Ship Your Idea - Black"])
        #expect(records.allSatisfy { $0.remoteProductID == "799" && $0.price == ExactDecimal(9) && $0.active })
    }

    @Test func productList() throws {
        let objects = try WooCommerceAPI.productObjects(from: data("products--list-all-products.json"))
        #expect(objects.map(WooCommerceAPI.isVariable) == [true, false])
        let simple = try WooCommerceAPI.productRecords(product: objects[1])
        #expect(simple.map(\.remoteProductID) == ["794"])
    }

    @Test func onSaleProductSellsAtTheSalePrice() throws {
        let json = try JSONValue.parse(#"{"id": 1, "type": "simple", "status": "draft", "name": "Cap", "sku": "CAP", "regular_price": "20.00", "sale_price": "15.50", "tax_status": "none", "manage_stock": true, "stock_quantity": 7, "meta_data": [{"id": 1, "key": "_oorden_entity_id", "value": "000102030405060708090a0b0c0d0e0f"}]}"#)
        let r = try #require(try WooCommerceAPI.productRecords(product: json).first)
        #expect(r.price == (try d("15.50")) && r.compareAtPrice == ExactDecimal(20))
        #expect(!r.taxable && !r.active && r.manageStock && r.stockQuantity == 7)
        #expect(r.marker == EntityID(hex: "000102030405060708090a0b0c0d0e0f"))
    }

    @Test func taxRates() throws {
        let rates = try WooCommerceAPI.taxRates(from: data("taxes--list-all-tax-rates.json"))
        #expect(rates.count == 10)
        #expect(rates[0] == TaxRateRecord(id: "72", percent: ExactDecimal(4), name: "State Tax", taxClass: "standard", country: "US", state: "AL", compound: false, shipping: false, priority: 0))
        #expect(rates.first { $0.id == "77" }?.percent == (try d("6.35")))
        #expect(rates.first { $0.id == "77" }?.shipping == true)
        let batch = try WooCommerceAPI.batchResult(from: data("taxes--batch-update-tax-rates.json"))
        #expect(try WooCommerceAPI.taxRates(from: JSONValue.array(batch.created).jsonData).first { $0.id == "94" }?.percent == (try d("6.875")))
    }

    @Test func currencyAndSettings() throws {
        #expect(try WooCommerceAPI.currency(fromCurrentCurrency: data("data--retrieve-current-currency.json")) == "USD")
        let settings = try WooCommerceAPI.settingValues(from: data("setting-options--list-all-setting-options.json"))
        #expect(settings["woocommerce_currency"] == "USD")
        let currency = Data(#"{"id":"woocommerce_currency","label":"Currency","value":"MXN"}"#.utf8)
        let taxes = Data(#"{"id":"woocommerce_prices_include_tax","value":"yes"}"#.utf8)
        let shop = try WooCommerceAPI.shopSettings(currencySetting: currency, pricesIncludeTaxSetting: taxes)
        #expect(shop == ShopSettings(store: .woocommerce, currency: "MXN", taxesIncluded: true))
    }

    @Test func webhooks() throws {
        let hooks = try WooCommerceAPI.webhooks(from: data("webhooks--list-all-webhooks.json"))
        #expect(hooks == [
            WebhookSubscription(id: "143", topic: "customer.created", address: "http://requestb.in/1g0sxmo1", status: "active"),
            WebhookSubscription(id: "142", topic: "order.updated", address: "http://requestb.in/1g0sxmo1", status: "active"),
        ])
    }
}
