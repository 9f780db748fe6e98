/// For each replica, the highest sequence number of its writes this database has covered.
///
/// Every write carries `(origin replica, origin sequence)`. A database whose vector says
/// `[r: 17]` holds state that dominates all of `r`'s writes 1…17, so a peer asks for
/// `changes(since: vector)` and gets exactly what it lacks. Merge is per-replica maximum.
public struct VersionVector: Sendable, Hashable, Codable, CustomStringConvertible {
    public private(set) var entries: [ReplicaID: Int64]

    public init(_ entries: [ReplicaID: Int64] = [:]) {
        self.entries = entries.filter { $0.value > 0 }
    }

    public subscript(replica: ReplicaID) -> Int64 {
        entries[replica] ?? 0
    }

    /// Raises `replica`'s entry to at least `sequence`.
    public mutating func observe(_ replica: ReplicaID, _ sequence: Int64) {
        if sequence > self[replica] { entries[replica] = sequence }
    }

    public mutating func merge(_ other: VersionVector) {
        for (r, s) in other.entries { observe(r, s) }
    }

    /// Whether this vector covers every entry of `other`.
    public func dominates(_ other: VersionVector) -> Bool {
        other.entries.allSatisfy { self[$0.key] >= $0.value }
    }

    public var description: String {
        "[" + entries.sorted { $0.key < $1.key }.map { "\($0.key.short):\($0.value)" }.joined(separator: ", ") + "]"
    }
}
