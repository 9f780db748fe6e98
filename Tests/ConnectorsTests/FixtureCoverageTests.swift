import Connectors
import Foundation
import SyncCore
import Testing

/// Every fixture file is either parsed by a connector parser or, when it is not a resource we
/// parse, at least loads as JSON. A new fixture that is in neither list fails the test.
@Suite struct FixtureCoverageTests {
    static let shopifyParsed: [String: @Sendable (Data) throws -> Int] = [
        "customer.json": { _ = try ShopifyAPI.contact(from: $0); return 1 },
        "customers_search.json": { try ShopifyAPI.contacts(from: $0).count },
        "inventory_level.json": { _ = try ShopifyAPI.inventoryLevel(from: $0); return 1 },
        "inventory_levels.json": { try ShopifyAPI.inventoryLevels(from: $0).count },
        "metafield.json": { _ = try ShopifyAPI.marker(fromMetafields: $0); return 1 },
        "order.json": { _ = try ShopifyAPI.order(from: $0); return 1 },
        "orders.json": { try ShopifyAPI.orders(from: $0).count },
        "product.json": { try ShopifyAPI.productRecordsOfProduct(from: $0).count },
        "products.json": { try ShopifyAPI.productRecords(from: $0).count },
        "refund.json": { _ = try ShopifyAPI.refund(from: $0); return 1 },
        "shop.json": { _ = try ShopifyAPI.shopSettings(from: $0); return 1 },
        "variant.json": { _ = try ShopifyAPI.productRecord(variantFrom: $0, product: FixtureCoverageTests.shopifyProduct()); return 1 },
        "variants.json": { try ShopifyAPI.productRecords(variantsFrom: $0, product: FixtureCoverageTests.shopifyProduct()).count },
    ]
    /// Shopify fixtures that are not resources we parse (payment transactions).
    static let shopifyJSONOnly: Set<String> = ["transactions.json"]

    static let wooParsed: [String: @Sendable (Data) throws -> Int] = [
        "customers--batch-update-customers.json": { try wooBatch($0) { try WooCommerceAPI.contacts(from: $0).count } },
        "customers--create-a-customer.json": { _ = try WooCommerceAPI.contact(from: $0); return 1 },
        "customers--delete-a-customer.json": { _ = try WooCommerceAPI.contact(from: $0); return 1 },
        "customers--list-all-customers.json": { try WooCommerceAPI.contacts(from: $0).count },
        "customers--retrieve-a-customer.json": { _ = try WooCommerceAPI.contact(from: $0); return 1 },
        "customers--update-a-customer.json": { _ = try WooCommerceAPI.contact(from: $0); return 1 },
        "data--retrieve-current-currency.json": { _ = try WooCommerceAPI.currency(fromCurrentCurrency: $0); return 1 },
        "data--retrieve-currency-data.json": { _ = try WooCommerceAPI.currency(fromCurrentCurrency: $0); return 1 },
        "order-refunds--create-a-refund.json": { _ = try WooCommerceAPI.refund(from: $0); return 1 },
        "order-refunds--delete-a-refund.json": { _ = try WooCommerceAPI.refund(from: $0); return 1 },
        "order-refunds--list-all-refunds.json": { try WooCommerceAPI.refunds(from: $0).count },
        "order-refunds--retrieve-a-refund.json": { _ = try WooCommerceAPI.refund(from: $0); return 1 },
        "orders--batch-update-orders.json": { try wooBatch($0) { try WooCommerceAPI.orders(from: $0).count } },
        "orders--create-an-order.json": { _ = try WooCommerceAPI.order(from: $0); return 1 },
        "orders--delete-an-order.json": { _ = try WooCommerceAPI.order(from: $0); return 1 },
        "orders--list-all-orders.json": { try WooCommerceAPI.orders(from: $0).count },
        "orders--retrieve-an-order.json": { _ = try WooCommerceAPI.order(from: $0); return 1 },
        "orders--update-an-order.json": { _ = try WooCommerceAPI.order(from: $0); return 1 },
        "product-variations--batch-update-product-variations.json": {
            try wooBatch($0) { try WooCommerceAPI.productRecords(product: FixtureCoverageTests.wooVariableProduct(), variations: WooCommerceAPI.variationObjects(from: $0)).count }
        },
        "product-variations--create-a-product-variation.json": { _ = try WooCommerceAPI.productRecord(variationFrom: $0, product: FixtureCoverageTests.wooVariableProduct()); return 1 },
        "product-variations--delete-a-product-variation.json": { _ = try WooCommerceAPI.productRecord(variationFrom: $0, product: FixtureCoverageTests.wooVariableProduct()); return 1 },
        "product-variations--list-all-product-variations.json": {
            try WooCommerceAPI.productRecords(product: FixtureCoverageTests.wooVariableProduct(), variations: WooCommerceAPI.variationObjects(from: $0)).count
        },
        "product-variations--retrieve-a-product-variation.json": { _ = try WooCommerceAPI.productRecord(variationFrom: $0, product: FixtureCoverageTests.wooVariableProduct()); return 1 },
        "product-variations--update-a-product-variation.json": { _ = try WooCommerceAPI.productRecord(variationFrom: $0, product: FixtureCoverageTests.wooVariableProduct()); return 1 },
        "products--batch-update-products.json": {
            try wooBatch($0) { try WooCommerceAPI.productObjects(from: $0).map { try WooCommerceAPI.productRecords(product: $0) }.count }
        },
        "products--create-a-product-2.json": { try WooCommerceAPI.productRecords(product: JSONValue.parse($0)).count + 1 },
        "products--create-a-product.json": { try WooCommerceAPI.productRecords(product: JSONValue.parse($0)).count },
        "products--delete-a-product.json": { try WooCommerceAPI.productRecords(product: JSONValue.parse($0)).count },
        "products--list-all-products.json": { try WooCommerceAPI.productObjects(from: $0).flatMap { try WooCommerceAPI.productRecords(product: $0) }.count },
        "products--retrieve-a-product.json": { try WooCommerceAPI.productRecords(product: JSONValue.parse($0)).count },
        "products--update-a-product.json": { try WooCommerceAPI.productRecords(product: JSONValue.parse($0)).count },
        "setting-options--list-all-setting-options.json": { try WooCommerceAPI.settingValues(from: $0).count },
        "setting-options--retrieve-a-setting-option.json": { _ = try WooCommerceAPI.currency(fromSetting: $0); return 1 },
        "setting-options--update-a-setting-option.json": { _ = try WooCommerceAPI.currency(fromSetting: $0); return 1 },
        "taxes--batch-update-tax-rates.json": { try wooBatch($0) { try WooCommerceAPI.taxRates(from: $0).count } },
        "taxes--create-a-tax-rate.json": { _ = try WooCommerceAPI.taxRate(from: $0); return 1 },
        "taxes--delete-a-tax-rate.json": { _ = try WooCommerceAPI.taxRate(from: $0); return 1 },
        "taxes--list-all-tax-rates.json": { try WooCommerceAPI.taxRates(from: $0).count },
        "taxes--retrieve-a-tax-rate.json": { _ = try WooCommerceAPI.taxRate(from: $0); return 1 },
        "taxes--update-a-tax-rate.json": { _ = try WooCommerceAPI.taxRate(from: $0); return 1 },
        "webhooks--batch-update-webhooks.json": { try wooBatch($0) { try WooCommerceAPI.webhooks(from: $0).count } },
        "webhooks--create-a-webhook.json": { _ = try WooCommerceAPI.webhook(from: $0); return 1 },
        "webhooks--delete-a-webhook.json": { _ = try WooCommerceAPI.webhook(from: $0); return 1 },
        "webhooks--list-all-webhooks.json": { try WooCommerceAPI.webhooks(from: $0).count },
        "webhooks--retrieve-a-webhook.json": { _ = try WooCommerceAPI.webhook(from: $0); return 1 },
        "webhooks--update-a-webhook.json": { _ = try WooCommerceAPI.webhook(from: $0); return 1 },
    ]
    /// WooCommerce fixtures that are not resources we parse: downloads, country/currency reference
    /// data, and the settings batch (we never write settings).
    static let wooJSONOnly: Set<String> = [
        "customers--retrieve-customer-downloads.json", "data--list-all-currencies.json", "data--list-all-data.json",
        "data--retrieve-country-data.json", "setting-options--batch-update-setting-options.json",
    ]

    static func shopifyProduct() throws -> JSONValue {
        try #require(try JSONValue.parse(FixtureFiles.data("shopify", "product.json"))["product"])
    }

    static func wooVariableProduct() throws -> JSONValue {
        try JSONValue.parse(FixtureFiles.data("woocommerce", "products--create-a-product-2.json"))
    }

    /// Parses a batch response and runs `parse` over each of its lists (re-serialized as arrays).
    static func wooBatch(_ body: Data, _ parse: (Data) throws -> Int) throws -> Int {
        let result = try WooCommerceAPI.batchResult(from: body)
        return try [result.created, result.updated, result.deleted].reduce(0) { $0 + (try parse(JSONValue.array($1).jsonData)) }
    }

    @Test func everyShopifyFixtureIsParsedOrValidJSON() throws {
        let names = try FixtureFiles.names("shopify")
        #expect(names.count >= 14, "expected the 14 Shopify fixtures, found \(names)")
        for name in names {
            let data = try FixtureFiles.data("shopify", name)
            _ = try JSONValue.parse(data)
            if let parse = Self.shopifyParsed[name] {
                #expect(try parse(data) > 0, "\(name) parsed to no records")
            } else {
                #expect(Self.shopifyJSONOnly.contains(name), "fixture shopify/\(name) is neither parsed nor listed as JSON-only")
            }
        }
    }

    @Test func everyWooCommerceFixtureIsParsedOrValidJSON() throws {
        let names = try FixtureFiles.names("woocommerce")
        #expect(names.count >= 51, "expected the WooCommerce fixtures, found \(names.count)")
        for name in names {
            let data = try FixtureFiles.data("woocommerce", name)
            _ = try JSONValue.parse(data)
            if let parse = Self.wooParsed[name] {
                #expect(try parse(data) > 0, "\(name) parsed to no records")
            } else {
                #expect(Self.wooJSONOnly.contains(name), "fixture woocommerce/\(name) is neither parsed nor listed as JSON-only")
            }
        }
    }
}
