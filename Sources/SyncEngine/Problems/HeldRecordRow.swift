import Foundation
import GRDB
import SyncCore
import SyncStore

/// One row of `held_records`: a record the engine could not sync, with the reason and the payload.
///
/// One row per (link, kind, remote id): holding a held record again refreshes its reason, payload
/// and last time, and keeps its id and first time. ``heldRecord`` reads it as a ``HeldRecord``.
struct HeldRecordRow: FetchableRecord, PersistableRecord, Hashable {
    static let databaseTableName = "held_records"

    enum Columns {
        static let id = Column("id")
        static let link = Column("link")
        static let kind = Column("kind")
        static let remoteID = Column("remote_id")
        static let reasonCode = Column("reason_code")
        static let reason = Column("reason")
        static let payload = Column("payload")
        static let firstHeldAt = Column("first_held_ms")
        static let lastHeldAt = Column("last_held_ms")
    }

    /// Nil until inserted (SQLite assigns it).
    var id: Int64?
    var link: String
    var kind: String
    var remoteID: String
    /// ``HoldReason/Code`` as text.
    var reasonCode: String
    /// The reason's message.
    var reason: String
    var payload: String
    var firstHeldAt: Int64
    var lastHeldAt: Int64

    /// A record held for the first time, at `now`.
    init(link: String, kind: EntityKind, remoteID: String, reason: HoldReason, payload: String, now: Int64) {
        self.link = link
        self.kind = kind.rawValue
        self.remoteID = remoteID
        self.reasonCode = reason.code.rawValue
        self.reason = reason.message
        self.payload = payload
        self.firstHeldAt = now
        self.lastHeldAt = now
    }

    init(row: Row) throws {
        id = row[Columns.id]
        link = row[Columns.link]
        kind = row[Columns.kind]
        remoteID = row[Columns.remoteID]
        reasonCode = row[Columns.reasonCode]
        reason = row[Columns.reason]
        payload = row[Columns.payload]
        firstHeldAt = row[Columns.firstHeldAt]
        lastHeldAt = row[Columns.lastHeldAt]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.link] = link
        container[Columns.kind] = kind
        container[Columns.remoteID] = remoteID
        container[Columns.reasonCode] = reasonCode
        container[Columns.reason] = reason
        container[Columns.payload] = payload
        container[Columns.firstHeldAt] = firstHeldAt
        container[Columns.lastHeldAt] = lastHeldAt
    }

    /// The held record, or nil when the row's kind or reason code is not one this engine knows
    /// (such a row is not listed).
    var heldRecord: HeldRecord? {
        guard let id, let kind = EntityKind(rawValue: kind), let code = HoldReason.Code(rawValue: reasonCode) else { return nil }
        return HeldRecord(id: id, link: link, kind: kind, remoteID: remoteID, reason: HoldReason(code: code, message: reason),
                          payload: payload, firstHeldAt: firstHeldAt, lastHeldAt: lastHeldAt)
    }
}

extension HeldRecordRow {
    /// The hold of one record, if it is held (a cached statement: projection asks for every write it plans).
    static func find(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws -> HeldRecordRow? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM held_records WHERE link = ? AND kind = ? AND remote_id = ?"),
                     arguments: [link, kind.rawValue, remoteID])
    }

    /// Releases the hold of one record, if any (a cached statement: ingest releases every record it merges).
    static func release(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws {
        try db.cachedStatement(sql: "DELETE FROM held_records WHERE link = ? AND kind = ? AND remote_id = ?").execute(arguments: [link, kind.rawValue, remoteID])
    }
}
