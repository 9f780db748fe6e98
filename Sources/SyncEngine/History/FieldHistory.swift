import Foundation
import GRDB
import SyncCore
import SyncStore

/// One write of one field as the engine merged it: the incoming value and stamp, what it replaced
/// (or lost to), and whether it won.
///
/// Recorded when a store record or an Oorden change is ingested (``SyncEngine/ingest(contacts:from:)``,
/// ``SyncEngine/ingest(products:from:)``, ``SyncEngine/pullOorden(from:limit:)``), for every field whose
/// incoming value differs from the merged one. A write equal to the merged value is not recorded.
/// Only the last ``FieldHistory/keepPerField`` entries of each entity field are kept.
public struct FieldHistoryEntry: Sendable, Hashable {
    /// Whether the write became the field's value.
    public enum Outcome: String, Sendable, Hashable {
        /// The write's stamp was newer: it replaced ``FieldHistoryEntry/previousValue``.
        case won
        /// The field already held a newer write (``FieldHistoryEntry/previousValue`` and its stamp): this one was dropped.
        case lost
    }

    /// Increases with every recorded write: the order the engine merged them in.
    public var sequence: Int64
    public var field: String
    /// The incoming value.
    public var value: Value
    /// The incoming write's stamp (event time and the writing side's replica).
    public var stamp: Stamp
    /// The side the write came from: `oorden` or a store link's name.
    public var side: String
    /// The writing replica's label (`oorden`, `shopify:tienda`), or its short id.
    public var writer: String
    public var outcome: Outcome
    /// The value the write replaced (``Outcome/won``) or lost to (``Outcome/lost``); `nil` for a field's first write.
    public var previousValue: Value?
    public var previousStamp: Stamp?
    /// The label of ``previousStamp``'s replica.
    public var previousWriter: String?
    /// When the engine merged the write (wall-clock milliseconds).
    public var recordedAt: Int64

    /// The entry as JSON, for `oorden-sync log --json`.
    public var json: JSONValue {
        .object([
            "sequence": .integer(Int(sequence)),
            "field": .string(field),
            "value": .string(value.description),
            "stamp": .string(stamp.description),
            "time": .string(stamp.hlc.description),
            "side": .string(side),
            "writer": .string(writer),
            "outcome": .string(outcome.rawValue),
            "previous_value": previousValue.map { .string($0.description) } ?? .null,
            "previous_stamp": previousStamp.map { .string($0.description) } ?? .null,
            "previous_writer": previousWriter.map { .string($0) } ?? .null,
            "recorded_at": .string(ISO8601Time.format(recordedAt, zulu: true)),
        ])
    }
}

/// The `field_history` table: bounded per-field write history, written next to the merges of ingest.
///
/// Cost per ingested field that differs from the record's shadow: one primary-key read of the current
/// register before the merge and, when the incoming value differs from it, one insert and one bounded
/// delete (all cached statements). The CRDT store's merge path is untouched.
enum FieldHistory {
    /// Entries kept per entity field; older ones are deleted as new ones arrive.
    static let keepPerField = 50

    /// The field's merged value and stamp before a write.
    struct Before {
        var encoded: String
        var stamp: Stamp
    }

    static func current(_ db: Database, entity: EntityID, field: String) throws -> Before? {
        // The CRDT store's register of the field (SyncStore's table, read by name).
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT value, hlc, replica FROM field_registers WHERE entity = ? AND field = ?"),
                                         arguments: [entity.blob, field]),
              let replica = ReplicaID(bytes: row["replica"] as Data)
        else { return nil }
        return Before(encoded: row["value"], stamp: Stamp(hlc: HLC(int64: row["hlc"]), replica: replica))
    }

    /// Records one merged write. `won` is whether the merge changed the visible value; a write equal
    /// to the value already there is skipped.
    static func note(_ db: Database, entity: EntityID, field: String, value: Value, stamp: Stamp, side: String,
                     before: Before?, won: Bool, now: Int64) throws {
        let encoded = value.encoded
        if let before, before.encoded == encoded { return }
        if !won && before == nil { return }
        try FieldHistoryRow(entity: entity, field: field, value: value, stamp: stamp, side: side, outcome: won ? .won : .lost,
                            before: before, recordedAt: now).insertCached(db)
        try db.cachedStatement(sql: """
            DELETE FROM field_history WHERE entity = ? AND field = ? AND id <= (
                SELECT id FROM field_history WHERE entity = ? AND field = ? ORDER BY id DESC LIMIT 1 OFFSET \(keepPerField))
            """).execute(arguments: [entity.blob, field, entity.blob, field])
    }
}

extension SyncEngine {
    /// An entity's recorded writes, oldest first (at most ``FieldHistory/keepPerField`` per field),
    /// optionally of one field only.
    public func history(of entity: EntityID, field: String? = nil) throws -> [FieldHistoryEntry] {
        try store.read { r in
            let labels = try r.replicaLabels()
            func label(_ replica: ReplicaID) -> String {
                labels[replica].flatMap { $0.isEmpty ? nil : $0 } ?? replica.short
            }
            var request = FieldHistoryRow.filter(FieldHistoryRow.Columns.entity == entity.blob)
            if let field { request = request.filter(FieldHistoryRow.Columns.field == field) }
            return try request.order(FieldHistoryRow.Columns.id).fetchAll(r.db).compactMap { try $0.entry(label: label) }
        }
    }
}
