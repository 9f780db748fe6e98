import SyncCore
import GRDB

extension OordenLedger {
    /// Change-feed entries with a sequence greater than `sequence`, oldest first, at most `limit`.
    ///
    /// Start with `after: 0`; pass the last entry's ``LedgerChange/sequence`` to continue.
    public func changes(after sequence: Int64, limit: Int) throws -> [LedgerChange] {
        guard limit > 0 else { return [] }
        return try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM change_feed WHERE seq > ? ORDER BY seq LIMIT ?"), arguments: [sequence, limit]).map {
                LedgerChange(sequence: $0["seq"], kind: try $0.enumValue("entity_kind", as: LedgerEntityKind.self), entityID: $0["entity_id"],
                             action: try $0.enumValue("action", as: LedgerChangeAction.self), time: $0["time"], origin: try $0.origin("origin"))
            }
        }
    }

    /// The sequence of the newest change-feed entry, 0 when empty.
    public func latestChangeSequence() throws -> Int64 {
        try read { db in try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM change_feed")) ?? 0 }
    }
}
