import GRDB
import SyncCore

extension SyncEngine {
    /// The bulk export of `link`'s records of `kind` that a pass started and did not finish reading,
    /// if any: its operation id, to be read again rather than run again.
    public func pendingBulkRead(link: String, kind: EntityKind) throws -> String? {
        try store.read { r in try BulkReadRow.fetchOne(r.db, key: BulkReadRow.key(link: link, kind: kind))?.operation }
    }

    /// Records that a pass started the bulk export `operation` of `link`'s records of `kind`
    /// (replacing an earlier one of the same kind).
    public func recordBulkRead(link: String, kind: EntityKind, operation: String) throws {
        let row = BulkReadRow(link: link, kind: kind, operation: operation, startedAt: clock.nowMilliseconds())
        try store.write { tx in try row.save(tx.db) }
    }

    /// Forgets the bulk export of `link`'s records of `kind`: read to the end, or no longer readable.
    public func clearBulkRead(link: String, kind: EntityKind) throws {
        _ = try store.write { tx in try BulkReadRow.deleteOne(tx.db, key: BulkReadRow.key(link: link, kind: kind)) }
    }
}
