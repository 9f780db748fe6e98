import DatabaseFiles
import Foundation
import GRDB
import SyncCore

/// The SQLite home of the CRDT state: LWW register maps, PN-counters, clocks and the change log.
///
/// One `CRDTStore` is one engine replica's database (WAL mode). All writes happen in
/// ``write(_:)``, whose closure gets a ``CRDTTransaction``: everything done in it — merged fields,
/// counter cells, clock high-water marks, version-vector entries, and whatever the embedding engine
/// writes to its own tables through ``CRDTTransaction/db`` — commits together or not at all.
///
/// ```swift
/// let store = try CRDTStore.open(path: "engine.sqlite", newReplica: ReplicaID.random(using: &rng))
/// let changed = try store.write { tx in
///     try tx.record(entity: id, kind: .contact, field: "email", value: .string("ana@example.mx"), stamp: stamp)
/// }
/// ```
public final class CRDTStore: Sendable {
    /// The database queue; embedding code may read its own tables through it (inside a write, through
    /// the transaction instead: the queue is not reentrant).
    public let writer: DatabaseQueue
    /// This database's own replica id, minted on first open.
    public let localReplica: ReplicaID

    /// The transaction this store is joined to (``joined(to:)``); nil for a store that opens its own.
    let openTransaction: OpenTransaction?

    init(writer: DatabaseQueue, localReplica: ReplicaID, joining openTransaction: OpenTransaction? = nil) {
        self.writer = writer
        self.localReplica = localReplica
        self.openTransaction = openTransaction
    }

    /// This store, working inside the open transaction `tx` of one of its writes: its ``write(_:)``
    /// is a savepoint of `tx` and its ``read(_:)`` sees `tx`.
    ///
    /// Hand it to code that writes and reads through a store, to make that code part of the
    /// transaction (several engine writes, one commit). Use it only inside the closure `tx` was
    /// handed to; the store that opened `tx` cannot be used there (GRDB's queue is not reentrant).
    public func joined(to tx: CRDTTransaction) -> CRDTStore {
        precondition(tx.localReplica == localReplica, "a CRDTStore can only join its own transactions")
        return CRDTStore(writer: writer, localReplica: localReplica, joining: OpenTransaction(tx))
    }

    /// Opens (or creates) a store. `path == nil` opens a private in-memory database.
    ///
    /// A new file is created readable only by its owner (0600, its directories 0700): it holds
    /// customers' personal data. SQLite failures come out as ``DatabaseFiles/DatabaseFileError``
    /// naming the file (`engine.database`) and what to do.
    ///
    /// - Parameters:
    ///   - newReplica: the replica id to adopt if the database is new; an existing database keeps its own.
    ///   - migrations: further migrations of the embedding engine, run after the CRDT ones.
    public static func open(
        path: String?,
        newReplica: ReplicaID,
        migrations: ((inout DatabaseMigrator) -> Void)? = nil
    ) throws -> CRDTStore {
        guard let path else { return try openQueue(path: nil, newReplica: newReplica, migrations: migrations) }
        do {
            try PrivateDatabaseFile.prepare(path, role: .engine)
            return try openQueue(path: path, newReplica: newReplica, migrations: migrations)
        } catch {
            throw DatabaseFileError.from(error, role: .engine, path: path)
        }
    }

    private static func openQueue(path: String?, newReplica: ReplicaID, migrations: ((inout DatabaseMigrator) -> Void)?) throws -> CRDTStore {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
        }
        let queue: DatabaseQueue
        if let path {
            queue = try DatabaseQueue(path: path, configuration: config)
            try DatabaseFileError.requireWritable(queue, role: .engine, path: path)
            _ = try queue.writeWithoutTransaction { db in try String.fetchOne(db.cachedStatement(sql: "PRAGMA journal_mode = WAL")) }
        } else {
            queue = try DatabaseQueue(configuration: config)
        }
        var migrator = DatabaseMigrator()
        CRDTSchema.register(in: &migrator)
        migrations?(&migrator)
        try migrator.migrate(queue)
        let replica: ReplicaID = try queue.write { db in
            if let data = try Data.fetchOne(db.cachedStatement(sql: "SELECT replica FROM local_identity WHERE singleton = 1")) {
                guard let r = ReplicaID(bytes: data) else {
                    throw SyncStoreError(code: .incompatibleDatabase, message: "local_identity holds a malformed replica id; restore the database from a backup")
                }
                return r
            }
            try db.cachedStatement(sql: "INSERT INTO local_identity (singleton, replica) VALUES (1, ?)").execute(arguments: [Data(newReplica.bytes)])
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO replicas (replica, label) VALUES (?, 'local')").execute(arguments: [Data(newReplica.bytes)])
            return newReplica
        }
        return CRDTStore(writer: queue, localReplica: replica)
    }

    /// Runs `body` in one write transaction; commits only if it returns without throwing.
    ///
    /// On a store joined to an open transaction (``joined(to:)``) the write is a savepoint of that
    /// transaction instead: it shares the transaction's buffers (local sequence, vector, clocks) and,
    /// if it throws, only its own changes are undone. This lets a caller batch many small writes —
    /// each written as if alone — into one commit.
    public func write<T>(_ body: (inout CRDTTransaction) throws -> T) throws -> T {
        if let openTransaction { return try openTransaction.savepoint(body) }
        return try writer.write { db in
            let buffers = CRDTTransaction.Buffers()
            defer { buffers.isOpen = false }
            var tx = CRDTTransaction(db: db, local: localReplica, buffers: buffers)
            let result = try body(&tx)
            try tx.finish()
            return result
        }
    }

    /// Runs `body` with a read-only view; on a joined store (``joined(to:)``) it reads the open transaction.
    public func read<T>(_ body: (CRDTReader) throws -> T) throws -> T {
        if let openTransaction { return try body(CRDTReader(db: openTransaction.connection, local: localReplica)) }
        return try writer.read { db in try body(CRDTReader(db: db, local: localReplica)) }
    }

    /// Merges remote register changes in one transaction; the fields whose value changed.
    @discardableResult
    public func merge(_ changes: [RegisterChange]) throws -> [FieldChange] {
        try write { tx in
            var out: [FieldChange] = []
            for c in changes {
                if let f = try tx.merge(c) { out.append(f) }
            }
            return out
        }
    }

    /// Every write this database holds that `vector` does not cover.
    public func changes(since vector: VersionVector) throws -> ChangeSet {
        try read { try $0.changes(since: vector) }
    }

    /// Applies a change set from another engine replica in one transaction: registers, counters,
    /// the sender's vector, and the local clock observing the remote times.
    @discardableResult
    public func apply(_ changeSet: ChangeSet, physical: Int64) throws -> ApplyReport {
        try write { tx in try tx.apply(changeSet, physical: physical) }
    }

    public func versionVector() throws -> VersionVector {
        try read { try $0.versionVector() }
    }
}

/// A field whose visible value a merge changed: what the engine must project to other sides.
public struct FieldChange: Sendable, Hashable {
    public var entity: EntityID
    public var kind: EntityKind
    public var field: String
    public var oldValue: Value?
    public var newValue: Value
    public var stamp: Stamp

    public init(entity: EntityID, kind: EntityKind, field: String, oldValue: Value?, newValue: Value, stamp: Stamp) {
        self.entity = entity
        self.kind = kind
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.stamp = stamp
    }
}

/// What applying a change set did.
public struct ApplyReport: Sendable, Hashable {
    /// Fields whose visible value changed.
    public var changedFields: [FieldChange] = []
    /// Counter cells that grew, as (entity, counter).
    public var changedCounters: Set<CounterKey> = []
    /// Remote writes that lost to what this database already had.
    public var staleRegisters = 0
    /// Remote clock readings further ahead than the drift bound: reported, not adopted.
    public var clampedReadings: [ClampedReading] = []

    public init() {}
}

/// An (entity, counter) pair.
public struct CounterKey: Sendable, Hashable {
    public var entity: EntityID
    public var counter: String
    public init(entity: EntityID, counter: String) {
        self.entity = entity
        self.counter = counter
    }
}

/// A remote clock reading that was too far ahead of local physical time.
public struct ClampedReading: Sendable, Hashable {
    public var stamp: Stamp
    public var aheadByMilliseconds: Int64
}
