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

    public init(name: String, kind: StoreKind, replica: ReplicaID, clockOffsetMilliseconds: Int64 = 0) {
        self.name = name
        self.kind = kind
        self.replica = replica
        self.clockOffsetMilliseconds = clockOffsetMilliseconds
    }
}
