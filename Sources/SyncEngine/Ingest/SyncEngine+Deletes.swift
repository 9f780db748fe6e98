import Foundation
import GRDB
import SyncCore
import SyncStore

extension SyncEngine {
    /// A store deleted a record (a `*/delete` webhook, or the record is gone from a complete scan).
    ///
    /// The link to the store record is removed. When the store link is set to archive on delete (the
    /// default), the entity is archived — a contact's `archived` becomes true, a product's `active`
    /// false — stamped with the delete's time, so the archive reaches Oorden and the other stores and
    /// a later edit anywhere can still revive it. Returns the entity, if the record was linked.
    @discardableResult
    public func ingestDeletion(link linkName: String, kind: EntityKind, remoteID: String, at time: Int64? = nil) throws -> EntityID? {
        guard let link = try link(named: linkName) else { throw SyncEngineError.unknownLink(linkName) }
        let now = clock.nowMilliseconds()
        return try store.write { tx in
            let db = tx.db
            guard let entity = try RemoteIDRow.entity(db, link: link.name, kind: kind, remoteID: remoteID) else {
                // Never linked (held, or not seen yet): remember the deletion all the same, so its
                // create webhook arriving late does not bring it in.
                try HeldRecords.release(db, link: link.name, kind: kind, remoteID: remoteID)
                try Self.rememberDeletion(db, link: link, kind: kind, remoteID: remoteID, storeTime: time ?? now + link.clockOffsetMilliseconds)
                return nil
            }
            try RemoteIDRow.unlink(db, link: link.name, kind: kind, remoteID: remoteID)
            // Remember the deletion (store clock): a late webhook with an older version of the record
            // must not bring it back as a new record.
            let shadowTime = try ShadowRow.find(db, link: link.name, kind: kind, remoteID: remoteID)?.updatedAt ?? 0
            try Self.rememberDeletion(db, link: link, kind: kind, remoteID: remoteID, storeTime: max(shadowTime, time ?? now + link.clockOffsetMilliseconds))
            try ShadowRow.deleteOne(db, key: ShadowRow.key(link: link.name, kind: kind, remoteID: remoteID))
            try HeldRecords.release(db, link: link.name, kind: kind, remoteID: remoteID)
            guard link.archivesOnDelete else { return entity }
            let eventTime = max(0, min((time ?? now) - link.clockOffsetMilliseconds, now))
            let stamp = Stamp(hlc: HLC(milliseconds: eventTime, counter: 0), replica: link.replica)
            switch kind {
            case .contact: try tx.record(entity: entity, kind: kind, field: FieldKey.archived.name, value: .bool(true), stamp: stamp)
            case .product: try tx.record(entity: entity, kind: kind, field: FieldKey.active.name, value: .bool(false), stamp: stamp)
            case .order: break
            }
            try markDirty(db, entity)
            return entity
        }
    }

    /// After a complete scan of a store's records of `kind`, treats every linked record the scan did
    /// not see as deleted there, and releases the holds of store records it did not see (a record held
    /// from a late webhook that the store has since deleted is no longer a problem to fix). Holds of our
    /// own writes (`push_rejected`) stay. Returns the entities affected.
    ///
    /// `snapshotAt` (store time) is given when the scan read the store as it was at that moment — a
    /// Shopify bulk export — rather than page by page as it is now: a record seen or held at or after
    /// it (created after the export started, or changed since) is not taken for deleted, since the
    /// snapshot could not have seen it.
    @discardableResult
    public func reconcileScan(link linkName: String, kind: EntityKind, seen: Set<String>, snapshotAt: Int64? = nil) throws -> [EntityID] {
        let offset = try link(named: linkName)?.clockOffsetMilliseconds ?? 0
        let (unseen, held): ([String], [(String, String)]) = try store.read { r in
            let unseen = try RemoteIDRow.remoteIDs(r.db, link: linkName, kind: kind).filter { remoteID in
                guard !seen.contains(remoteID) else { return false }
                guard let snapshotAt else { return true }
                let shadowAt = try ShadowRow.find(r.db, link: linkName, kind: kind, remoteID: remoteID)?.updatedAt
                return shadowAt.map { $0 < snapshotAt } ?? true
            }
            let held = try HeldRecordRow.filter(HeldRecordRow.Columns.link == linkName && HeldRecordRow.Columns.kind == kind.rawValue)
                .fetchAll(r.db).filter { h in snapshotAt.map { h.lastHeldAt < $0 - offset } ?? true }.map { ($0.remoteID, $0.reasonCode) }
            return (unseen, held)
        }
        var out: [EntityID] = []
        for remoteID in unseen {
            if let e = try ingestDeletion(link: linkName, kind: kind, remoteID: remoteID) { out.append(e) }
        }
        let gone = held.filter { !seen.contains($0.0) && $0.1 != HoldReason.Code.pushRejected.rawValue }
        if !gone.isEmpty {
            try store.write { tx in
                for (remoteID, _) in gone { try HeldRecords.release(tx.db, link: linkName, kind: kind, remoteID: remoteID) }
            }
        }
        return out
    }

    static func rememberDeletion(_ db: Database, link: StoreLink, kind: EntityKind, remoteID: String, storeTime: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO deleted_remote_ids (link, kind, remote_id, deleted_at_ms) VALUES (?, ?, ?, ?)
            ON CONFLICT (link, kind, remote_id) DO UPDATE SET deleted_at_ms = max(deleted_at_ms, excluded.deleted_at_ms)
            """).execute(arguments: [link.name, kind.rawValue, remoteID, storeTime])
    }
}
