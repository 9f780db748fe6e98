/// The global identity of a replica: the Oorden side, each store link, each engine database.
///
/// 128 random bits, minted once and persisted. Ties between equal hybrid timestamps are broken by
/// comparing replica ids as big-endian bytes — a global order every database agrees on, unlike a
/// local row id, which differs between databases.
///
/// ```swift
/// var rng = SeededRandom(seed: 7)
/// let oorden = ReplicaID.random(using: &rng)
/// oorden.short      // "3f9c0a1e" — the first 8 hex digits, for humans
/// ```
public struct ReplicaID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static func random<G: RandomNumberGenerator>(using rng: inout G) -> ReplicaID {
        ReplicaID(high: rng.next(), low: rng.next())
    }

    /// Parses 32 hex digits.
    public init?(hex: String) {
        guard let id = EntityID(hex: hex) else { return nil }
        self.init(high: id.high, low: id.low)
    }

    public init?(bytes: some Collection<UInt8>) {
        guard let id = EntityID(bytes: bytes) else { return nil }
        self.init(high: id.high, low: id.low)
    }

    public var hex: String { HexFormat.hex64(high) + HexFormat.hex64(low) }
    /// The first 8 hex digits, as shown in human stamps.
    public var short: String { String(hex.prefix(8)) }
    public var description: String { hex }
    /// Big-endian bytes; SQLite compares BLOBs bytewise, so SQL and Swift order agree.
    public var bytes: [UInt8] { HexFormat.bigEndianBytes(high) + HexFormat.bigEndianBytes(low) }

    public static func < (a: ReplicaID, b: ReplicaID) -> Bool {
        (a.high, a.low) < (b.high, b.low)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let id = ReplicaID(hex: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(s)\" is not a 32-digit hex replica id")
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}
