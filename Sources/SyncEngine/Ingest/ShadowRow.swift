import Foundation
import GRDB
import SyncCore
import SyncStore

/// One row of `shadows`: a side's record as the engine last saw it there or wrote it there.
///
/// Incoming versions are diffed against it, and projection writes only what differs from it. The
/// fields stay encoded (``StoreIngest/encodeFields(_:)``) until ``fields()`` is asked for: most
/// lookups need only the time.
struct ShadowRow: FetchableRecord, PersistableRecord, Hashable {
    static let databaseTableName = "shadows"

    enum Columns {
        static let link = Column("link")
        static let kind = Column("kind")
        static let remoteID = Column("remote_id")
        static let updatedAt = Column("updated_at_ms")
        static let sameSecondCounter = Column("same_second_counter")
        static let fields = Column("fields")
    }

    var link: String
    var kind: String
    var remoteID: String
    /// The version's time (milliseconds, the side's clock).
    var updatedAt: Int64
    /// How many other versions of this record came with the same `updatedAt` (stores' times have
    /// whole seconds); it orders their stamps.
    var sameSecondCounter: Int64
    var encodedFields: String

    init(link: String, kind: EntityKind, remoteID: String, updatedAt: Int64, sameSecondCounter: Int64 = 0, fields: FieldValues) {
        self.link = link
        self.kind = kind.rawValue
        self.remoteID = remoteID
        self.updatedAt = updatedAt
        self.sameSecondCounter = sameSecondCounter
        self.encodedFields = StoreIngest.encodeFields(fields)
    }

    init(row: Row) throws {
        link = row[Columns.link]
        kind = row[Columns.kind]
        remoteID = row[Columns.remoteID]
        updatedAt = row[Columns.updatedAt]
        sameSecondCounter = row[Columns.sameSecondCounter]
        encodedFields = row[Columns.fields]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.link] = link
        container[Columns.kind] = kind
        container[Columns.remoteID] = remoteID
        container[Columns.updatedAt] = updatedAt
        container[Columns.sameSecondCounter] = sameSecondCounter
        container[Columns.fields] = encodedFields
    }

    /// The shadow's canonical fields.
    func fields() throws -> FieldValues {
        try StoreIngest.decodeFields(encodedFields)
    }
}

extension ShadowRow {
    /// The primary key of one record's shadow.
    static func key(link: String, kind: EntityKind, remoteID: String) -> [String: any DatabaseValueConvertible] {
        [Columns.link.name: link, Columns.kind.name: kind.rawValue, Columns.remoteID.name: remoteID]
    }

    /// The shadow of one record, if the engine has seen it (a cached statement: ingest asks for every record).
    static func find(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws -> ShadowRow? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM shadows WHERE link = ? AND kind = ? AND remote_id = ?"),
                     arguments: [link, kind.rawValue, remoteID])
    }

    /// Makes this row its record's shadow, replacing the one there.
    ///
    /// `INSERT OR REPLACE`: the table has no other unique key, no trigger and no foreign key, so
    /// replacing the row is updating every column but the key.
    func replace(_ db: Database) throws {
        // One cached statement: every ingested version and every write replaces a shadow, and the
        // record's `insert(_:onConflict:)` would build a persistence container and statement per row.
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO shadows (link, kind, remote_id, updated_at_ms, same_second_counter, fields) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [link, kind, remoteID, updatedAt, sameSecondCounter, encodedFields])
    }
}
