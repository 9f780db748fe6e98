import Connectors
import Foundation
import SyncCore
import Testing

/// Malformed and wrongly typed store JSON → ``RecordDecodingError`` naming resource, field, expectation.
@Suite struct ShopifyDecodingErrorTests {
    func error(_ body: String, _ parse: (Data) throws -> Void) -> RecordDecodingError? {
        do {
            try parse(Data(body.utf8))
            return nil
        } catch let e as RecordDecodingError {
            return e
        } catch {
            Issue.record("expected a RecordDecodingError, got \(error)")
            return nil
        }
    }

    @Test func wrongTypedEmail() throws {
        let e = try #require(error(#"{"customer":{"id":207119551,"email":42}}"#) { _ = try ShopifyAPI.contact(from: $0) })
        #expect(e.code == .wrongType)
        #expect(e.message == #"customer 207119551: field "email" expected a string, got number"#)
    }

    @Test func malformedJSON() throws {
        let e = try #require(error(#"{"customers":[{"id":1,}"#) { _ = try ShopifyAPI.contacts(from: $0) })
        #expect(e.code == .malformedJSON)
        #expect(e.message.hasPrefix("customers: the response is not JSON"))
    }

    @Test func missingEnvelopeAndMissingID() throws {
        let e = try #require(error(#"{"errors":"Not Found"}"#) { _ = try ShopifyAPI.order(from: $0) })
        #expect(e.code == .missingField)
        #expect(e.message == #"order: the response has no "order" field"#)
        let noID = try #require(error(#"{"customer":{"email":"a@b.mx"}}"#) { _ = try ShopifyAPI.contact(from: $0) })
        #expect(noID.message == #"customer: field "id" is missing"#)
    }

    @Test func nestedFieldPathsAndBadValues() throws {
        let line = try #require(error(#"{"order":{"id":5,"currency":"USD","line_items":[{"id":1,"price":"9.00","quantity":1},{"id":2,"price":true,"quantity":1}]}}"#) { _ = try ShopifyAPI.order(from: $0) })
        #expect(line.message == #"order 5: field "line_items[1].price" expected a decimal string, got boolean"#)
        let price = try #require(error(#"{"product":{"id":3,"title":"A","variants":[{"id":4,"price":"12,50"}]}}"#) { _ = try ShopifyAPI.productRecordsOfProduct(from: $0) })
        #expect(price.code == .invalidValue)
        #expect(price.message == #"product 3: field "variants[0].price" expected a decimal string, got "12,50""#)
        let time = try #require(error(#"{"customer":{"id":1,"updated_at":"yesterday"}}"#) { _ = try ShopifyAPI.contact(from: $0) })
        #expect(time.message == #"customer 1: field "updated_at" expected an ISO 8601 time, got "yesterday""#)
        let status = try #require(error(#"{"order":{"id":5,"currency":"USD","financial_status":"maybe"}}"#) { _ = try ShopifyAPI.order(from: $0) })
        #expect(status.code == .invalidValue)
        let list = try #require(error(#"{"customers":{"id":1}}"#) { _ = try ShopifyAPI.contacts(from: $0) })
        #expect(list.message == "customers: expected an array, got object")
    }
}
