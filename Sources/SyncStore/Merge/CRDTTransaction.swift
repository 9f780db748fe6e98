import Foundation
import GRDB
import SyncCore

/// The write side of one ``CRDTStore`` transaction.
///
/// Merges use cached prepared statements: one primary-key lookup per incoming field, then an
/// insert or update only when the incoming write wins — a stale write costs a read and nothing
/// else. Version-vector entries and clock high-water marks are buffered and written once, when the
/// transaction finishes.
public struct CRDTTransaction {
    /// The underlying GRDB connection, for the embedding engine's own tables in the same transaction.
    public let db: Database
    public let localReplica: ReplicaID

    /// The transaction's buffers, shared with the writes of a store joined to it
    /// (``CRDTStore/joined(to:)``).
    let buffers: Buffers

    init(db: Database, local: ReplicaID, buffers: Buffers = Buffers()) {
        self.db = db
        self.localReplica = local
        self.buffers = buffers
    }

    /// What a transaction buffers until it finishes: known entities, vector entries, the local
    /// sequence, clocks and the prepared hot statements. A reference, so a nested write shares it;
    /// ``State`` is a value, so a nested write that fails restores it.
    final class Buffers {
        /// False once the transaction has committed or rolled back: a joined store must not use it.
        var isOpen = true
        struct State {
            var knownEntities: [EntityID: EntityKind] = [:]
            var vector: [ReplicaID: Int64] = [:]
            var localSequence: Int64?
            var clocks: [ReplicaID: HybridLogicalClock] = [:]
            var dirtyClocks: Set<ReplicaID> = []
        }

        var state = State()
        var statements: [PreparedSQL: Statement] = [:]
    }

    // MARK: Registers

    /// Records a local write (origin = this database, next local sequence number).
    ///
    /// `stamp` is chosen by the caller: the engine stamps store writes with the store's event time
    /// and replica, Oorden writes with the ledger's time and the Oorden replica.
    @discardableResult
    public mutating func record(entity: EntityID, kind: EntityKind, field: String, value: Value, stamp: Stamp) throws -> FieldChange? {
        let seq = try nextLocalSequence()
        observeVector(localReplica, seq)
        try noteHighWater(stamp.hlc, for: stamp.replica)
        return try merge(RegisterChange(entity: entity, kind: kind, field: field, value: value, stamp: stamp, origin: localReplica, sequence: seq))
    }

    /// Merges one register write; returns the field change if the visible value changed.
    ///
    /// The version vector is not raised here: a lone remote write does not prove that its origin's
    /// earlier writes arrived too. ``apply(_:physical:)`` raises it from the sender's vector.
    @discardableResult
    public mutating func merge(_ change: RegisterChange) throws -> FieldChange? {
        try ensureEntity(change.entity, kind: change.kind)
        let entityBlob = change.entity.blob
        let select = try prepared(.selectRegister)
        // A cursor reads the row in place; Row.fetchOne would copy it first.
        let cursor = try Row.fetchCursor(select, arguments: [entityBlob, change.field])
        var stored: (encoded: String, hlc: Int64, replica: Data, origin: Data, sequence: Int64)? = nil
        if let row = try cursor.next() {
            // Fast path for stale writes: an older clock loses before any text or blob is read.
            let storedHLC: Int64 = row[0]
            if change.stamp.hlc.int64 < storedHLC {
                // The one rule (LWWRegister.order) orders stamps by their clock first.
                assert(change.stamp < Stamp(hlc: HLC(int64: storedHLC), replica: change.stamp.replica))
                _ = try cursor.next()
                return nil
            }
            stored = (row[2], storedHLC, row[1], row[3], row[4])
            _ = try cursor.next()   // (entity, field) is the key: this ends the statement.
        }
        let incoming = change.register
        let encoded = change.value.encoded
        var oldValue: Value? = nil
        if let stored {
            let oldEncoded = stored.encoded
            let oldHLC = HLC(int64: stored.hlc)
            guard let oldReplica = Blobs.replica(stored.replica) else {
                throw SyncStoreError(code: .incompatibleDatabase, message: "field_registers row has a malformed replica id")
            }
            let oldStamp = Stamp(hlc: oldHLC, replica: oldReplica)
            switch LWWRegister.order(of: incoming.stamp, encoded, against: oldStamp, oldEncoded) {
            case .loses:
                return nil
            case .supersedes:
                break
            case .sameWrite:
                // One write seen again is a no-op, unless it was recorded by two databases: then the
                // row's origin and sequence are ordered too, so every database keeps the same row
                // whatever the arrival order. The value is the same either way.
                let oldOriginData = stored.origin
                let incomingOrigin = change.origin.blob
                let keepsIncoming = oldOriginData != incomingOrigin
                    ? oldOriginData.lexicographicallyPrecedes(incomingOrigin)
                    : change.sequence > stored.sequence
                guard keepsIncoming else { return nil }
            }
            let update = try prepared(.updateRegister)
            try update.execute(arguments: [encoded, incoming.stamp.hlc.int64, incoming.stamp.replica.blob,
                                           change.origin.blob, change.sequence, entityBlob, change.field])
            if oldEncoded == encoded { return nil }
            oldValue = try Value(encoded: oldEncoded)
        } else {
            let insert = try prepared(.insertRegister)
            try insert.execute(arguments: [entityBlob, change.field, encoded, incoming.stamp.hlc.int64,
                                           incoming.stamp.replica.blob, change.origin.blob, change.sequence])
        }
        return FieldChange(entity: change.entity, kind: change.kind, field: change.field, oldValue: oldValue, newValue: change.value, stamp: change.stamp)
    }

    // MARK: Counters

    /// Adds a delta observed on `replica`'s side to its cell of `counter` (a local recording).
    /// Returns the cell after the change.
    @discardableResult
    public mutating func recordCounterDelta(entity: EntityID, kind: EntityKind, counter: String, replica: ReplicaID, delta: Int64) throws -> PNCounter.Cell {
        guard delta != 0 else {
            return try counterCell(entity: entity, counter: counter, replica: replica)?.cell ?? PNCounter.Cell()
        }
        let current = try counterCell(entity: entity, counter: counter, replica: replica)?.cell ?? PNCounter.Cell()
        var next = current
        if delta > 0 { next.increments += delta } else { next.decrements += -delta }
        let seq = try nextLocalSequence()
        observeVector(localReplica, seq)
        _ = try merge(CounterChange(entity: entity, kind: kind, counter: counter, replica: replica, cell: next, origin: localReplica, sequence: seq))
        return next
    }

    /// Merges one counter cell (per-component maximum); returns whether the cell grew.
    @discardableResult
    public mutating func merge(_ change: CounterChange) throws -> Bool {
        try ensureEntity(change.entity, kind: change.kind)
        let entityBlob = change.entity.blob
        let replicaBlob = change.replica.blob
        if let existing = try counterCell(entity: change.entity, counter: change.counter, replica: change.replica) {
            let merged = existing.cell.merging(change.cell)
            // The cell's log position is the largest (origin, sequence) ever merged into it: a pure
            // maximum, so databases agree row for row whatever the arrival order. With one recorder
            // per side (the design's rule) that is exactly the recording that dominates.
            let incomingNewer = (change.origin, change.sequence) > (existing.origin, existing.sequence)
            guard merged != existing.cell || incomingNewer else { return false }
            let origin = incomingNewer ? change.origin : existing.origin
            let sequence = incomingNewer ? change.sequence : existing.sequence
            let update = try prepared(.updateCounter)
            try update.execute(arguments: [merged.increments, merged.decrements, origin.blob, sequence, entityBlob, change.counter, replicaBlob])
            return merged != existing.cell
        } else {
            let insert = try prepared(.insertCounter)
            try insert.execute(arguments: [entityBlob, change.counter, replicaBlob, change.cell.increments, change.cell.decrements,
                                           change.origin.blob, change.sequence])
            return true
        }
    }

    mutating func counterCell(entity: EntityID, counter: String, replica: ReplicaID) throws -> (cell: PNCounter.Cell, origin: ReplicaID, sequence: Int64)? {
        let select = try prepared(.selectCounter)
        guard let row = try Row.fetchOne(select, arguments: [entity.blob, counter, replica.blob]) else { return nil }
        let originData: Data = row[2]
        guard let origin = ReplicaID(bytes: originData) else {
            throw SyncStoreError(code: .incompatibleDatabase, message: "counter_cells row has a malformed origin id")
        }
        return (PNCounter.Cell(increments: row[0], decrements: row[1]), origin, row[3])
    }

    // MARK: Clocks

    /// A fresh reading of `replica`'s hybrid clock at physical time `physical` (persisted on commit).
    public mutating func tick(replica: ReplicaID, physical: Int64) throws -> Stamp {
        var clock = try loadClock(replica)
        let h = clock.tick(physical: physical)
        buffers.state.clocks[replica] = clock
        buffers.state.dirtyClocks.insert(replica)
        return Stamp(hlc: h, replica: replica)
    }

    /// `replica`'s clock observes a remote reading (receive rule, drift clamp).
    public mutating func observe(_ remote: HLC, on replica: ReplicaID, physical: Int64) throws -> HybridLogicalClock.Observation {
        var clock = try loadClock(replica)
        let o = clock.receive(remote, physical: physical)
        buffers.state.clocks[replica] = clock
        buffers.state.dirtyClocks.insert(replica)
        return o
    }

    /// Raises `replica`'s persisted high-water mark to at least `hlc` without issuing a reading: every
    /// recorded write does this for its author, so `oorden-sync clocks` shows each side's newest stamp
    /// and a clock restored later never issues below it.
    public mutating func noteHighWater(_ hlc: HLC, for replica: ReplicaID) throws {
        if let known = buffers.state.clocks[replica], known.highWater >= hlc { return }
        var clock = try loadClock(replica)
        clock.observeHighWater(hlc)
        buffers.state.clocks[replica] = clock
        buffers.state.dirtyClocks.insert(replica)
    }

    private mutating func loadClock(_ replica: ReplicaID) throws -> HybridLogicalClock {
        if let c = buffers.state.clocks[replica] { return c }
        let hw = try Int64.fetchOne(db.cachedStatement(sql: "SELECT high_water FROM clocks WHERE replica = ?"), arguments: [replica.blob]) ?? 0
        return HybridLogicalClock(highWater: HLC(int64: hw))
    }

    // MARK: Change sets

    /// Applies a change set: every register and counter cell, then the sender's version vector.
    public mutating func apply(_ changeSet: ChangeSet, physical: Int64) throws -> ApplyReport {
        var report = ApplyReport()
        var newest: Stamp? = nil
        for c in changeSet.registers {
            if let f = try merge(c) { report.changedFields.append(f) } else { report.staleRegisters += 1 }
            if newest == nil || c.stamp > newest! { newest = c.stamp }
        }
        for c in changeSet.counters where try merge(c) {
            report.changedCounters.insert(CounterKey(entity: c.entity, counter: c.counter))
        }
        for (r, s) in changeSet.senderVector.entries { observeVector(r, s) }
        // The engine's own clock hears the newest remote time once per change set.
        if let newest {
            let o = try observe(newest.hlc, on: localReplica, physical: physical)
            if case .clamped(_, let ahead) = o {
                report.clampedReadings.append(ClampedReading(stamp: newest, aheadByMilliseconds: ahead))
            }
        }
        return report
    }

    // MARK: Bookkeeping

    /// The hot statements, prepared once per transaction: looking a statement up by its SQL text
    /// on every merged field would hash that text a million times in a large import.
    enum PreparedSQL: Hashable {
        case selectRegister, updateRegister, insertRegister, selectCounter, updateCounter, insertCounter, selectEntity, insertEntity

        var sql: String {
            switch self {
            case .selectRegister:
                "SELECT hlc, replica, value, origin, sequence FROM field_registers WHERE entity = ? AND field = ?"
            case .updateRegister:
                "UPDATE field_registers SET value = ?, hlc = ?, replica = ?, origin = ?, sequence = ? WHERE entity = ? AND field = ?"
            case .insertRegister:
                "INSERT INTO field_registers (entity, field, value, hlc, replica, origin, sequence) VALUES (?, ?, ?, ?, ?, ?, ?)"
            case .selectCounter:
                "SELECT increments, decrements, origin, sequence FROM counter_cells WHERE entity = ? AND counter = ? AND replica = ?"
            case .updateCounter:
                "UPDATE counter_cells SET increments = ?, decrements = ?, origin = ?, sequence = ? WHERE entity = ? AND counter = ? AND replica = ?"
            case .insertCounter:
                "INSERT INTO counter_cells (entity, counter, replica, increments, decrements, origin, sequence) VALUES (?, ?, ?, ?, ?, ?, ?)"
            case .selectEntity:
                "SELECT kind FROM entities WHERE entity = ?"
            case .insertEntity:
                "INSERT INTO entities (entity, kind) VALUES (?, ?)"
            }
        }
    }

    private mutating func prepared(_ key: PreparedSQL) throws -> Statement {
        if let s = buffers.statements[key] { return s }
        let s = try db.cachedStatement(sql: key.sql)
        buffers.statements[key] = s
        return s
    }

    private mutating func ensureEntity(_ entity: EntityID, kind: EntityKind) throws {
        if let known = buffers.state.knownEntities[entity] {
            guard known == kind else { throw kindConflict(entity, known, kind) }
            return
        }
        let select = try prepared(.selectEntity)
        if let stored = try String.fetchOne(select, arguments: [entity.blob]) {
            guard stored == kind.rawValue else { throw kindConflict(entity, EntityKind(rawValue: stored) ?? kind, kind) }
        } else {
            try prepared(.insertEntity).execute(arguments: [entity.blob, kind.rawValue])
        }
        buffers.state.knownEntities[entity] = kind
    }

    private func kindConflict(_ entity: EntityID, _ known: EntityKind, _ incoming: EntityKind) -> SyncStoreError {
        SyncStoreError(code: .conflictingChange,
                       message: "entity \(entity.hex) is a \(known.rawValue) here but a change calls it a \(incoming.rawValue); the change set comes from an incompatible database")
    }

    private mutating func observeVector(_ replica: ReplicaID, _ sequence: Int64) {
        if sequence > (buffers.state.vector[replica] ?? 0) { buffers.state.vector[replica] = sequence }
    }

    private mutating func nextLocalSequence() throws -> Int64 {
        let current: Int64
        if let s = buffers.state.localSequence {
            current = s
        } else {
            current = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max_sequence FROM replicas WHERE replica = ?"), arguments: [localReplica.blob]) ?? 0
        }
        let next = max(current, buffers.state.vector[localReplica] ?? 0) + 1
        buffers.state.localSequence = next
        return next
    }

    /// Writes the buffered vector entries and clock high-water marks.
    mutating func finish() throws {
        if !buffers.state.vector.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO replicas (replica, max_sequence) VALUES (?, ?)
                ON CONFLICT (replica) DO UPDATE SET max_sequence = max(max_sequence, excluded.max_sequence)
                """)
            for (r, s) in buffers.state.vector { try upsert.execute(arguments: [r.blob, s]) }
        }
        if !buffers.state.dirtyClocks.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO clocks (replica, high_water) VALUES (?, ?)
                ON CONFLICT (replica) DO UPDATE SET high_water = max(high_water, excluded.high_water)
                """)
            for r in buffers.state.dirtyClocks {
                try upsert.execute(arguments: [r.blob, buffers.state.clocks[r]!.highWater.int64])
            }
        }
    }

    /// Names a replica for people (`"oorden"`, `"shopify:main"`).
    public func label(_ replica: ReplicaID, _ label: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO replicas (replica, label) VALUES (?, ?) ON CONFLICT (replica) DO UPDATE SET label = excluded.label
            """).execute(arguments: [replica.blob, label])
    }
}
