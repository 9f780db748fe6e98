import Foundation
import GRDB
import SyncCore
import SyncStore

extension SyncEngine {
    /// Merges a store's current customer, read just before an update is sent to it, and says whether
    /// the planned write still stands.
    ///
    /// Store APIs have no conditional update: a write replaces whatever the merchant typed since the
    /// engine last saw the record, and that edit's webhook may still be on its way. Once the write has
    /// landed, the store's record carries the write's `updated_at`, and the late webhook looks older
    /// than what it describes — the merchant's newer edit would be lost on every side. Reading first and
    /// merging what was read narrows that window to the time between the read and the write.
    ///
    /// ```swift
    /// if try engine.mergeBeforeUpdate(intent, contact: IncomingRecord(current, payload: body)) {
    ///     // send intent.fields
    /// }
    /// ```
    ///
    /// - Returns: `true` to send the write as planned: the store's copy is what the engine last saw (or
    ///   could not be used: held, or older than the shadow). `false` when the store changed it in the
    ///   meantime: the change is merged like any store change (it may win or lose field by field), the
    ///   entity is marked for projection, and the next round plans the write again from the merged state.
    public func mergeBeforeUpdate(_ intent: PushIntent, contact: IncomingRecord<ContactRecord>) throws -> Bool {
        try mergeBeforeUpdate(intent, remoteID: contact.record.remoteID) { engine in try engine.ingest(contacts: [contact], from: intent.link) }
    }

    /// Merges a store's current product variant, read just before an update is sent to it; see
    /// ``mergeBeforeUpdate(_:contact:)``.
    public func mergeBeforeUpdate(_ intent: PushIntent, product: IncomingRecord<ProductRecord>) throws -> Bool {
        try mergeBeforeUpdate(intent, remoteID: Self.remoteID(of: product.record)) { engine in try engine.ingest(products: [product], from: intent.link) }
    }

    private func mergeBeforeUpdate(_ intent: PushIntent, remoteID: String, ingest: (SyncEngine) throws -> [IngestOutcome]) throws -> Bool {
        try store.write { tx in
            let before = try Self.shadow(tx.db, link: intent.link, kind: intent.kind, remoteID: remoteID)
            // The ingest is a savepoint of this transaction, made through the engine working in it.
            guard let outcome = try ingest(joined(to: tx)).first else { return true }
            switch outcome.status {
            case .held, .stale: return true
            case .created, .linked, .updated, .unchanged: break
            }
            let after = try Self.shadow(tx.db, link: intent.link, kind: intent.kind, remoteID: remoteID)
            guard before != after else { return true }
            // A store change that lost the merge leaves the store holding a loser: re-projecting the
            // entity writes the winner back, with every field that now differs from the shadow.
            try markDirty(tx.db, intent.entity)
            return false
        }
    }

    static func shadow(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws -> FieldValues? {
        try ShadowRow.find(db, link: link, kind: kind, remoteID: remoteID)?.fields()
    }
}

extension SyncEngine {
    /// Whether a store's version of a customer must be replaced by a fresh read before it is merged:
    /// it carries the same `updated_at` as the engine's shadow of the record but other values.
    ///
    /// Store times have second precision, so such a version may be newer than the shadow or older — a
    /// late webhook of our own create followed in the same second by our update, or two merchant edits
    /// within one second delivered out of order. Merged as it is, it would be taken as the newer one
    /// (see ``ingest(contacts:from:)``) and could revert a later value. The store's current record
    /// settles it; the daemon reads that instead (``SyncDriver``'s `currentContact`).
    public func needsFreshRead(contact: ContactRecord, from link: String) throws -> Bool {
        try needsFreshRead(link: link, kind: .contact, remoteID: contact.remoteID, updatedAt: contact.updatedAt, fields: contact.canonicalFields)
    }

    /// ``needsFreshRead(contact:from:)`` for one sellable SKU of a product.
    public func needsFreshRead(product: ProductRecord, from link: String) throws -> Bool {
        try needsFreshRead(link: link, kind: .product, remoteID: Self.remoteID(of: product), updatedAt: product.updatedAt, fields: product.canonicalFields)
    }

    private func needsFreshRead(link: String, kind: EntityKind, remoteID: String, updatedAt: Int64?, fields: FieldValues) throws -> Bool {
        guard let updatedAt else { return false }
        return try store.read { r in
            guard let row = try ShadowRow.find(r.db, link: link, kind: kind, remoteID: remoteID), row.updatedAt == updatedAt else { return false }
            let shadow = try row.fields()
            // Absent and empty are the same value here.
            return Set(shadow.keys).union(fields.keys).contains { (shadow[$0] ?? .null) != (fields[$0] ?? .null) }
        }
    }
}
