import Connectors
import Foundation
import SyncCore
import Testing

/// Canonical record behaviour: field maps, applying changes, normalization.
@Suite struct ShopifyRecordTests {
    @Test func normalizedEmail() {
        #expect(ContactRecord.normalizedEmail("  Bob.Norman@HostMail.com \n") == "bob.norman@hostmail.com")
        #expect(ContactRecord.normalizedEmail("   ") == nil)
        #expect(ContactRecord.normalizedEmail(nil) == nil)
    }

    @Test func contactFieldsRoundTripThroughApplying() throws {
        let full = ContactRecord(
            store: .shopify, remoteID: "1", email: "a@b.mx", firstName: "Ana", lastName: "Ruiz", phone: "+52", company: "ACME",
            note: "VIP", address: PostalAddress(line1: "Reforma 1", city: "CDMX", countryCode: "MX"))
        let empty = ContactRecord(store: .shopify, remoteID: "1")
        let rebuilt = try empty.applying(full.canonicalFields)
        #expect(rebuilt == full)
        #expect(Set(full.canonicalFields.keys) == Set(ContactRecord.fieldKeys(for: .shopify)))
        #expect(try full.applying([.address: .null, .note: .string("")]).address == nil)
        #expect(try full.applying([.note: .string("")]).note == nil)
        #expect(throws: ValueDecodingError.self) { try full.applying([.email: .integer(3)]) }
        // A field a contact has no place for (a product's SKU) is refused, not dropped.
        #expect(throws: ValueDecodingError.self) { try full.applying([.sku: .string("x")]) }
    }

    @Test func addressJSONIsCanonical() throws {
        let a = PostalAddress(line1: "969 Market", line2: "", city: "San Francisco", region: "CA", postalCode: "94103", countryCode: "US")
        #expect(a.json.jsonText == #"{"city":"San Francisco","country_code":"US","line1":"969 Market","postal_code":"94103","region":"CA"}"#)
        #expect(try PostalAddress(json: a.json) == a)
        #expect(throws: ValueDecodingError.self) { try PostalAddress(json: ["city": 5]) }
    }

    @Test func productFieldsRoundTrip() throws {
        let p = ProductRecord(
            store: .shopify, remoteProductID: "1", remoteVariantID: "2", sku: "S", name: "Shirt - Red", productTitle: "Shirt",
            variantTitle: "Red", price: try ExactDecimal("19.90"), compareAtPrice: try ExactDecimal("25"), taxable: false, active: true, barcode: "750")
        #expect(p.canonicalFields[.price] == .decimal(try ExactDecimal("19.9")))
        #expect(FieldKey(name: "stock") == nil)  // stock is a counter, not a register
        #expect(throws: ValueDecodingError.self) { try p.applying([.email: .string("x")]) }
        let blank = ProductRecord(store: .shopify, remoteProductID: "1", remoteVariantID: "2", name: "", variantTitle: "Red")
        let rebuilt = try blank.applying(p.canonicalFields)
        #expect(rebuilt.canonicalFields == p.canonicalFields)
        #expect(rebuilt.productTitle == "Shirt")
        let renamed = try p.applying([.name: .string("Polo")])
        #expect(renamed.productTitle == "Polo" && renamed.variantTitle == nil)
        #expect(throws: ValueDecodingError.self) { try p.applying([.price: .string("cheap")]) }
    }

    @Test func lifecyclePaidness() {
        #expect(OrderLifecycle(financial: .partiallyRefunded, fulfillment: .fulfilled).isPaid)
        #expect(!OrderLifecycle(financial: .authorized, fulfillment: .unfulfilled).isPaid)
        #expect(OrderLifecycle(financial: .voided, fulfillment: .unfulfilled, cancelledAt: 5).cancelled)
    }
}
