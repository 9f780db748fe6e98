import SyncCore

/// One connected store: a replica of its own.
///
/// Each link has a global replica id, minted when the store is first connected; every field the
/// engine learns from that store is stamped with it, so ties between a store write and an Oorden
/// write at the same instant break the same way in every database.
public struct StoreLink: Sendable, Hashable {
    /// The name the configuration gives the store (`"tienda-shopify"`).
    public var name: String
    public var kind: StoreKind
    public var replica: ReplicaID
    /// The store's clock minus ours, in milliseconds, as estimated from HTTP `Date` headers.
    public var clockOffsetMilliseconds: Int64
    /// Which kinds of records created elsewhere (in Oorden or another store) are created here.
    public var createsKinds: Set<EntityKind>
    /// Whether a record deleted in this store archives its entity (everywhere), or only unlinks it.
    public var archivesOnDelete: Bool

    public init(name: String, kind: StoreKind, replica: ReplicaID, clockOffsetMilliseconds: Int64 = 0,
                createsKinds: Set<EntityKind> = [.contact, .product], archivesOnDelete: Bool = true) {
        self.name = name
        self.kind = kind
        self.replica = replica
        self.clockOffsetMilliseconds = clockOffsetMilliseconds
        self.createsKinds = createsKinds
        self.archivesOnDelete = archivesOnDelete
    }

    static func encodeKinds(_ kinds: Set<EntityKind>) -> String {
        kinds.map(\.rawValue).sorted().joined(separator: ",")
    }

    static func decodeKinds(_ text: String) -> Set<EntityKind> {
        Set(text.split(separator: ",").compactMap { EntityKind(rawValue: String($0)) })
    }
}

/// The identity every ingest and projection step needs of a side: its name (`"oorden"` or a store's
/// name), its replica, its clock offset and how its writes are stamped.
struct SideLink: Sendable, Hashable {
    /// The reserved side name of Oorden; no store may take it.
    static let oordenName = "oorden"

    var name: String
    var replica: ReplicaID
    var clockOffsetMilliseconds: Int64
    var side: SideKind
    /// Whether the side's writes are stamped by ticking its replica's hybrid clock (Oorden, read in
    /// its feed's order) instead of with their event time (stores, see docs/crdt-store.md).
    var ticksClock: Bool

    init(_ link: StoreLink) {
        name = link.name
        replica = link.replica
        clockOffsetMilliseconds = link.clockOffsetMilliseconds
        side = .store(link.kind)
        ticksClock = false
    }

    init(oordenReplica: ReplicaID, ticksClock: Bool = true) {
        name = SideLink.oordenName
        replica = oordenReplica
        clockOffsetMilliseconds = 0
        side = .oorden
        self.ticksClock = ticksClock
    }
}
