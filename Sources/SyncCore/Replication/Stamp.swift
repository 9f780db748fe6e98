/// The version of one write: a hybrid timestamp and the replica that made it.
///
/// Stamps are totally ordered: by ``hlc`` first, then by ``replica`` bytes. Two writes with equal
/// stamps are the same write. The human form parses back:
///
/// ```swift
/// let s = Stamp(hlc: HLC(milliseconds: 1_795_964_405_123, counter: 2), replica: r)
/// s.description   // "2026-11-29T15:00:05.123Z#2@a1b2c3d4…(32 hex digits)"
/// s.short         // "2026-11-29T15:00:05.123Z#2@a1b2c3d4"
/// Stamp(parsing: s.description) == s   // true
/// ```
public struct Stamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let hlc: HLC
    public let replica: ReplicaID

    public init(hlc: HLC, replica: ReplicaID) {
        self.hlc = hlc
        self.replica = replica
    }

    public static func < (a: Stamp, b: Stamp) -> Bool {
        a.hlc != b.hlc ? a.hlc < b.hlc : a.replica < b.replica
    }

    /// Time, counter and the full replica id: parses back with ``init(parsing:)``.
    public var description: String { "\(hlc)@\(replica.hex)" }

    /// Time, counter and the replica's first 8 hex digits: for display.
    public var short: String { "\(hlc)@\(replica.short)" }

    public init?(parsing text: String) {
        guard let at = text.lastIndex(of: "@"),
              let hlc = HLC(parsing: String(text[..<at])),
              let replica = ReplicaID(hex: String(text[text.index(after: at)...]))
        else { return nil }
        self.init(hlc: hlc, replica: replica)
    }
}
