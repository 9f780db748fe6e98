import GRDB
import SyncCore
import SyncStore

/// Where reconciliation polling of one store and kind stands (`sync_cursors`, engine-v4-cursors).
public struct PollCursor: Sendable, Hashable {
    public var link: String
    public var kind: EntityKind
    /// The newest store `updated_at` (milliseconds, store clock) seen by a pull that completed; the next
    /// incremental pull asks for records updated since this minus the overlap window. `nil`: never pulled.
    public var updatedAtMilliseconds: Int64?
    /// When (our clock) the last complete scan of this store and kind finished; `nil`: never.
    public var lastCompleteScanMilliseconds: Int64?

    public init(link: String, kind: EntityKind, updatedAtMilliseconds: Int64? = nil, lastCompleteScanMilliseconds: Int64? = nil) {
        self.link = link
        self.kind = kind
        self.updatedAtMilliseconds = updatedAtMilliseconds
        self.lastCompleteScanMilliseconds = lastCompleteScanMilliseconds
    }
}

extension SyncEngine {
    /// The polling cursor of a store and kind (empty when the store was never pulled).
    public func pollCursor(link: String, kind: EntityKind) throws -> PollCursor {
        try store.read { r in
            let row = try SyncCursorRow.find(r.db, link: link, kind: kind)
            return PollCursor(link: link, kind: kind, updatedAtMilliseconds: row?.updatedAt, lastCompleteScanMilliseconds: row?.completeScanAt)
        }
    }

    /// Records that a pull of `link`/`kind` finished: the cursor moves to `newestUpdatedAt` (never
    /// back), and `completeScanAt` (our clock) is stored when the pull read every record.
    ///
    /// Call it only after every record of the pull was ingested: a crash before this call repeats the
    /// pull from the old cursor, which is harmless (ingesting a record again changes nothing).
    /// A time beyond the store's present (a record stamped in 2099) moves it only to that present, so
    /// incremental pulls still see the edits that follow.
    public func finishPull(link: String, kind: EntityKind, newestUpdatedAt: Int64?, completeScanAt: Int64?) throws {
        let present = try self.link(named: link).map { StoreIngest(link: SideLink($0), now: clock.nowMilliseconds()) }
        let newestUpdatedAt = newestUpdatedAt.map { present?.presentOrEarlier($0) ?? $0 }
        try store.write { tx in
            let row = try SyncCursorRow.find(tx.db, link: link, kind: kind) ?? SyncCursorRow(link: link, kind: kind)
            try row.advanced(newestUpdatedAt: newestUpdatedAt, completeScanAt: completeScanAt).save(tx.db)
        }
    }
}
