/// A hybrid logical clock reading: 48 bits of Unix milliseconds and a 16-bit logical counter.
///
/// Packed into one `UInt64` (`milliseconds << 16 | counter`) so that the integer order is the
/// clock order, and so SQLite can compare stamps as plain integers.
///
/// ```swift
/// let t = HLC(milliseconds: 1_795_964_405_123, counter: 2)
/// t.description            // "2026-11-29T15:00:05.123Z#2"
/// HLC(parsing: t.description) == t   // true
/// ```
public struct HLC: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: UInt64

    public static let counterBits: UInt64 = 16
    public static let maxCounter: UInt16 = .max
    /// The largest representable millisecond value (2^47 − 1 keeps the packed value a positive
    /// `Int64`, which is how SQLite stores it).
    public static let maxMilliseconds: Int64 = (1 << 47) - 1
    public static let zero = HLC(rawValue: 0)

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public init(milliseconds: Int64, counter: UInt16) {
        precondition(milliseconds >= 0 && milliseconds <= HLC.maxMilliseconds, "HLC milliseconds out of range: \(milliseconds)")
        rawValue = UInt64(milliseconds) << HLC.counterBits | UInt64(counter)
    }

    public var milliseconds: Int64 { Int64(rawValue >> HLC.counterBits) }
    public var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    /// The value as SQLite stores it.
    public var int64: Int64 { Int64(bitPattern: rawValue) }

    public init(int64: Int64) {
        rawValue = UInt64(bitPattern: int64)
    }

    public static func < (a: HLC, b: HLC) -> Bool { a.rawValue < b.rawValue }

    /// The least time after this one: the counter plus one, carried into the milliseconds when full.
    /// What an event caused by this one is stamped with when its own clock reads no later.
    public var successor: HLC { HLC(rawValue: rawValue + 1) }

    /// `2026-11-29T15:00:05.123Z#2`: UTC time with milliseconds, then `#` and the counter.
    public var description: String {
        ISO8601Time.format(milliseconds, fractional: true, zulu: true) + "#\(counter)"
    }

    /// Parses ``description``.
    public init?(parsing text: String) {
        guard let hash = text.lastIndex(of: "#"),
              let ms = ISO8601Time.parse(String(text[..<hash])),
              let c = UInt16(text[text.index(after: hash)...]),
              ms >= 0, ms <= HLC.maxMilliseconds
        else { return nil }
        self.init(milliseconds: ms, counter: c)
    }
}
