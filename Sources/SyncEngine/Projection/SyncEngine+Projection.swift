import Foundation
import GRDB
import SyncCore
import SyncStore

extension SyncEngine {
    /// Projects the merged state of every dirty entity to every side.
    ///
    /// For each side the desired record is the merged state restricted to the fields that side keeps;
    /// its difference from the side's shadow is what to write. Oorden writes happen here, through
    /// `host` (in process); store writes come back as ``PushIntent``s for the driver. An entity stays
    /// dirty while a store write for it is outstanding, so a crash before its completion re-projects it.
    ///
    /// Entities whose merged state breaks a rule (a contact without e-mail or last name, a product
    /// without SKU) are not projected; their records are already held with the reason.
    ///
    /// `hostStock: false` leaves Oorden's stock alone for now: a store sale lowers the store's level
    /// before its order reaches Oorden and reserves the units there, so Oorden's stock is corrected only
    /// after the pass has applied the stores' orders (the driver's final projection).
    ///
    /// At most `limit` dirty entities are projected, in id order from after `after` (nil: from the
    /// first); ``ProjectionResult/lastEntity`` is where the next call continues, nil when the dirty
    /// set had no more (queued order edits come with that last call). Entities are projected in
    /// batches of ``projectionBatch``; with a host whose batches are atomic
    /// (``OordenHost/batchesAtomically``) each batch is one engine transaction around one host batch:
    /// every entity's writes still succeed or fail alone (they are savepoints of the two
    /// transactions), only the commits are shared, and an error undoes the batch on both sides.
    public func project(host: any OordenHost, limit: Int = 1_000, hostStock: Bool = true, after: EntityID? = nil) throws -> ProjectionResult {
        let dirty: [EntityID] = try store.read { r in
            let rows: [Data]
            if let after {
                rows = try Data.fetchAll(r.db.cachedStatement(sql: "SELECT entity FROM dirty_entities WHERE entity > ? ORDER BY entity LIMIT ?"),
                                         arguments: [after.blob, limit])
            } else {
                rows = try Data.fetchAll(r.db.cachedStatement(sql: "SELECT entity FROM dirty_entities ORDER BY entity LIMIT ?"), arguments: [limit])
            }
            return rows.compactMap { EntityID(bytes: $0) }
        }
        let links = try links()
        let oorden = oordenLink(try oordenReplica())
        var result = ProjectionResult()
        var start = 0
        while start < dirty.count {
            let chunk = dirty[start..<min(start + Self.projectionBatch, dirty.count)]
            start += chunk.count
            try batched(host) { engine, host in
                for entity in chunk {
                    try engine.projectEntity(entity, host: host, links: links, oorden: oorden, hostStock: hostStock, result: &result)
                }
            }
        }
        result.lastEntity = dirty.count == limit ? dirty.last : nil
        // Queued order edits once per sweep, with its last call.
        if result.lastEntity == nil { result.pushes += try orderEditIntents(links: links) }
        return result
    }

    /// How many dirty entities one projection transaction covers.
    static let projectionBatch = 200

    func projectEntity(_ entity: EntityID, host: any OordenHost, links: [StoreLink], oorden: SideLink, hostStock: Bool,
                       result: inout ProjectionResult) throws {
        var pending = false
        if let state = try state(of: entity), state.kind != .order, !state.registers.isDeleted {
            // The register map is decoded into fields once per read of the state, not once per side.
            let merged = try FieldValues(registers: state.registers)
            if Self.projectable(kind: state.kind, merged) {
                let changed = try projectToHost(entity: entity, kind: state.kind, merged: merged, host: host, oorden: oorden, result: &result)
                // Re-read only when Oorden changed the state: linking to an existing Oorden record merges
                // its values, and Oorden may answer a write with a normalized value.
                let current = changed ? try self.state(of: entity).map { try FieldValues(registers: $0.registers) } : merged
                if let current {
                    pending = try projectToStores(entity: entity, kind: state.kind, merged: current, host: host, links: links,
                                                  oorden: oorden, hostStock: hostStock, result: &result)
                }
            }
        }
        if !pending {
            try store.write { tx in try tx.db.cachedStatement(sql: "DELETE FROM dirty_entities WHERE entity = ?").execute(arguments: [entity.blob]) }
        }
    }

    /// Collects the entity's store writes (and, for a product, settles Oorden's stock); returns
    /// whether a write is outstanding, which keeps the entity dirty.
    private func projectToStores(entity: EntityID, kind: EntityKind, merged: FieldValues, host: any OordenHost, links: [StoreLink],
                                 oorden: SideLink, hostStock: Bool, result: inout ProjectionResult) throws -> Bool {
        var pending = false
        for link in links {
            if let intent = try storeIntent(link: link, entity: entity, kind: kind, merged: merged) {
                result.pushes.append(intent)
                pending = true
            }
        }
        guard kind == .product else { return pending }
        if hostStock {
            try projectStockToHost(entity: entity, host: host, oorden: oorden, result: &result)
        } else if try stockNeedsHost(entity: entity, host: host, oorden: oorden) {
            pending = true
        }
        for link in links {
            if let intent = try stockIntent(link: link, entity: entity) {
                result.pushes.append(intent)
                pending = true
            }
        }
        return pending
    }

    /// Whether the merged fields pass the rules every record must meet before it is written anywhere.
    static func projectable(kind: EntityKind, _ fields: FieldValues) -> Bool {
        switch kind {
        case .contact: return ContactRules.holdReason(fields) == nil
        case .product: return ProductRules.holdReason(fields, name: fields[.name]?.stringValue ?? "") == nil
        case .order: return false
        }
    }

    // MARK: Oorden

    /// Writes the entity's merged state to Oorden; returns whether that changed the merged state.
    ///
    /// The fields a side keeps are the merged ones restricted to its keys; a field no side ever wrote
    /// is absent, not null, because projecting it would erase what the side has.
    func projectToHost(entity: EntityID, kind: EntityKind, merged: FieldValues, host: any OordenHost, oorden: SideLink,
                       result: inout ProjectionResult) throws -> Bool {
        let record = try Self.recordKind(kind)
        let desired = merged.restricted(to: CanonicalFields.keys(record, side: .oorden))
        do {
            if let remote = try remoteID(side: oorden.name, kind: kind, entity: entity) {
                let shadow = try shadowFields(side: oorden.name, kind: kind, remoteID: remote) ?? FieldValues()
                let changed = desired.filter { shadow[$0.key] != $0.value }
                guard !changed.isEmpty else { return false }
                let returned = try host.update(record, id: remote, fields: changed, origin: oorden.replica)
                result.hostUpdates += 1
                return try absorb(side: oorden, kind: kind, entity: entity, remoteID: remote, written: changed, returned: returned.fields, updatedAt: returned.updatedAt)
            } else if let key = Self.naturalKey(record, merged), let found = try host.find(record, naturalKey: key),
                      try self.entity(link: oorden.name, kind: kind, remoteID: found.id) == nil {
                // An Oorden record with this e-mail or SKU exists: link it and merge its values by time.
                let now = clock.nowMilliseconds()
                try store.write { tx in
                    try RemoteIDRow(link: oorden.name, kind: kind, remoteID: found.id, entity: entity).insertCached(tx.db)
                    _ = try ingestHostRecord(&tx, ingest: StoreIngest(link: oorden, now: now), record: found)
                }
                result.hostLinks += 1
                guard let linked = try self.state(of: entity) else { return true }
                _ = try projectToHost(entity: entity, kind: kind, merged: try FieldValues(registers: linked.registers), host: host,
                                      oorden: oorden, result: &result)
                return true
            } else {
                let created = try host.create(record, fields: desired, origin: oorden.replica)
                result.hostCreates += 1
                return try absorb(side: oorden, kind: kind, entity: entity, remoteID: created.id, written: desired, returned: created.fields, updatedAt: created.updatedAt)
            }
        } catch let refusal as OordenRefusal {
            // Oorden refused the write (a rule of its data): hold it with Oorden's own message. Any
            // other error (storage, I/O) fails the pass instead, holding nothing.
            let target = try remoteID(side: oorden.name, kind: kind, entity: entity) ?? "new:\(entity.hex)"
            let now = clock.nowMilliseconds()
            try store.write { tx in
                try HeldRecords.hold(tx.db, link: oorden.name, kind: kind, remoteID: target,
                                     reason: HoldReason(code: .pushRejected, message: "Oorden refused the \(kind.rawValue): \(refusal.message)"),
                                     payload: desired.encodedJSON.jsonText, now: now)
            }
            return false
        }
    }

    // MARK: Stores

    func storeIntent(link: StoreLink, entity: EntityID, kind: EntityKind, merged: FieldValues) throws -> PushIntent? {
        let record = try Self.recordKind(kind)
        let desired = merged.restricted(to: CanonicalFields.keys(record, side: .store(link.kind)))
        let intent: PushIntent
        if let remote = try remoteID(side: link.name, kind: kind, entity: entity) {
            let shadow = try shadowFields(side: link.name, kind: kind, remoteID: remote) ?? FieldValues()
            let changed = desired.filter { shadow[$0.key] != $0.value }
            guard !changed.isEmpty else { return nil }
            intent = PushIntent(link: link.name, kind: kind, entity: entity, action: .update(remoteID: remote), fields: changed,
                                record: shadow.merging(changed), naturalKey: Self.naturalKey(record, merged))
        } else {
            guard link.createsKinds.contains(kind) else { return nil }
            // An archived contact or an inactive product is not created anywhere new: that is how a
            // record deleted in a store stays deleted there instead of coming back.
            if kind == .contact && merged[.archived] == .bool(true) { return nil }
            if kind == .product && merged[.active] == .bool(false) { return nil }
            intent = PushIntent(link: link.name, kind: kind, entity: entity, action: .create, fields: desired, record: desired,
                                naturalKey: Self.naturalKey(record, merged), stock: kind == .product ? try stock(of: entity) : nil)
        }
        // The same write the store already refused is not sent again until the entity changes.
        let target = Self.pushTarget(intent)
        if let held = try store.read({ try HeldRecords.find($0.db, link: link.name, kind: kind, remoteID: target) }),
           held.reasonCode == HoldReason.Code.pushRejected.rawValue, held.payload == intent.key {
            return nil
        }
        return intent
    }

    /// The record kind of a contact or product entity. Orders are documents, never projected as
    /// records: being asked to is a bug in the engine, reported as one.
    static func recordKind(_ kind: EntityKind) throws -> RecordKind {
        guard let record = RecordKind(kind) else {
            throw SyncEngineError.invariant("an order was handled as a contact or product record")
        }
        return record
    }

    static func pushTarget(_ intent: PushIntent) -> String {
        switch intent.action {
        case .create: "new:\(intent.entity.hex)"
        case .update(let id), .adjustStock(let id, _): id
        }
    }

    /// Records that a store accepted a push (or that the record to create already existed there):
    /// links it, makes the written record the shadow and merges anything the store changed on the
    /// way in (a reformatted phone becomes a store write, so nothing loops).
    ///
    /// `answered` says whether `fields` are the store's answer to this write (its create or update
    /// response), as opposed to a record found by a lookup (an in-doubt create, an e-mail already
    /// taken). Only an answer is that write as the store keeps it: a found record may be another
    /// record entirely, made by the merchant earlier, whose values must not outrank ours.
    public func completePush(_ intent: PushIntent, remoteID: String, returned fields: FieldValues, updatedAt: Int64?,
                             answered: Bool = true) throws {
        guard let link = try link(named: intent.link) else { throw SyncEngineError.unknownLink(intent.link) }
        var restricted = FieldValues()
        for key in CanonicalFields.keys(try Self.recordKind(intent.kind), side: .store(link.kind)) { restricted[key] = fields[key] ?? .null }
        try absorb(side: SideLink(link), kind: intent.kind, entity: intent.entity, remoteID: remoteID, written: intent.record,
                   returned: restricted, updatedAt: updatedAt ?? clock.nowMilliseconds(), answered: answered)
        let target = Self.pushTarget(intent)
        try store.write { tx in try HeldRecords.release(tx.db, link: link.name, kind: intent.kind, remoteID: target) }
    }

    /// A contact push completed: the store's record as it answered.
    public func completePush(_ intent: PushIntent, contact: ContactRecord, answered: Bool = true) throws {
        try completePush(intent, remoteID: contact.remoteID, returned: contact.canonicalFields, updatedAt: contact.updatedAt, answered: answered)
    }

    /// A product push completed: the store's record (the variant written) as it answered. A record
    /// the engine created starts its stock baseline at the level the store answered with; one found by
    /// a lookup after an in-doubt create starts at the level our create sent, so a sale made in the
    /// store before the lookup counts (``observeStock``).
    public func completePush(_ intent: PushIntent, product: ProductRecord, answered: Bool = true) throws {
        let remote = Self.remoteID(of: product)
        try completePush(intent, remoteID: remote, returned: product.canonicalFields, updatedAt: product.updatedAt, answered: answered)
        guard product.manageStock, let level = product.stockQuantity, let link = try link(named: intent.link) else { return }
        try store.write { tx in
            if answered {
                _ = try Self.takeCreateStock(tx.db, link: intent.link, entity: intent.entity)
                try tx.db.cachedStatement(sql: "INSERT INTO stock_baselines (link, remote_id, level) VALUES (?, ?, ?) ON CONFLICT (link, remote_id) DO NOTHING").execute(arguments: [intent.link, remote, Int64(level)])
                try markDirty(tx.db, intent.entity)
            } else {
                try observeStock(&tx, link: link, remoteID: remote, entity: intent.entity, level: Int64(level), isNewEntity: false)
            }
        }
    }

    /// A product create is about to be sent to its store, the new record to start at stock `level`
    /// (WooCommerce takes the level in the create; a Shopify REST create starts at 0 and the level
    /// follows as an adjustment).
    public func willSendCreate(_ intent: PushIntent, level: Int64) throws {
        guard case .create = intent.action, intent.kind == .product else { return }
        try store.write { tx in try Self.noteCreateStock(tx.db, link: intent.link, entity: intent.entity, level: level) }
    }

    /// A push failed. A permanent failure (the store refused it: 422/400) holds the record with the
    /// store's message until the entity changes; a transient one leaves it dirty for the next pass.
    public func failPush(_ intent: PushIntent, message: String, permanent: Bool) throws {
        guard permanent else { return }
        let now = clock.nowMilliseconds()
        try store.write { tx in
            try HeldRecords.hold(tx.db, link: intent.link, kind: intent.kind, remoteID: Self.pushTarget(intent),
                                 reason: HoldReason(code: .pushRejected, message: "Store \(intent.link) refused the \(intent.kind.rawValue): \(message)"),
                                 payload: intent.key, now: now)
        }
    }

    // MARK: Shared

    /// Makes `written` the side's shadow of the record (at the time the store answered with; Oorden's
    /// shadows keep theirs), then ingests what
    /// the side returned: only fields the side changed on the way in become that side's writes.
    @discardableResult
    func absorb(side: SideLink, kind: EntityKind, entity: EntityID, remoteID: String, written: FieldValues, returned: FieldValues, updatedAt: Int64,
                answered: Bool = true) throws -> Bool {
        let now = clock.nowMilliseconds()
        let ingest = StoreIngest(link: side, now: now)
        let updatedAt = ingest.presentOrEarlier(updatedAt)
        return try store.write { tx in
            let db = tx.db
            if let linked = try RemoteIDRow.entity(db, link: side.name, kind: kind, remoteID: remoteID) {
                guard linked == entity else {
                    throw SyncEngineError(code: .conflict,
                                          message: "\(side.name) \(kind.rawValue) \(remoteID) is already linked to another entity (\(linked.hex)); resolve the duplicate there")
                }
            } else {
                try RemoteIDRow(link: side.name, kind: kind, remoteID: remoteID, entity: entity).insertCached(db)
            }
            let previous = try ShadowRow.find(db, link: side.name, kind: kind, remoteID: remoteID)
            var shadow = try previous?.fields() ?? FieldValues()
            shadow.merge(written)
            // A field we did not send that comes back empty was not changed by the side: absent and
            // empty are the same thing on a fresh record, so it must not become that side's write.
            for (key, value) in returned where value.isNull && shadow[key] == nil { shadow[key] = .null }
            // A store's record now carries our write's time. Whatever it held before was merged by
            // the read that precedes every update (`mergeBeforeUpdate`), so a webhook of an older
            // version arriving late is stale — not a store edit that would undo our write. Oorden's
            // change feed is read in order, so its shadows keep their time.
            let time: Int64
            let counter: Int64
            if case .store = side.side {
                let sameSecond = previous.map { $0.updatedAt == updatedAt } ?? false
                time = updatedAt
                counter = sameSecond ? previous?.sameSecondCounter ?? 0 : 0
            } else {
                time = min(previous?.updatedAt ?? 0, updatedAt)
                counter = previous?.sameSecondCounter ?? 0
            }
            try ShadowRow(link: side.name, kind: kind, remoteID: remoteID, updatedAt: time, sameSecondCounter: counter, fields: shadow).replace(db)
            let shape = try Self.recordKind(kind)
            return try !ingest.ingest(
                &tx, shape: shape, remoteID: remoteID, fields: returned, updatedAt: updatedAt, marker: nil,
                naturalKey: Self.naturalKey(shape, returned), holdReason: nil,
                payload: returned.encodedJSON.jsonText,
                causedBy: answered ? try Self.reformatted(db, side: side, entity: entity, written: written, returned: returned) : [:],
                newEntity: { entity }).changes.isEmpty
        }
    }

    /// The fields a store answered our write with in another form (a phone in E.164), each with the
    /// stamp of the value we wrote — when that value is still the merged one. The store's form is
    /// that write as the store keeps it, so it is stamped after it and becomes the value everywhere:
    /// one write, then quiet, whatever the millisecond of the write it answers (the store's
    /// `updated_at` has whole seconds). A field answered empty was dropped, not reformatted, and is
    /// not included. Oorden's answers keep their own stamps.
    static func reformatted(_ db: Database, side: SideLink, entity: EntityID, written: FieldValues,
                            returned: FieldValues) throws -> [FieldKey: Stamp] {
        guard case .store = side.side else { return [:] }
        var causes: [FieldKey: Stamp] = [:]
        for (key, value) in written {
            guard let answer = returned[key], !answer.isNull, answer != value,
                  let current = try FieldHistory.current(db, entity: entity, field: key.name), current.encoded == value.encoded
            else { continue }
            causes[key] = current.stamp
        }
        return causes
    }

    func remoteID(side: String, kind: EntityKind, entity: EntityID) throws -> String? {
        try store.read { r in try RemoteIDRow.remoteID(r.db, link: side, kind: kind, entity: entity) }
    }

    func shadowFields(side: String, kind: EntityKind, remoteID: String) throws -> FieldValues? {
        try store.read { r in try Self.shadow(r.db, link: side, kind: kind, remoteID: remoteID) }
    }
}
