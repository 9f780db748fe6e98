import GRDB
import SyncCore

/// One row of `sync_cursors`: where reconciliation polling of one store and kind stands
/// (``PollCursor`` is what the engine answers with).
struct SyncCursorRow: FetchableRecord, PersistableRecord, Hashable {
    static let databaseTableName = "sync_cursors"

    enum Columns {
        static let link = Column("link")
        static let kind = Column("kind")
        static let updatedAt = Column("updated_at_ms")
        static let completeScanAt = Column("complete_scan_ms")
    }

    var link: String
    var kind: String
    /// The newest store `updated_at` a completed pull saw (store clock); nil: never pulled.
    var updatedAt: Int64?
    /// When (our clock) the last complete scan finished; nil: never.
    var completeScanAt: Int64?

    /// A store and kind never pulled.
    init(link: String, kind: EntityKind) {
        self.link = link
        self.kind = kind.rawValue
    }

    init(row: Row) throws {
        link = row[Columns.link]
        kind = row[Columns.kind]
        updatedAt = row[Columns.updatedAt]
        completeScanAt = row[Columns.completeScanAt]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.link] = link
        container[Columns.kind] = kind
        container[Columns.updatedAt] = updatedAt
        container[Columns.completeScanAt] = completeScanAt
    }

    /// The row of one store and kind, if it was ever pulled.
    static func find(_ db: Database, link: String, kind: EntityKind) throws -> SyncCursorRow? {
        try fetchOne(db, key: [Columns.link.name: link, Columns.kind.name: kind.rawValue])
    }

    /// The cursor after a pull that saw records up to `newestUpdatedAt`: it never moves back, and a
    /// complete scan's time replaces the last one's (a pull that was not complete leaves it).
    func advanced(newestUpdatedAt: Int64?, completeScanAt scan: Int64?) -> SyncCursorRow {
        var next = self
        if let newestUpdatedAt { next.updatedAt = max(updatedAt ?? newestUpdatedAt, newestUpdatedAt) }
        if let scan { next.completeScanAt = scan }
        return next
    }
}
