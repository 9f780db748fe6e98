/// An exact base-10 number for money, quantities and tax rates.
///
/// Money and rates never pass through `Double`: a value is a 128-bit integer significand and a
/// count of fractional digits. Values are kept normalized (no trailing fractional zeros), so two
/// decimals that denote the same number are `==` and hash alike, and ``description`` is canonical:
///
/// ```swift
/// let rate = try ExactDecimal("16.0000")      // 16
/// let shopify = try ExactDecimal("0.16") * 100 // 16
/// rate == shopify                              // true
/// (try ExactDecimal("19.999")).rounded(scale: 2).formatted(scale: 2) // "20.00"
/// ```
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The integer significand: the value is `significand / 10^scale`.
    public let significand: Int128
    /// The number of fractional digits, `0...ExactDecimal.maxScale`.
    public let scale: Int

    /// The largest number of fractional digits kept. Results with more digits are an error.
    public static let maxScale = 18
    public static let zero = ExactDecimal(normalizing: 0, scale: 0)

    /// Creates `significand × 10^-scale`, normalized.
    public init(significand: Int128, scale: Int) throws {
        guard (0...ExactDecimal.maxScale).contains(scale) else {
            throw ExactDecimalError(code: .scaleOutOfRange, message: "scale \(scale) is outside 0...\(ExactDecimal.maxScale)")
        }
        self.init(normalizing: significand, scale: scale)
    }

    public init(_ integer: Int) {
        self.init(normalizing: Int128(integer), scale: 0)
    }

    init(normalizing significand: Int128, scale: Int) {
        var s = significand
        var k = scale
        while k > 0 && s % 10 == 0 {
            s /= 10
            k -= 1
        }
        self.significand = s
        self.scale = k
    }

    /// Parses a decimal literal: `-12.50`, `16.0000`, `0.06`, `1e-2`, `+3`.
    ///
    /// Surrounding spaces are not accepted; a store value with spaces is malformed input.
    public init(_ text: String) throws {
        guard let parsed = ExactDecimal.parse(text) else {
            throw ExactDecimalError(code: .malformed, message: "\"\(text.prefix(40))\" is not a decimal number")
        }
        self = parsed
    }

    /// Parses, returning `nil` on malformed input.
    public static func parse(_ text: String) -> ExactDecimal? {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var significand: Int128 = 0
        var scale = 0
        var digits = 0
        var seenPoint = false
        var exponent = 0
        while let b = bytes.first {
            if b >= 48 && b <= 57 {
                let (m, o1) = significand.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int128(b - 48))
                if o1 || o2 { return nil }
                significand = a
                digits += 1
                if seenPoint { scale += 1 }
            } else if b == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                bytes = bytes.dropFirst()
                guard let e = Int(String(decoding: bytes, as: UTF8.self)), abs(e) <= 40 else { return nil }
                exponent = e
                bytes = []
                break
            } else {
                return nil
            }
            bytes = bytes.dropFirst()
        }
        guard digits > 0 else { return nil }
        if negative { significand = -significand }
        scale -= exponent
        while scale < 0 {
            let (m, o) = significand.multipliedReportingOverflow(by: 10)
            if o { return nil }
            significand = m
            scale += 1
        }
        var result = ExactDecimal(normalizing: significand, scale: scale)
        // Trailing zeros may have pushed the raw scale past the limit; normalization fixes that.
        if result.scale > maxScale { return nil }
        if result.significand == 0 { result = .zero }
        return result
    }

    /// The canonical text: no exponent, no trailing fractional zeros, `-` only when negative.
    public var description: String {
        formatted(scale: scale)
    }

    /// The value with exactly `scale` fractional digits (pads with zeros; rounds half away from zero
    /// when digits must be dropped). `formatted(scale: 2)` is how money is sent to stores.
    public func formatted(scale target: Int) -> String {
        let value = target < scale ? rounded(scale: target) : self
        let padded = value.significand * ExactDecimal.power(target - value.scale)
        let negative = padded < 0
        var digits = String(padded.magnitude)
        if target > 0 {
            if digits.count <= target {
                digits = String(repeating: "0", count: target - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -target))
        }
        return negative ? "-" + digits : digits
    }

    /// How a value with more digits than wanted is rounded.
    public enum RoundingRule: Sendable {
        /// 0.5 goes away from zero (commercial rounding, what Shopify and WooCommerce show).
        case halfAwayFromZero
        /// 0.5 goes to the even neighbour (banker's rounding).
        case halfEven
    }

    /// This value rounded to at most `scale` fractional digits.
    public func rounded(scale target: Int, rule: RoundingRule = .halfAwayFromZero) -> ExactDecimal {
        guard target < scale else { return self }
        let divisor = ExactDecimal.power(scale - target)
        let quotient = significand / divisor
        let remainder = significand % divisor
        let twice = remainder.magnitude * 2
        var q = quotient
        let away: Bool
        if twice > divisor.magnitude {
            away = true
        } else if twice == divisor.magnitude {
            switch rule {
            case .halfAwayFromZero: away = true
            case .halfEven: away = quotient % 2 != 0
            }
        } else {
            away = false
        }
        if away { q += significand < 0 ? -1 : 1 }
        return ExactDecimal(normalizing: q, scale: target)
    }

    static func power(_ n: Int) -> Int128 {
        precondition(n >= 0 && n <= 38, "10^\(n) does not fit Int128")
        var p: Int128 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    private static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int) {
        let s = max(a.scale, b.scale)
        return (a.significand * power(s - a.scale), b.significand * power(s - b.scale), s)
    }

    public static func + (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
        let (x, y, s) = aligned(a, b)
        return ExactDecimal(normalizing: x + y, scale: s)
    }

    public static func - (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
        let (x, y, s) = aligned(a, b)
        return ExactDecimal(normalizing: x - y, scale: s)
    }

    public static prefix func - (a: ExactDecimal) -> ExactDecimal {
        ExactDecimal(normalizing: -a.significand, scale: a.scale)
    }

    /// The exact product. Traps if the product needs more than ``maxScale`` digits after rounding
    /// is impossible; money × rate products stay far below that.
    public static func * (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
        var s = a.scale + b.scale
        var p = a.significand * b.significand
        while s > maxScale {
            // Only exact trailing zeros may be dropped silently; otherwise round half away.
            let r = ExactDecimal(normalizing: p, scale: s).rounded(scale: maxScale)
            p = r.significand
            s = r.scale
        }
        return ExactDecimal(normalizing: p, scale: s)
    }

    public static func * (a: ExactDecimal, b: Int) -> ExactDecimal {
        a * ExactDecimal(b)
    }

    /// `self / divisor` rounded to `scale` digits; `nil` when dividing by zero.
    public func divided(by divisor: ExactDecimal, scale target: Int, rule: RoundingRule = .halfAwayFromZero) -> ExactDecimal? {
        guard divisor.significand != 0 else { return nil }
        // self/divisor = (a·10^-sa)/(b·10^-sb); compute with two guard digits beyond target.
        let extra = target + 2
        let shift = extra + divisor.scale - scale
        var numerator = significand
        var denominator = divisor.significand
        if shift >= 0 { numerator *= ExactDecimal.power(shift) } else { denominator *= ExactDecimal.power(-shift) }
        let q = numerator / denominator
        let rem = numerator % denominator
        // Fold a non-zero remainder into a sticky digit so half-way detection stays exact.
        let sticky: Int128 = rem == 0 ? 0 : (numerator < 0) != (denominator < 0) ? -1 : 1
        let raw = ExactDecimal(normalizing: q * 10 + sticky, scale: extra + 1)
        return raw.rounded(scale: target, rule: rule)
    }

    public var isZero: Bool { significand == 0 }
    public var isNegative: Bool { significand < 0 }

    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        let (x, y, _) = aligned(a, b)
        return x < y
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(try container.decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why text or a computation is not a valid ``ExactDecimal``.
public struct ExactDecimalError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable { case malformed, scaleOutOfRange }
    public let code: Code
    public let message: String
    public var description: String { "decimal \(code.rawValue): \(message)" }
}
