import Foundation
import GRDB
import SyncCore
import SyncStore

/// Merges records a store sent into the CRDT state, inside one transaction.
///
/// For each record: hold it if it breaks a rule; find its entity (remote id link, then our marker,
/// then the natural key); diff it against the link's shadow; stamp the changed fields with the
/// store's event time and the link's replica; merge; update the shadow, the link and the natural key.
///
/// Event time is the store's `updated_at` corrected by the link's estimated clock offset and never
/// later than now. Store times have second precision, so a store edit is stamped at the start of its
/// second: within one second an Oorden edit (millisecond precision) wins. Two store versions with the
/// same `updated_at` are ordered by arrival through the HLC counter.
///
/// Oorden's records (a side that ``SideLink/ticksClock``) are stamped by ticking Oorden's hybrid clock
/// with the ledger's time instead, and are never stale by time: they are read in the feed's order, as
/// they are now, while the ledger's clock may step back.
struct StoreIngest {
    /// The side the records come from: a store link, or Oorden (`SideLink.oorden`).
    let link: SideLink
    let now: Int64

    /// - Parameters:
    ///   - fields: the record's canonical fields.
    ///   - naturalKey: normalized e-mail or SKU (nil when missing).
    ///   - createdAt: the store's creation time of the record, when it says (see "our own create" below).
    ///   - causedBy: per field, the stamp of the write this record answers (a store's reformatting of
    ///     a value we wrote): the field's new value is stamped after it, since the store made it from
    ///     our write — not at the start of the store's second, where it would lose to our own write.
    ///   - clockReading: for a side that ticks its clock, the reading already taken for this version
    ///     (the Oorden feed ticks per entry); nil ticks the clock when the version changes a field.
    func ingest(
        _ tx: inout CRDTTransaction, shape: RecordKind, remoteID: String, fields: FieldValues, updatedAt: Int64?,
        marker: EntityID?, naturalKey: String?, holdReason: HoldReason?, payload: @autoclosure () -> String,
        createdAt: Int64? = nil, causedBy: [FieldKey: Stamp] = [:], clockReading: Stamp? = nil, newEntity: () -> EntityID
    ) throws -> IngestOutcome {
        var outcome = try merge(&tx, shape: shape, remoteID: remoteID, fields: Self.cleaned(fields), updatedAt: updatedAt.map(presentOrEarlier),
                                marker: marker, naturalKey: naturalKey, holdReason: holdReason, payload: payload(),
                                createdAt: createdAt, causedBy: causedBy, clockReading: clockReading, newEntity: newEntity)
        if let updatedAt, presentOrEarlier(updatedAt) != updatedAt { outcome.clampedUpdatedAt = updatedAt }
        return outcome
    }

    /// `fields` under the one control-character rule (``ControlCharacters``), for every side — Oorden's
    /// records too — so what the engine keeps and compares never holds a NUL or an escape code.
    static func cleaned(_ fields: FieldValues) -> FieldValues {
        var out = fields
        for (key, value) in fields {
            let clean = ControlCharacters.cleaned(value, field: key)
            if clean != value { out[key] = clean }
        }
        return out
    }

    /// How far past the store's estimated present a store time may lie: the estimate's own noise
    /// (`Date` headers have whole seconds). A time beyond it is kept as that limit.
    static let futureTolerance: Int64 = 5_000

    /// A store time, never later than the store's present (now, corrected by the link's estimated
    /// clock offset, plus ``futureTolerance``). A record stamped in 2099 — a bug, a broken clock, a
    /// forged delivery — would otherwise be kept as its shadow's time, and every later real edit would
    /// read as older and be dropped.
    func presentOrEarlier(_ storeTime: Int64) -> Int64 {
        min(storeTime, now + link.clockOffsetMilliseconds + Self.futureTolerance)
    }

    private func merge(
        _ tx: inout CRDTTransaction, shape: RecordKind, remoteID: String, fields: FieldValues, updatedAt: Int64?,
        marker: EntityID?, naturalKey: String?, holdReason: HoldReason?, payload: @autoclosure () -> String,
        createdAt: Int64?, causedBy: [FieldKey: Stamp], clockReading: Stamp?, newEntity: () -> EntityID
    ) throws -> IngestOutcome {
        let db = tx.db
        let kind = shape.entityKind
        let storeTime = updatedAt ?? now

        let shadow = try ShadowRow.find(db, link: link.name, kind: kind, remoteID: remoteID)
        var shadowFields = FieldValues()
        var counter: UInt16 = 0
        if let shadow {
            let shadowTime = shadow.updatedAt
            shadowFields = try shadow.fields()
            // Oorden's versions come in feed order, each as the record is now: none is older than
            // its shadow, whatever its ledger time says.
            if storeTime < shadowTime && !link.ticksClock {
                return IngestOutcome(remoteID: remoteID, entity: nil, status: .stale, changes: [])
            }
            if storeTime == shadowTime {
                if shadowFields == fields {
                    let entity = try linkedEntity(db, kind: kind, remoteID: remoteID)
                    return IngestOutcome(remoteID: remoteID, entity: entity, status: .unchanged, changes: [])
                }
                counter = UInt16(min(shadow.sameSecondCounter + 1, Int64(UInt16.max)))
            }
        }

        if shadow == nil, let deletedAt = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT deleted_at_ms FROM deleted_remote_ids WHERE link = ? AND kind = ? AND remote_id = ?"),
            arguments: [link.name, kind.rawValue, remoteID]) {
            // A version of a record the store has since deleted (a late or repeated webhook): ignore it.
            // A version newer than the deletion is the record restored (WooCommerce trash), synced anew.
            if storeTime <= deletedAt { return IngestOutcome(remoteID: remoteID, entity: nil, status: .stale, changes: []) }
            try db.cachedStatement(sql: "DELETE FROM deleted_remote_ids WHERE link = ? AND kind = ? AND remote_id = ?")
                .execute(arguments: [link.name, kind.rawValue, remoteID])
        }

        if let reason = holdReason {
            try HeldRecords.hold(db, link: link.name, kind: kind, remoteID: remoteID, reason: reason, payload: payload(), now: now)
            return IngestOutcome(remoteID: remoteID, entity: try linkedEntity(db, kind: kind, remoteID: remoteID), status: .held(reason), changes: [])
        }

        // Find the entity.
        var status: IngestOutcome.Status = .updated
        var entity = try linkedEntity(db, kind: kind, remoteID: remoteID)
        if entity == nil {
            if let marker, try entityKind(db, marker) == kind, try remoteIDOf(db, kind: kind, entity: marker) == nil {
                entity = marker
                status = .linked
            } else if let naturalKey, let matched = try entityForKey(db, kind: kind, key: naturalKey) {
                if try remoteIDOf(db, kind: kind, entity: matched) != nil {
                    // The same e-mail or SKU on two records of one store: linking would merge two
                    // different store records into one Oorden record.
                    let reason = HoldReason(code: .duplicateNaturalKey,
                                            message: "Another \(kind.rawValue) in store \(link.name) already has \(shape == .contact ? "e-mail" : "SKU") \"\(naturalKey)\". Make it unique in the store.")
                    try HeldRecords.hold(db, link: link.name, kind: kind, remoteID: remoteID, reason: reason, payload: payload(), now: now)
                    return IngestOutcome(remoteID: remoteID, entity: nil, status: .held(reason), changes: [])
                }
                entity = matched
                status = .linked
            } else {
                entity = newEntity()
                status = .created
            }
            try RemoteIDRow(link: link.name, kind: kind, remoteID: remoteID, entity: entity!).insertCached(db)
        }
        let id = entity!

        // Diff against the shadow. A side's first version of a record brings only the fields it has:
        // an empty field is a change only relative to a shadow (someone cleared it), so a store
        // customer without a note never erases the note Oorden keeps for the same e-mail.
        var toWrite: [(key: FieldKey, value: Value, before: FieldHistory.Before?)] = []
        // Our own create, first seen without its completion (a crash after the store answered, or a
        // lookup after an in-doubt create): it carries our marker and was not modified since it was
        // created, so its values are what we wrote — not store edits. Stamped with its time, they
        // would beat edits made elsewhere since (those are newer than what we wrote, not older).
        let ownCreate = shadow == nil && status == .linked && marker == id
            && createdAt.map { storeTime <= Self.wholeSecond($0) + 999 } == true
        // A side's first version of a record linked to an entity the engine already has brings nothing
        // for a field whose value the entity already holds. Restamped with this version's time, that
        // value would outrank an edit made elsewhere before that time and not seen yet (a WooCommerce
        // customer is read only by complete scans) — and such a record is often our own write whose
        // completion was lost: an Oorden create that a kill left committed in the ledger and not in the
        // engine, or a store create found by e-mail. Its values are what we wrote, not edits.
        let firstLink = shadow == nil && status == .linked
        for (key, value) in fields where shadowFields[key] != value && !ownCreate {
            if shadow == nil && value.isNull { continue }
            let before = try FieldHistory.current(db, entity: id, field: key.name)
            if firstLink, let before, before.encoded == value.encoded { continue }
            toWrite.append((key, value, before))
        }
        var changes: [FieldChange] = []
        if let versionStamp = toWrite.isEmpty ? nil : try writeStamp(&tx, storeTime: storeTime, counter: counter, clockReading: clockReading) {
            for (key, value, before) in toWrite {
                var stamp = versionStamp
                if let cause = causedBy[key], !(cause < stamp) { stamp = Stamp(hlc: cause.hlc.successor, replica: link.replica) }
                let change = try tx.record(entity: id, kind: kind, field: key.name, value: value, stamp: stamp)
                if let change { changes.append(change) }
                try FieldHistory.note(db, entity: id, field: key.name, value: value, stamp: stamp, side: link.name, before: before, won: change != nil, now: now)
            }
        }

        // Shadow: the record as the store now has it.
        try ShadowRow(link: link.name, kind: kind, remoteID: remoteID, updatedAt: storeTime, sameSecondCounter: Int64(counter), fields: fields)
            .replace(db)
        try HeldRecords.release(db, link: link.name, kind: kind, remoteID: remoteID)
        try refreshNaturalKey(db, shape: shape, entity: id)
        // A store value that lost the merge is still in the store (and now in its shadow): the
        // projection must write the winner back, so any change of the shadow makes the entity dirty
        // (a link too: our own create may hold values the entity has changed since).
        if !toWrite.isEmpty || status == .created || status == .linked {
            try DirtyEntities.mark(db, id)
        }
        if status == .updated && changes.isEmpty { status = .unchanged }
        return IngestOutcome(remoteID: remoteID, entity: id, status: status, changes: changes)
    }

    /// The stamp of a version's changed fields. A store's keep their event time: a late webhook must
    /// not be bumped past newer edits. Oorden's are a reading of Oorden's clock at the ledger's time,
    /// so a ledger clock that steps back never reorders two Oorden edits.
    func writeStamp(_ tx: inout CRDTTransaction, storeTime: Int64, counter: UInt16, clockReading: Stamp?) throws -> Stamp {
        let eventTime = max(0, min(storeTime - link.clockOffsetMilliseconds, now))
        guard link.ticksClock else { return Stamp(hlc: HLC(milliseconds: eventTime, counter: counter), replica: link.replica) }
        return try clockReading ?? tx.tick(replica: link.replica, physical: eventTime)
    }

    static func wholeSecond(_ ms: Int64) -> Int64 { ms - ((ms % 1000) + 1000) % 1000 }

    // MARK: Lookups

    func linkedEntity(_ db: Database, kind: EntityKind, remoteID: String) throws -> EntityID? {
        try RemoteIDRow.entity(db, link: link.name, kind: kind, remoteID: remoteID)
    }

    func remoteIDOf(_ db: Database, kind: EntityKind, entity: EntityID) throws -> String? {
        try RemoteIDRow.remoteID(db, link: link.name, kind: kind, entity: entity)
    }

    func entityKind(_ db: Database, _ entity: EntityID) throws -> EntityKind? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM entities WHERE entity = ?"), arguments: [entity.blob]).flatMap(EntityKind.init(rawValue:))
    }

    func entityForKey(_ db: Database, kind: EntityKind, key: String) throws -> EntityID? {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT entity FROM natural_keys WHERE kind = ? AND key = ?"), arguments: [kind.rawValue, key])
            .flatMap { EntityID(bytes: $0) }
    }

    /// Re-reads the merged e-mail or SKU and points the natural key at the entity. The first entity
    /// to claim a key keeps it.
    func refreshNaturalKey(_ db: Database, shape: RecordKind, entity: EntityID) throws {
        let field = (shape == .contact ? FieldKey.email : FieldKey.sku).name
        let encoded = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM field_registers WHERE entity = ? AND field = ?"), arguments: [entity.blob, field])
        let raw = try encoded.map { try Value(encoded: $0) }?.stringValue
        let key = shape == .contact ? ContactRecord.normalizedEmail(raw) : raw?.trimmingCharacters(in: .whitespaces)
        try db.cachedStatement(sql: "DELETE FROM natural_keys WHERE kind = ? AND entity = ?").execute(arguments: [shape.entityKind.rawValue, entity.blob])
        if let key, !key.isEmpty {
            try db.cachedStatement(sql: "INSERT INTO natural_keys (kind, key, entity) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO NOTHING").execute(arguments: [shape.entityKind.rawValue, key, entity.blob])
        }
    }

    // MARK: Shadow encoding

    /// Fields as the engine's tables keep them: a JSON object of encoded values, keyed by name.
    static func encodeFields(_ fields: FieldValues) -> String {
        fields.encodedJSON.jsonText
    }

    static func decodeFields(_ text: String) throws -> FieldValues {
        guard let object = try JSONValue.parse(text).object else { return FieldValues() }
        var fields = FieldValues()
        for (name, encoded) in object {
            guard let s = encoded.string else { continue }
            guard let key = FieldKey(name: name) else {
                throw ValueDecodingError(message: "a stored record has field \"\(name)\", which is no canonical field; the engine database was written by another OordenSync version")
            }
            fields[key] = try Value(encoded: s)
        }
        return fields
    }
}
