import Testing
@testable import SyncCore

@Suite("ExactDecimal")
struct ExactDecimalTests {
    @Test("parses and prints canonical text")
    func canonicalText() throws {
        #expect(try ExactDecimal("16.0000").description == "16")
        #expect(try ExactDecimal("0.06").description == "0.06")
        #expect(try ExactDecimal("-12.50").description == "-12.5")
        #expect(try ExactDecimal("+3").description == "3")
        #expect(try ExactDecimal("1e-2").description == "0.01")
        #expect(try ExactDecimal("2.5E3").description == "2500")
        #expect(try ExactDecimal("-0.000").description == "0")
        #expect(try ExactDecimal("19.99").formatted(scale: 2) == "19.99")
        #expect(try ExactDecimal("20").formatted(scale: 2) == "20.00")
        #expect(try ExactDecimal("0.5").formatted(scale: 2) == "0.50")
        #expect(try ExactDecimal("-0.05").formatted(scale: 2) == "-0.05")
    }

    @Test("rejects malformed text with a message", arguments: ["", " 1", "1 ", "abc", "1.2.3", "--1", ".", "1e", "١٢"])
    func malformed(_ text: String) {
        #expect(throws: ExactDecimalError.self) { try ExactDecimal(text) }
    }

    @Test("equal numbers are equal whatever their spelling; Shopify 0.16 × 100 is WooCommerce 16.0000")
    func equality() throws {
        #expect(try ExactDecimal("16.0000") == ExactDecimal("16"))
        #expect(try ExactDecimal("0.16") * 100 == ExactDecimal("16.0000"))
        #expect(try ExactDecimal("0.1") + ExactDecimal("0.2") == ExactDecimal("0.3"))
        #expect(try ExactDecimal("0.16").hashValue == ExactDecimal("0.160").hashValue)
        #expect(try ExactDecimal("1.5") < ExactDecimal("1.51"))
        #expect(try ExactDecimal("-2") < ExactDecimal("-1.99"))
    }

    @Test("rounds half away from zero and half even")
    func rounding() throws {
        #expect(try ExactDecimal("2.345").rounded(scale: 2).description == "2.35")
        #expect(try ExactDecimal("-2.345").rounded(scale: 2).description == "-2.35")
        #expect(try ExactDecimal("2.345").rounded(scale: 2, rule: .halfEven).description == "2.34")
        #expect(try ExactDecimal("2.355").rounded(scale: 2, rule: .halfEven).description == "2.36")
        #expect(try ExactDecimal("2.3449").rounded(scale: 2).description == "2.34")
        #expect(try ExactDecimal("19.999").formatted(scale: 2) == "20.00")
    }

    @Test("divides with exact rounding")
    func division() throws {
        // 116 / 1.16 = 100 exactly; 100 / 3 = 33.33; 2 / 3 = 0.67; 1 / 8 = 0.125 → 0.13
        #expect(try ExactDecimal("116").divided(by: ExactDecimal("1.16"), scale: 2) == ExactDecimal("100"))
        #expect(try ExactDecimal("100").divided(by: ExactDecimal("3"), scale: 2) == ExactDecimal("33.33"))
        #expect(try ExactDecimal("2").divided(by: ExactDecimal("3"), scale: 2) == ExactDecimal("0.67"))
        #expect(try ExactDecimal("1").divided(by: ExactDecimal("8"), scale: 2) == ExactDecimal("0.13"))
        #expect(try ExactDecimal("-1").divided(by: ExactDecimal("8"), scale: 2) == ExactDecimal("-0.13"))
        #expect(try ExactDecimal("1").divided(by: ExactDecimal("8"), scale: 2, rule: .halfEven) == ExactDecimal("0.12"))
        #expect(try ExactDecimal("1.0000001").divided(by: ExactDecimal("8"), scale: 2, rule: .halfEven) == ExactDecimal("0.13"))
        #expect(ExactDecimal(5).divided(by: .zero, scale: 2) == nil)
    }

    @Test("addition is exact over 1,000 random cent amounts")
    func additionProperty() throws {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<1_000 {
            let a = Int.random(in: -1_000_000...1_000_000, using: &rng)
            let b = Int.random(in: -1_000_000...1_000_000, using: &rng)
            let da = try ExactDecimal(significand: Int128(a), scale: 2)
            let db = try ExactDecimal(significand: Int128(b), scale: 2)
            #expect(da + db == (try ExactDecimal(significand: Int128(a + b), scale: 2)))
            #expect((da + db) - db == da)
            #expect(try ExactDecimal(da.formatted(scale: 2)) == da)
        }
    }
}
