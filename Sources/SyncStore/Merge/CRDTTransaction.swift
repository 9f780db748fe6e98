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

    private var knownEntities: [EntityID: EntityKind] = [:]
    private var vector: [ReplicaID: Int64] = [:]
    private var localSequence: Int64?
    private var clocks: [ReplicaID: HybridLogicalClock] = [:]
    private var dirtyClocks: Set<ReplicaID> = []

    init(db: Database, local: ReplicaID) {
        self.db = db
        self.localReplica = local
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
        return try merge(RegisterChange(entity: entity, kind: kind, field: field, value: value, stamp: stamp, origin: localReplica, sequence: seq))
    }

    /// Records a delete of `entity` at `stamp` (the tombstone register).
    @discardableResult
    public mutating func recordDelete(entity: EntityID, kind: EntityKind, stamp: Stamp) throws -> FieldChange? {
        try record(entity: entity, kind: kind, field: LWWMap.tombstoneField, value: .bool(true), stamp: stamp)
    }

    /// Merges one register write; returns the field change if the visible value changed.
    ///
    /// The version vector is not raised here: a lone remote write does not prove that its origin's
    /// earlier writes arrived too. ``apply(_:physical:)`` raises it from the sender's vector.
    @discardableResult
    public mutating func merge(_ change: RegisterChange) throws -> FieldChange? {
        try ensureEntity(change.entity, kind: change.kind)
        let entityBlob = Data(change.entity.bytes)
        let select = try db.cachedStatement(sql: "SELECT value, hlc, replica, origin, sequence FROM field_registers WHERE entity = ? AND field = ?")
        let existing = try Row.fetchOne(select, arguments: [entityBlob, change.field])
        let incoming = change.register
        let encoded = change.value.encoded
        var oldValue: Value? = nil
        if let row = existing {
            let oldEncoded: String = row[0]
            let oldHLC = HLC(int64: row[1])
            let oldReplicaData: Data = row[2]
            guard let oldReplica = ReplicaID(bytes: oldReplicaData) else {
                throw SyncStoreError(code: .incompatibleDatabase, message: "field_registers row has a malformed replica id")
            }
            let oldStamp = Stamp(hlc: oldHLC, replica: oldReplica)
            if oldStamp != incoming.stamp {
                guard incoming.stamp > oldStamp else { return nil }
            } else {
                // The same write seen again is a no-op. Anything else under one stamp (corrupt input,
                // or one write recorded by two databases) is ordered by (value, origin, sequence), so
                // every database still keeps the same row whatever the arrival order.
                let oldOriginData: Data = row[3]
                let oldSequence: Int64 = row[4]
                let incomingOrigin = Data(change.origin.bytes)
                let wins: Bool
                if encoded != oldEncoded {
                    wins = encoded > oldEncoded
                } else if oldOriginData != incomingOrigin {
                    wins = oldOriginData.lexicographicallyPrecedes(incomingOrigin)
                } else {
                    wins = change.sequence > oldSequence
                }
                guard wins else { return nil }
            }
            let update = try db.cachedStatement(sql: """
                UPDATE field_registers SET value = ?, hlc = ?, replica = ?, origin = ?, sequence = ?
                WHERE entity = ? AND field = ?
                """)
            try update.execute(arguments: [encoded, incoming.stamp.hlc.int64, Data(incoming.stamp.replica.bytes),
                                           Data(change.origin.bytes), change.sequence, entityBlob, change.field])
            if oldEncoded == encoded { return nil }
            oldValue = try Value(encoded: oldEncoded)
        } else {
            let insert = try db.cachedStatement(sql: """
                INSERT INTO field_registers (entity, field, value, hlc, replica, origin, sequence) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            try insert.execute(arguments: [entityBlob, change.field, encoded, incoming.stamp.hlc.int64,
                                           Data(incoming.stamp.replica.bytes), Data(change.origin.bytes), change.sequence])
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
        let entityBlob = Data(change.entity.bytes)
        let replicaBlob = Data(change.replica.bytes)
        if let existing = try counterCell(entity: change.entity, counter: change.counter, replica: change.replica) {
            let merged = existing.cell.merging(change.cell)
            // The cell's log position is the largest (origin, sequence) ever merged into it: a pure
            // maximum, so databases agree row for row whatever the arrival order. With one recorder
            // per side (the design's rule) that is exactly the recording that dominates.
            let incomingNewer = (change.origin, change.sequence) > (existing.origin, existing.sequence)
            guard merged != existing.cell || incomingNewer else { return false }
            let origin = incomingNewer ? change.origin : existing.origin
            let sequence = incomingNewer ? change.sequence : existing.sequence
            let update = try db.cachedStatement(sql: """
                UPDATE counter_cells SET increments = ?, decrements = ?, origin = ?, sequence = ?
                WHERE entity = ? AND counter = ? AND replica = ?
                """)
            try update.execute(arguments: [merged.increments, merged.decrements, Data(origin.bytes), sequence, entityBlob, change.counter, replicaBlob])
            return merged != existing.cell
        } else {
            let insert = try db.cachedStatement(sql: """
                INSERT INTO counter_cells (entity, counter, replica, increments, decrements, origin, sequence) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            try insert.execute(arguments: [entityBlob, change.counter, replicaBlob, change.cell.increments, change.cell.decrements,
                                           Data(change.origin.bytes), change.sequence])
            return true
        }
    }

    func counterCell(entity: EntityID, counter: String, replica: ReplicaID) throws -> (cell: PNCounter.Cell, origin: ReplicaID, sequence: Int64)? {
        let select = try db.cachedStatement(sql: """
            SELECT increments, decrements, origin, sequence FROM counter_cells WHERE entity = ? AND counter = ? AND replica = ?
            """)
        guard let row = try Row.fetchOne(select, arguments: [Data(entity.bytes), counter, Data(replica.bytes)]) else { return nil }
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
        clocks[replica] = clock
        dirtyClocks.insert(replica)
        return Stamp(hlc: h, replica: replica)
    }

    /// `replica`'s clock observes a remote reading (receive rule, drift clamp).
    public mutating func observe(_ remote: HLC, on replica: ReplicaID, physical: Int64) throws -> HybridLogicalClock.Observation {
        var clock = try loadClock(replica)
        let o = clock.receive(remote, physical: physical)
        clocks[replica] = clock
        dirtyClocks.insert(replica)
        return o
    }

    private mutating func loadClock(_ replica: ReplicaID) throws -> HybridLogicalClock {
        if let c = clocks[replica] { return c }
        let hw = try Int64.fetchOne(db, sql: "SELECT high_water FROM clocks WHERE replica = ?", arguments: [Data(replica.bytes)]) ?? 0
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

    private mutating func ensureEntity(_ entity: EntityID, kind: EntityKind) throws {
        if let known = knownEntities[entity] {
            guard known == kind else { throw kindConflict(entity, known, kind) }
            return
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO entities (entity, kind) VALUES (?, ?) ON CONFLICT (entity) DO NOTHING")
        try insert.execute(arguments: [Data(entity.bytes), kind.rawValue])
        if db.changesCount == 0 {
            let stored = try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM entities WHERE entity = ?"), arguments: [Data(entity.bytes)])
            if let stored, stored != kind.rawValue {
                throw kindConflict(entity, EntityKind(rawValue: stored) ?? kind, kind)
            }
        }
        knownEntities[entity] = kind
    }

    private func kindConflict(_ entity: EntityID, _ known: EntityKind, _ incoming: EntityKind) -> SyncStoreError {
        SyncStoreError(code: .conflictingChange,
                       message: "entity \(entity.hex) is a \(known.rawValue) here but a change calls it a \(incoming.rawValue); the change set comes from an incompatible database")
    }

    private mutating func observeVector(_ replica: ReplicaID, _ sequence: Int64) {
        if sequence > (vector[replica] ?? 0) { vector[replica] = sequence }
    }

    private mutating func nextLocalSequence() throws -> Int64 {
        let current: Int64
        if let s = localSequence {
            current = s
        } else {
            current = try Int64.fetchOne(db, sql: "SELECT max_sequence FROM replicas WHERE replica = ?", arguments: [Data(localReplica.bytes)]) ?? 0
        }
        let next = max(current, vector[localReplica] ?? 0) + 1
        localSequence = next
        return next
    }

    /// Writes the buffered vector entries and clock high-water marks.
    mutating func finish() throws {
        if !vector.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO replicas (replica, max_sequence) VALUES (?, ?)
                ON CONFLICT (replica) DO UPDATE SET max_sequence = max(max_sequence, excluded.max_sequence)
                """)
            for (r, s) in vector { try upsert.execute(arguments: [Data(r.bytes), s]) }
        }
        if !dirtyClocks.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO clocks (replica, high_water) VALUES (?, ?)
                ON CONFLICT (replica) DO UPDATE SET high_water = max(high_water, excluded.high_water)
                """)
            for r in dirtyClocks {
                try upsert.execute(arguments: [Data(r.bytes), clocks[r]!.highWater.int64])
            }
        }
    }

    /// Names a replica for people (`"oorden"`, `"shopify:main"`).
    public func label(_ replica: ReplicaID, _ label: String) throws {
        try db.execute(sql: """
            INSERT INTO replicas (replica, label) VALUES (?, ?) ON CONFLICT (replica) DO UPDATE SET label = excluded.label
            """, arguments: [Data(replica.bytes), label])
    }
}
