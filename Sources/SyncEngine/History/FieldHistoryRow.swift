import Foundation
import GRDB
import SyncCore

/// One row of `field_history`: one merged write of one entity field (see ``FieldHistoryEntry``).
struct FieldHistoryRow: FetchableRecord, PersistableRecord, Hashable {
    static let databaseTableName = "field_history"

    enum Columns {
        static let id = Column("id")
        static let entity = Column("entity")
        static let field = Column("field")
        static let value = Column("value")
        static let hlc = Column("hlc")
        static let replica = Column("replica")
        static let side = Column("side")
        static let outcome = Column("outcome")
        static let previousValue = Column("previous_value")
        static let previousHLC = Column("previous_hlc")
        static let previousReplica = Column("previous_replica")
        static let recordedAt = Column("recorded_ms")
    }

    /// Nil until inserted: SQLite assigns it, increasing with every write recorded.
    var id: Int64?
    var entity: Data
    var field: String
    /// The incoming value, encoded (``Value/encoded``).
    var value: String
    var hlc: Int64
    var replica: Data
    var side: String
    var outcome: String
    var previousValue: String?
    var previousHLC: Int64?
    var previousReplica: Data?
    var recordedAt: Int64

    init(entity: EntityID, field: String, value: Value, stamp: Stamp, side: String, outcome: FieldHistoryEntry.Outcome,
         before: FieldHistory.Before?, recordedAt: Int64) {
        self.id = nil
        self.entity = entity.blob
        self.field = field
        self.value = value.encoded
        self.hlc = stamp.hlc.int64
        self.replica = stamp.replica.blob
        self.side = side
        self.outcome = outcome.rawValue
        self.previousValue = before?.encoded
        self.previousHLC = before?.stamp.hlc.int64
        self.previousReplica = before?.stamp.replica.blob
        self.recordedAt = recordedAt
    }

    init(row: Row) throws {
        id = row[Columns.id]
        entity = row[Columns.entity]
        field = row[Columns.field]
        value = row[Columns.value]
        hlc = row[Columns.hlc]
        replica = row[Columns.replica]
        side = row[Columns.side]
        outcome = row[Columns.outcome]
        previousValue = row[Columns.previousValue]
        previousHLC = row[Columns.previousHLC]
        previousReplica = row[Columns.previousReplica]
        recordedAt = row[Columns.recordedAt]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.entity] = entity
        container[Columns.field] = field
        container[Columns.value] = value
        container[Columns.hlc] = hlc
        container[Columns.replica] = replica
        container[Columns.side] = side
        container[Columns.outcome] = outcome
        container[Columns.previousValue] = previousValue
        container[Columns.previousHLC] = previousHLC
        container[Columns.previousReplica] = previousReplica
        container[Columns.recordedAt] = recordedAt
    }

    /// Inserts the row through one cached statement. Ingest records a row for nearly every field of
    /// an import; `insert(_:)` would build a persistence container (a dictionary) per row on that path.
    func insertCached(_ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO field_history (entity, field, value, hlc, replica, side, outcome, previous_value, previous_hlc, previous_replica, recorded_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [entity, field, value, hlc, replica, side, outcome, previousValue, previousHLC, previousReplica, recordedAt])
    }

    /// The entry, with replicas named by `label`; nil for a row whose replica or outcome cannot be read.
    func entry(label: (ReplicaID) -> String) throws -> FieldHistoryEntry? {
        guard let id, let writer = ReplicaID(bytes: replica), let outcome = FieldHistoryEntry.Outcome(rawValue: outcome) else { return nil }
        var previousStamp: Stamp? = nil
        if let previousHLC, let previousReplica, let r = ReplicaID(bytes: previousReplica) {
            previousStamp = Stamp(hlc: HLC(int64: previousHLC), replica: r)
        }
        return FieldHistoryEntry(
            sequence: id, field: field, value: try Value(encoded: value), stamp: Stamp(hlc: HLC(int64: hlc), replica: writer),
            side: side, writer: label(writer), outcome: outcome, previousValue: try previousValue.map { try Value(encoded: $0) },
            previousStamp: previousStamp, previousWriter: previousStamp.map { label($0.replica) }, recordedAt: recordedAt)
    }
}
