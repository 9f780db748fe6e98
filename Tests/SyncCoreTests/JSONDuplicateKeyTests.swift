import SyncCore
import Testing

/// `JSONValue` can refuse an object that names a key twice, saying where (issue #16 item 8).
@Suite struct JSONDuplicateKeyTests {
    @Test func aRepeatedKeyIsReportedWithItsPath() {
        let text = #"{"stores": [{"name": "a"}, {"name": "b", "kind": "shopify", "name": "c"}]}"#
        #expect(throws: JSONDuplicateKeyError(path: "stores[1].name", key: "name", offset: 60)) {
            try JSONValue.parse(text, rejectingDuplicateKeys: true)
        }
        #expect(throws: JSONDuplicateKeyError.self) { try JSONValue.parse(#"{"a": 1, "a": 1}"#, rejectingDuplicateKeys: true) }
    }

    @Test func byDefaultTheLastValueWinsAsBefore() throws {
        #expect(try JSONValue.parse(#"{"a": 1, "a": 2}"#)["a"]?.int == 2)
        let same = try JSONValue.parse(#"{"a": [{"b": 1}, {"b": 2}], "c": {"b": 3}}"#, rejectingDuplicateKeys: true)
        #expect(same["a"]?[1]?["b"]?.int == 2 && same["c"]?["b"]?.int == 3, "the same key in different objects is fine")
    }
}
