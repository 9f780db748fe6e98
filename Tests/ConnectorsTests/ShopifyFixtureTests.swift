import Connectors
import Foundation
import SyncCore
import Testing

/// Golden parsing of Shopify's own example payloads, values checked by hand against the JSON.
@Suite struct ShopifyFixtureTests {
    func d(_ s: String) throws -> ExactDecimal { try ExactDecimal(s) }

    @Test func customer() throws {
        let c = try ShopifyAPI.contact(from: FixtureFiles.data("shopify", "customer.json"))
        #expect(c.store == .shopify)
        #expect(c.remoteID == "207119551")
        #expect(c.remoteAddressID == "207119551")  // default_address.id
        #expect(c.email == "bob.norman@hostmail.com")
        #expect(c.firstName == "Bob")
        #expect(c.lastName == "Norman")
        #expect(c.phone == "555-625-1199")  // no customer phone: the default address's
        #expect(c.company == nil)
        #expect(c.note == nil)
        #expect(c.address == PostalAddress(line1: "Chestnut Street 92", city: "Louisville", region: "KY", postalCode: "40202", countryCode: "US"))
        #expect(c.marker == nil)
        #expect(c.createdAt == 1_432_764_684_000)  // 2015-05-27T18:11:24-04:00
        #expect(c.updatedAt == 1_432_764_684_000)
        #expect(c.canonicalFields[.email] == .string("bob.norman@hostmail.com"))
        #expect(c.canonicalFields[.note] == .null)
        #expect(c.canonicalFields[.address]?.jsonValue?["city"] == .string("Louisville"))
    }

    @Test func customerSearch() throws {
        let cs = try ShopifyAPI.contacts(from: FixtureFiles.data("shopify", "customers_search.json"))
        #expect(cs.map(\.remoteID) == ["207119551"])
        #expect(ContactRecord.normalizedEmail(cs[0].email) == "bob.norman@hostmail.com")
    }

    @Test func inventoryLevels() throws {
        let one = try ShopifyAPI.inventoryLevel(from: FixtureFiles.data("shopify", "inventory_level.json"))
        #expect(one == InventoryLevelRecord(inventoryItemID: "808950810", locationID: "905684977", available: 6, updatedAt: ISO8601Time.parse("2018-05-07T15:51:26-04:00")))
        let all = try ShopifyAPI.inventoryLevels(from: FixtureFiles.data("shopify", "inventory_levels.json"))
        #expect(all.count == 4)
        #expect(all.map(\.available) == [27, 1, 9, 3])
        #expect(all[2].inventoryItemID == "808950810" && all[2].locationID == "487838322")
    }

    @Test func metafieldOfAnotherNamespaceIsNoMarker() throws {
        #expect(try ShopifyAPI.marker(fromMetafields: FixtureFiles.data("shopify", "metafield.json")) == nil)
        let ours = Data(#"{"metafields":[{"id":1,"namespace":"oorden","key":"entity_id","value":"000102030405060708090a0b0c0d0e0f"}]}"#.utf8)
        #expect(try ShopifyAPI.marker(fromMetafields: ours) == EntityID(hex: "000102030405060708090a0b0c0d0e0f"))
    }

    @Test func order() throws {
        let o = try ShopifyAPI.order(from: FixtureFiles.data("shopify", "order.json"))
        #expect(o.remoteID == "450789469")
        #expect(o.number == "#1001")
        #expect(o.email == "bob.norman@hostmail.com")
        #expect(o.customerRemoteID == "207119551")
        #expect(o.currency == "USD")
        #expect(o.presentmentCurrency == nil)
        #expect(o.taxesIncluded == false)
        #expect(o.lifecycle == OrderLifecycle(financial: .authorized, fulfillment: .unfulfilled))
        #expect(o.storeStatus == "authorized")
        #expect(o.total == (try d("409.94")))
        #expect(o.totalTax == (try d("11.94")))
        #expect(o.subtotal == (try d("398.00")))
        #expect(o.discountTotal == .zero)
        #expect(o.taxLines == [OrderTaxLine(title: "State Tax", ratePercent: ExactDecimal(6), amount: try d("11.94"))])
        #expect(o.taxPercents == [ExactDecimal(6)])
        #expect(o.lines.count == 3)
        #expect(o.lines.map(\.sku) == ["IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK"])
        #expect(o.lines[0].remoteID == "466157049")
        #expect(o.lines[0].remoteVariantID == "39072856")
        #expect(o.lines[0].remoteProductID == "632910392")
        #expect(o.lines[0].title == "IPod Nano - 8gb - green")
        #expect(o.lines[0].unitPrice == (try d("199.00")))
        #expect(o.lines[0].total == (try d("199")))
        #expect(o.shippingLines == [OrderShippingLine(title: "Free Shipping", price: .zero, tax: .zero)])
        #expect(o.billingAddress?.firstName == "Bob")
        #expect(o.shippingAddress?.region == "KY")
        #expect(o.createdAt == 1_199_980_800_000)
    }

    @Test func ordersUseShopMoneySets() throws {
        let orders = try ShopifyAPI.orders(from: FixtureFiles.data("shopify", "orders.json"))
        #expect(orders.count == 1)
        let o = orders[0]
        #expect(o.total == (try d("598.94")))
        #expect(o.subtotal == (try d("597.00")))
        #expect(o.discountTotal == (try d("10.00")))
        #expect(o.lifecycle.financial == .partiallyRefunded)
        #expect(o.lifecycle.isPaid)
        #expect(o.lines.isEmpty)  // the fixture lists no line items
    }

    @Test func shopMoneyWinsOverPresentmentAndPlainFields() throws {
        let json = try JSONValue.parse(#"""
        {"id": 9, "name": "#9", "currency": "MXN", "presentment_currency": "USD", "financial_status": "paid",
         "total_price": "10.00", "total_price_set": {"shop_money": {"amount": "180.00", "currency_code": "MXN"},
                                                      "presentment_money": {"amount": "10.00", "currency_code": "USD"}},
         "line_items": [{"id": 1, "price": "10.00", "quantity": 2,
                         "price_set": {"shop_money": {"amount": "90.00"}, "presentment_money": {"amount": "5.00"}},
                         "discount_allocations": [{"amount": "1.00", "amount_set": {"shop_money": {"amount": "18.00"}}}],
                         "tax_lines": [{"title": "IVA", "rate": 0.16, "price": "1.00", "price_set": {"shop_money": {"amount": "25.92"}}}]}]}
        """#)
        let o = try ShopifyAPI.order(json: json)
        #expect(o.total == ExactDecimal(180))
        #expect(o.presentmentCurrency == "USD")
        #expect(o.lines[0].unitPrice == ExactDecimal(90))
        #expect(o.lines[0].subtotal == ExactDecimal(180))
        #expect(o.lines[0].discount == ExactDecimal(18))
        #expect(o.lines[0].total == ExactDecimal(162))
        #expect(o.lines[0].taxLines[0].ratePercent == ExactDecimal(16))
        #expect(o.lines[0].taxLines[0].amount == (try d("25.92")))
        #expect(o.lifecycle.financial == .paid)
    }

    @Test func product() throws {
        let records = try ShopifyAPI.productRecordsOfProduct(from: FixtureFiles.data("shopify", "product.json"))
        #expect(records.map(\.sku) == ["IPOD2008PINK", "IPOD2008RED", "IPOD2008GREEN", "IPOD2008BLACK"])
        #expect(records.map(\.remoteVariantID) == ["808950810", "49148385", "39072856", "457924702"])
        #expect(records.map(\.stockQuantity) == [10, 20, 30, 40])
        #expect(records.allSatisfy { $0.remoteProductID == "632910392" && $0.price == ExactDecimal(199) && $0.taxable && $0.manageStock && $0.active })
        #expect(records[0].name == "IPod Nano - 8GB - Pink")
        #expect(records[0].productTitle == "IPod Nano - 8GB")
        #expect(records[0].variantTitle == "Pink")
        #expect(records[0].compareAtPrice == nil)
        #expect(records[0].updatedAt == 1_319_133_913_000)
        #expect(records[0].canonicalFields[.price] == .decimal(ExactDecimal(199)))
        #expect(records[0].canonicalFields[.sku] == .string("IPOD2008PINK"))
    }

    @Test func productsAsBareArray() throws {
        let records = try ShopifyAPI.productRecords(from: FixtureFiles.data("shopify", "products.json"))
        #expect(records.count == 4)
        // The nested variant of product 3 claims product_id 2: the enclosing product wins.
        #expect(records.map(\.remoteProductID) == ["1", "2", "3", "4"])
        #expect(records.allSatisfy { $0.sku == "IPOD2008PINK" })
    }

    @Test func defaultTitleVariantIsNamedAfterTheProduct() throws {
        let p = try JSONValue.parse(#"{"id": 5, "title": "Mug", "status": "draft", "variants": [{"id": 6, "product_id": 5, "title": "Default Title", "sku": null, "price": "12.50"}]}"#)
        let r = try #require(try ShopifyAPI.productRecords(product: p).first)
        #expect(r.name == "Mug")
        #expect(r.variantTitle == nil)
        #expect(r.sku == nil)  // held by the engine, but representable
        #expect(r.active == false)
    }

    @Test func variants() throws {
        let product = try FixtureCoverageTests.shopifyProduct()
        let one = try ShopifyAPI.productRecord(variantFrom: FixtureFiles.data("shopify", "variant.json"), product: product)
        #expect(one.sku == "IPOD2008PINK" && one.remoteProductID == "632910392" && one.stockQuantity == 10)
        let all = try ShopifyAPI.productRecords(variantsFrom: FixtureFiles.data("shopify", "variants.json"), product: product)
        #expect(all.map(\.name) == ["IPod Nano - 8GB - Pink", "IPod Nano - 8GB - Red", "IPod Nano - 8GB - Green", "IPod Nano - 8GB - Black"])
    }

    @Test func refund() throws {
        let r = try ShopifyAPI.refund(from: FixtureFiles.data("shopify", "refund.json"))
        #expect(r.remoteID == "509562969")
        #expect(r.amount == ExactDecimal(209))
        #expect(r.reason == "it broke during shipping")
        #expect(r.restock == true)
        #expect(r.lines == [OrderRefund.Line(lineID: "703073504", quantity: 1), OrderRefund.Line(lineID: "466157049", quantity: 1)])
        #expect(r.createdAt == ISO8601Time.parse("2016-06-20T13:35:06-04:00"))
    }

    @Test func shop() throws {
        let s = try ShopifyAPI.shopSettings(from: FixtureFiles.data("shopify", "shop.json"))
        #expect(s.currency == "USD")
        #expect(s.taxesIncluded == nil)
        #expect(s.timezoneOffsetMinutes == -300)
        #expect(s.domain == "apple.myshopify.com")
        #expect(s.name == "Apple Computers")
        #expect(s.primaryLocationID == nil)
    }
}
