import Testing
@testable import SyncCore

@Suite("Value")
struct ValueTests {
    @Test("every kind of value round-trips through its canonical encoding")
    func roundTrip() throws {
        var rng = SeededRandom(seed: 8)
        let values: [Value] = [
            .null, .string(""), .string("Ñandú: ok"), .decimal(try ExactDecimal("-19.90")), .integer(-42), .integer(.max),
            .bool(true), .bool(false), .json(["lines": [["sku": "A-1", "qty": 2]]]), .reference(EntityID.random(using: &rng)),
        ]
        for v in values {
            #expect(try Value(encoded: v.encoded) == v)
        }
        #expect(Value.decimal(try ExactDecimal("19.90")).encoded == "d:19.9")
    }

    @Test("bad encodings are refused with a message", arguments: ["", "x", "q:1", "i:1.5", "b:2", "d:abc", "j:{", "r:123", "n:x"])
    func bad(_ text: String) {
        #expect(throws: ValueDecodingError.self) { try Value(encoded: text) }
    }
}
