import Foundation
import GRDB
import SyncCore

/// The one row of `oorden_side`: Oorden's replica id, minted the first time the engine meets Oorden,
/// and the engine's cursor into the host's change feed.
struct OordenSideRow: FetchableRecord, Hashable {
    static let databaseTableName = "oorden_side"

    enum Columns {
        static let replica = Column("replica")
        static let cursor = Column("cursor")
    }

    var replica: ReplicaID
    /// The last change-feed position merged (0: none yet).
    var cursor: Int64

    init(row: Row) throws {
        let bytes: Data = row[Columns.replica]
        guard let replica = ReplicaID(bytes: bytes) else {
            throw SyncEngineError.invariant("oorden_side holds a replica id of \(bytes.count) bytes, not 16")
        }
        self.replica = replica
        cursor = row[Columns.cursor]
    }

    /// The row, nil before the engine first met Oorden.
    static func find(_ db: Database) throws -> OordenSideRow? {
        try fetchOne(db.cachedStatement(sql: "SELECT replica, cursor FROM oorden_side WHERE singleton = 1"))
    }

    /// Records Oorden's replica id once; a row already there is kept.
    static func insertOnce(_ db: Database, replica: ReplicaID) throws {
        try db.cachedStatement(sql: "INSERT INTO oorden_side (singleton, replica, cursor) VALUES (1, ?, 0) ON CONFLICT (singleton) DO NOTHING")
            .execute(arguments: [replica.blob])
    }

    /// Moves the change-feed cursor to `cursor`.
    static func advance(_ db: Database, to cursor: Int64) throws {
        try db.cachedStatement(sql: "UPDATE oorden_side SET cursor = ? WHERE singleton = 1").execute(arguments: [cursor])
    }
}
