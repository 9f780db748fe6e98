import Foundation
import GRDB
import SyncCore
import SyncStore

/// One row of `store_links`: a connected store as the engine database keeps it.
///
/// The properties hold what SQLite holds (the kind and the kinds a store creates as text, the
/// replica as a blob); ``link`` reads them as a ``StoreLink``.
struct StoreLinkRow: FetchableRecord, PersistableRecord, Hashable {
    static let databaseTableName = "store_links"

    enum Columns {
        static let name = Column("name")
        static let kind = Column("kind")
        static let replica = Column("replica")
        static let clockOffsetMilliseconds = Column("clock_offset_ms")
        static let clockSamples = Column("clock_samples")
        static let createsKinds = Column("create_kinds")
        static let archivesOnDelete = Column("archives_on_delete")
    }

    var name: String
    var kind: String
    var replica: Data
    var clockOffsetMilliseconds: Int64
    /// How many `Date` headers fed ``clockOffsetMilliseconds``.
    var clockSamples: Int64
    /// ``StoreLink/createsKinds`` as `contact,product` (``StoreLink/encodeKinds(_:)``).
    var createsKinds: String
    var archivesOnDelete: Bool

    /// A newly connected store: no clock samples yet.
    init(_ link: StoreLink) {
        name = link.name
        kind = link.kind.rawValue
        replica = link.replica.blob
        clockOffsetMilliseconds = link.clockOffsetMilliseconds
        clockSamples = 0
        createsKinds = StoreLink.encodeKinds(link.createsKinds)
        archivesOnDelete = link.archivesOnDelete
    }

    init(row: Row) throws {
        name = row[Columns.name]
        kind = row[Columns.kind]
        replica = row[Columns.replica]
        clockOffsetMilliseconds = row[Columns.clockOffsetMilliseconds]
        clockSamples = row[Columns.clockSamples]
        createsKinds = row[Columns.createsKinds]
        archivesOnDelete = row[Columns.archivesOnDelete]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.name] = name
        container[Columns.kind] = kind
        container[Columns.replica] = replica
        container[Columns.clockOffsetMilliseconds] = clockOffsetMilliseconds
        container[Columns.clockSamples] = clockSamples
        container[Columns.createsKinds] = createsKinds
        container[Columns.archivesOnDelete] = archivesOnDelete
    }

    /// The link, or nil when the row's kind or replica is not one this engine reads (such a row is
    /// skipped, as if the store were not connected).
    var link: StoreLink? {
        guard let kind = StoreKind(rawValue: kind), let replica = ReplicaID(bytes: replica) else { return nil }
        return StoreLink(name: name, kind: kind, replica: replica, clockOffsetMilliseconds: clockOffsetMilliseconds,
                         createsKinds: StoreLink.decodeKinds(createsKinds), archivesOnDelete: archivesOnDelete)
    }
}
