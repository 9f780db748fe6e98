import Foundation
import Testing
@testable import SyncCore

@Suite("JSONValue")
struct JSONValueTests {
    @Test("keeps number literals exactly")
    func exactNumbers() throws {
        let v = try JSONValue.parse(#"{"rate": 0.16, "price": "19.99", "id": 7199123456789, "big": 1e-2}"#)
        #expect(v["rate"] == .number("0.16"))
        #expect(v["rate"]?.decimal == (try ExactDecimal("0.16")))
        #expect(v["price"]?.decimal == (try ExactDecimal("19.99")))
        #expect(v["id"]?.int == 7_199_123_456_789)
        #expect(v["big"]?.decimal == (try ExactDecimal("0.01")))
    }

    @Test("serializes canonically with sorted keys and escapes")
    func serialize() throws {
        let v: JSONValue = ["b": 1, "a": ["x", nil, true], "s": "línea\n\"comillas\"\u{01}"]
        #expect(v.jsonText == #"{"a":["x",null,true],"b":1,"s":"línea\n\"comillas\"\u0001"}"#)
        #expect(try JSONValue.parse(v.jsonText) == v)
    }

    @Test("decodes escapes and surrogate pairs")
    func escapes() throws {
        let v = try JSONValue.parse(#"["\u00f1", "\ud83d\ude00", "a\/b", "\t"]"#)
        #expect(v[0]?.string == "ñ")
        #expect(v[1]?.string == "😀")
        #expect(v[2]?.string == "a/b")
        #expect(v[3]?.string == "\t")
    }

    @Test("rejects malformed documents with the byte offset", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc", "{\"a\":1} x", "[\"\\x\"]", "\"\\ud800\"", "{1:2}",
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test("refuses nesting deeper than the limit")
    func depth() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue.parse(ok)) != nil)
    }

    @Test("round-trips 1,000 random documents")
    func roundTrip() throws {
        var rng = SeededRandom(seed: 3)
        func random(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &rng))
            case 2: return .number(String(Int.random(in: -99999...99999, using: &rng)) + (Bool.random(using: &rng) ? ".25" : ""))
            case 3: return .string(String((0..<Int.random(in: 0..<8, using: &rng)).map { _ in "añb\"\\\n€😀".randomElement(using: &rng)! }))
            case 4: return .array((0..<Int.random(in: 0..<4, using: &rng)).map { _ in random(depth + 1) })
            default:
                var o: [String: JSONValue] = [:]
                for i in 0..<Int.random(in: 0..<4, using: &rng) { o["k\(i)"] = random(depth + 1) }
                return .object(o)
            }
        }
        for _ in 0..<1_000 {
            let v = random(0)
            #expect(try JSONValue.parse(v.serialized()) == v)
        }
    }
}
