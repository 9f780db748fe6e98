import Foundation
import GRDB
import SyncCore
import SyncStore

/// One row of `remote_ids`: which record of a side (a store, or Oorden) is which entity.
///
/// The table's keys keep links one-to-one: one entity per (link, kind, remote id), one remote id per
/// (link, kind, entity). The lookups ingest makes for every record use cached statements.
struct RemoteIDRow: FetchableRecord, PersistableRecord, Hashable {
    static let databaseTableName = "remote_ids"

    enum Columns {
        static let link = Column("link")
        static let kind = Column("kind")
        static let remoteID = Column("remote_id")
        static let entity = Column("entity")
    }

    var link: String
    var kind: String
    var remoteID: String
    var entity: Data

    init(link: String, kind: EntityKind, remoteID: String, entity: EntityID) {
        self.link = link
        self.kind = kind.rawValue
        self.remoteID = remoteID
        self.entity = entity.blob
    }

    init(row: Row) throws {
        link = row[Columns.link]
        kind = row[Columns.kind]
        remoteID = row[Columns.remoteID]
        entity = row[Columns.entity]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.link] = link
        container[Columns.kind] = kind
        container[Columns.remoteID] = remoteID
        container[Columns.entity] = entity
    }
}

extension RemoteIDRow {
    /// Inserts the link through one cached statement: ingest and projection link every record of an
    /// import, and `insert(_:)` builds a persistence container and its statement per row.
    func insertCached(_ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO remote_ids (link, kind, remote_id, entity) VALUES (?, ?, ?, ?)")
            .execute(arguments: [link, kind, remoteID, entity])
    }

    /// The entity a side's record is linked to.
    static func entity(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws -> EntityID? {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT entity FROM remote_ids WHERE link = ? AND kind = ? AND remote_id = ?"),
                          arguments: [link, kind.rawValue, remoteID]).flatMap { EntityID(bytes: $0) }
    }

    /// The record of a side an entity is linked to.
    static func remoteID(_ db: Database, link: String, kind: EntityKind, entity: EntityID) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT remote_id FROM remote_ids WHERE link = ? AND kind = ? AND entity = ?"),
                            arguments: [link, kind.rawValue, entity.blob])
    }

    /// Every side's record linked to an entity: side name → remote id.
    static func remoteIDs(_ db: Database, of entity: EntityID) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try filter(Columns.entity == entity.blob).fetchAll(db) { out[row.link] = row.remoteID }
        return out
    }

    /// The remote ids of a side's records of one kind, in order.
    static func remoteIDs(_ db: Database, link: String, kind: EntityKind) throws -> [String] {
        try select(Columns.remoteID, as: String.self)
            .filter(Columns.link == link && Columns.kind == kind.rawValue)
            .order(Columns.remoteID)
            .fetchAll(db)
    }

    /// Unlinks a side's record.
    static func unlink(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws {
        try deleteOne(db, key: [Columns.link.name: link, Columns.kind.name: kind.rawValue, Columns.remoteID.name: remoteID])
    }
}
