import GRDB
import SyncCore

/// One row of `bulk_reads`: a store's bulk export of one kind that a pass started and has not
/// finished reading (``SyncEngine/pendingBulkRead(link:kind:)``).
struct BulkReadRow: FetchableRecord, PersistableRecord, Hashable {
    static let databaseTableName = "bulk_reads"

    enum Columns {
        static let link = Column("link")
        static let kind = Column("kind")
        static let operation = Column("operation")
        static let startedAt = Column("started_ms")
    }

    var link: String
    var kind: String
    /// The store's id of the operation (`gid://shopify/BulkOperation/…`).
    var operation: String
    /// When the pass started it (our clock).
    var startedAt: Int64

    init(link: String, kind: EntityKind, operation: String, startedAt: Int64) {
        self.link = link
        self.kind = kind.rawValue
        self.operation = operation
        self.startedAt = startedAt
    }

    init(row: Row) throws {
        link = row[Columns.link]
        kind = row[Columns.kind]
        operation = row[Columns.operation]
        startedAt = row[Columns.startedAt]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.link] = link
        container[Columns.kind] = kind
        container[Columns.operation] = operation
        container[Columns.startedAt] = startedAt
    }

    static func key(link: String, kind: EntityKind) -> [String: any DatabaseValueConvertible] {
        [Columns.link.name: link, Columns.kind.name: kind.rawValue]
    }
}
