import Foundation
import GRDB
import SyncCore

/// A read-only view of a ``CRDTStore``.
public struct CRDTReader {
    public let db: Database
    public let localReplica: ReplicaID

    init(db: Database, local: ReplicaID) {
        self.db = db
        self.localReplica = local
    }

    /// One entity's registers and counters, or nil if this database never heard of it.
    public func entity(_ id: EntityID) throws -> StoredEntity? {
        let blob = Data(id.bytes)
        guard let kindText = try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM entities WHERE entity = ?"), arguments: [blob]),
              let kind = EntityKind(rawValue: kindText)
        else { return nil }
        var map = LWWMap()
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT field, value, hlc, replica FROM field_registers WHERE entity = ?"), arguments: [blob]) {
            let replicaData: Data = row[3]
            guard let replica = ReplicaID(bytes: replicaData) else {
                throw SyncStoreError(code: .incompatibleDatabase, message: "field_registers row has a malformed replica id")
            }
            let register = LWWRegister(value: try Value(encoded: row[1]), stamp: Stamp(hlc: HLC(int64: row[2]), replica: replica))
            map.merge(field: row[0], register)
        }
        var counters: [String: PNCounter] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT counter, replica, increments, decrements FROM counter_cells WHERE entity = ?"), arguments: [blob]) {
            let replicaData: Data = row[1]
            guard let replica = ReplicaID(bytes: replicaData) else {
                throw SyncStoreError(code: .incompatibleDatabase, message: "counter_cells row has a malformed replica id")
            }
            var c = counters[row[0]] ?? PNCounter()
            c.merge(replica: replica, PNCounter.Cell(increments: row[2], decrements: row[3]))
            counters[row[0]] = c
        }
        return StoredEntity(id: id, kind: kind, registers: map, counters: counters)
    }

    /// This database's version vector.
    public func versionVector() throws -> VersionVector {
        var v = VersionVector()
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT replica, max_sequence FROM replicas WHERE max_sequence > 0")) {
            let data: Data = row[0]
            if let r = ReplicaID(bytes: data) { v.observe(r, row[1]) }
        }
        return v
    }

    /// Each authoring replica's persisted clock high-water mark.
    public func clockHighWaters() throws -> [ReplicaID: HLC] {
        var out: [ReplicaID: HLC] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT replica, high_water FROM clocks")) {
            let data: Data = row[0]
            if let r = ReplicaID(bytes: data) { out[r] = HLC(int64: row[1]) }
        }
        return out
    }

    /// Replica labels (`"local"`, `"oorden"`, `"shopify:main"`).
    public func replicaLabels() throws -> [ReplicaID: String] {
        var out: [ReplicaID: String] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT replica, label FROM replicas")) {
            let data: Data = row[0]
            if let r = ReplicaID(bytes: data) { out[r] = row[1] }
        }
        return out
    }

    /// Every register and counter cell whose (origin, sequence) `vector` does not cover.
    ///
    /// A full scan: the register table is the compacted change log, and exports are rare next to
    /// merges, so no secondary index is paid for on every write.
    public func changes(since vector: VersionVector) throws -> ChangeSet {
        var kinds: [Data: EntityKind] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT entity, kind FROM entities")) {
            let d: Data = row[0]
            kinds[d] = EntityKind(rawValue: row[1])
        }
        func covered(_ origin: ReplicaID, _ seq: Int64) -> Bool { seq <= vector[origin] }
        var registers: [RegisterChange] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT entity, field, value, hlc, replica, origin, sequence FROM field_registers ORDER BY entity, field"))
        while let row = try rows.next() {
            let originData: Data = row[5]
            let seq: Int64 = row[6]
            guard let origin = ReplicaID(bytes: originData) else { throw malformed("field_registers.origin") }
            if covered(origin, seq) { continue }
            let entityData: Data = row[0]
            let replicaData: Data = row[4]
            guard let entity = EntityID(bytes: entityData), let kind = kinds[entityData], let replica = ReplicaID(bytes: replicaData) else {
                throw malformed("field_registers")
            }
            registers.append(RegisterChange(entity: entity, kind: kind, field: row[1], value: try Value(encoded: row[2]),
                                            stamp: Stamp(hlc: HLC(int64: row[3]), replica: replica), origin: origin, sequence: seq))
        }
        var counters: [CounterChange] = []
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT entity, counter, replica, increments, decrements, origin, sequence FROM counter_cells ORDER BY entity, counter, replica")) {
            let originData: Data = row[5]
            let seq: Int64 = row[6]
            guard let origin = ReplicaID(bytes: originData) else { throw malformed("counter_cells.origin") }
            if covered(origin, seq) { continue }
            let entityData: Data = row[0]
            let replicaData: Data = row[2]
            guard let entity = EntityID(bytes: entityData), let kind = kinds[entityData], let replica = ReplicaID(bytes: replicaData) else {
                throw malformed("counter_cells")
            }
            counters.append(CounterChange(entity: entity, kind: kind, counter: row[1], replica: replica,
                                          cell: PNCounter.Cell(increments: row[3], decrements: row[4]), origin: origin, sequence: seq))
        }
        return ChangeSet(source: localReplica, senderVector: try versionVector(), registers: registers, counters: counters)
    }

    /// A canonical text dump of the replicated tables (entities, registers, counters, vector):
    /// two databases that converged produce the same dump.
    public func dump() throws -> String {
        var lines: [String] = []
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT hex(entity), kind FROM entities ORDER BY entity")) {
            lines.append("E \(row[0] as String) \(row[1] as String)")
        }
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT hex(entity), field, value, hlc, hex(replica), hex(origin), sequence FROM field_registers ORDER BY entity, field")) {
            lines.append("R \(row[0] as String) \(row[1] as String) \(row[2] as String) \(row[3] as Int64) \(row[4] as String) \(row[5] as String) \(row[6] as Int64)")
        }
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT hex(entity), counter, hex(replica), increments, decrements, hex(origin), sequence FROM counter_cells ORDER BY entity, counter, replica")) {
            lines.append("C \(row[0] as String) \(row[1] as String) \(row[2] as String) \(row[3] as Int64) \(row[4] as Int64) \(row[5] as String) \(row[6] as Int64)")
        }
        lines.append("V \(try versionVector())")
        return lines.joined(separator: "\n")
    }

    private func malformed(_ table: String) -> SyncStoreError {
        SyncStoreError(code: .incompatibleDatabase, message: "\(table) holds a malformed id; restore the database from a backup")
    }
}

/// An entity as stored: kind, registers and counters.
public struct StoredEntity: Sendable, Hashable {
    public var id: EntityID
    public var kind: EntityKind
    public var registers: LWWMap
    public var counters: [String: PNCounter]
}
