/// A global 128-bit identifier of a synced entity (contact, product, order).
///
/// Entity ids are random and global, so an id minted by one engine replica never collides with
/// another's; the canonical text is 32 lowercase hex digits. It is also the marker the engine writes
/// into a store record (Shopify metafield, WooCommerce `meta_data`) to recognise its own creates.
public struct EntityID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A fresh id from an injected generator.
    public static func random<G: RandomNumberGenerator>(using rng: inout G) -> EntityID {
        EntityID(high: rng.next(), low: rng.next())
    }

    /// Parses 32 hex digits (either case).
    public init?(hex: String) {
        guard hex.utf8.count == 32, let h = UInt64(hex.prefix(16), radix: 16), let l = UInt64(hex.suffix(16), radix: 16) else {
            return nil
        }
        self.init(high: h, low: l)
    }

    public var hex: String { HexFormat.hex64(high) + HexFormat.hex64(low) }
    public var description: String { hex }

    /// The 16 bytes, big-endian: the order that ``Comparable`` and SQLite BLOB comparison agree on.
    public var bytes: [UInt8] { HexFormat.bigEndianBytes(high) + HexFormat.bigEndianBytes(low) }

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        let a = Array(bytes)
        self.init(high: HexFormat.uint64(a[0..<8]), low: HexFormat.uint64(a[8..<16]))
    }

    public static func < (a: EntityID, b: EntityID) -> Bool {
        (a.high, a.low) < (b.high, b.low)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let id = EntityID(hex: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(s)\" is not a 32-digit hex entity id")
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}

enum HexFormat {
    static func hex64(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    static func bigEndianBytes(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) }
    }

    static func uint64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
