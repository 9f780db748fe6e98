import DatabaseFiles
import Foundation
import GRDB
import SyncCore

/// The durable webhook inbox: one SQLite file (WAL) holding every accepted delivery, zlib-compressed.
///
/// A delivery is stored once per store and delivery id (a `UNIQUE` constraint), so a store's retry
/// or duplicate of the same delivery is recognised and not processed twice. Deliveries are never
/// deleted by processing: they move from `pending` to `processed`, `skipped` or `failed`, keeping
/// the reason, so what the daemon received can always be inspected. Bodies hold customers' personal
/// data, so ``pruneBodies(processedBefore:at:)`` drops those processed longer ago than the retention
/// (`daemon.inbox_retention_days`) while the row — what deduplication needs — stays. The file is
/// created 0600 (``DatabaseFiles/PrivateDatabaseFile``).
///
/// ```swift
/// let inbox = try WebhookInbox(path: "inbox.sqlite")
/// let stored = try inbox.store(store: "tienda", kind: .shopify, deliveryID: id, topic: "customers/update",
///                              receivedAt: now, triggeredAt: nil, body: body)
/// for d in try inbox.pending(limit: 100) { … try inbox.mark(d.sequence, .processed, reason: nil, at: now) }
/// ```
public final class WebhookInbox: Sendable {
    private let db: DatabaseQueue
    /// The file path, or nil for an in-memory inbox.
    public let path: String?

    /// Opens (creating if needed, readable only by its owner) the inbox at `path`; nil keeps it in memory (tests).
    ///
    /// - Throws: ``DaemonError`` (`inbox_unavailable`) worded by ``DatabaseFiles/DatabaseFileError``:
    ///   the file, what the failure means and what to do.
    public init(path: String?) throws {
        self.path = path
        do {
            if let path {
                try PrivateDatabaseFile.prepare(path, role: .inbox)
                var config = Configuration()
                config.busyMode = .timeout(10)
                db = try DatabaseQueue(path: path, configuration: config)
                try DatabaseFileError.requireWritable(db, role: .inbox, path: path)
                _ = try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
            } else {
                db = try DatabaseQueue()
            }
            try Self.migrator.migrate(db)
        } catch {
            throw DaemonError(code: .inboxUnavailable, message: Self.explain(error, path))
        }
    }

    /// The inbox's schema, step by step, like the ledger's and the engine's. An inbox made before the
    /// migrator has the table already (`IF NOT EXISTS`), perhaps with the later column.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("inbox-v1-deliveries") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS deliveries (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    store TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    delivery_id TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    triggered_at INTEGER,
                    body_size INTEGER NOT NULL,
                    body BLOB NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending',
                    reason TEXT,
                    processed_at INTEGER,
                    UNIQUE (store, delivery_id)
                );
                CREATE INDEX IF NOT EXISTS deliveries_pending ON deliveries (status, sequence);
                """)
        }
        migrator.registerMigration("inbox-v2-body-pruned-at") { db in
            if try !db.columns(in: "deliveries").contains(where: { $0.name == "body_pruned_at" }) {
                try db.execute(sql: "ALTER TABLE deliveries ADD COLUMN body_pruned_at INTEGER")
            }
        }
        return migrator
    }

    /// Stores a delivery; returns false when this store already has a delivery with this id (a duplicate).
    @discardableResult
    public func store(store: String, kind: StoreKind, deliveryID: String, topic: String, receivedAt: Int64,
                      triggeredAt: Int64?, body: Data) throws -> Bool {
        let compressed = try InboxCodec.compress(body)
        return try write { db in
            try db.execute(sql: """
                INSERT INTO deliveries (store, kind, delivery_id, topic, received_at, triggered_at, body_size, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (store, delivery_id) DO NOTHING
                """, arguments: [store, kind.rawValue, deliveryID, topic, receivedAt, triggeredAt, body.count, compressed])
            return db.changesCount > 0
        }
    }

    /// The oldest pending deliveries, in arrival order.
    public func pending(limit: Int) throws -> [InboxDelivery] {
        try fetch("WHERE status = 'pending' ORDER BY sequence LIMIT ?", [limit])
    }

    /// Every delivery of `store` (all statuses), in arrival order.
    public func deliveries(store: String? = nil) throws -> [InboxDelivery] {
        if let store { return try fetch("WHERE store = ? ORDER BY sequence", [store]) }
        return try fetch("ORDER BY sequence", [])
    }

    /// Records the outcome of processing one delivery.
    public func mark(_ sequence: Int64, _ status: InboxDelivery.Status, reason: String?, at time: Int64) throws {
        try write { db in
            try db.execute(sql: "UPDATE deliveries SET status = ?, reason = ?, processed_at = ? WHERE sequence = ?",
                           arguments: [status.rawValue, reason, time, sequence])
        }
    }

    /// The outcome of one delivery, for ``mark(_:at:)``.
    public struct Mark: Sendable, Hashable {
        public var sequence: Int64
        public var status: InboxDelivery.Status
        public var reason: String?

        public init(sequence: Int64, status: InboxDelivery.Status, reason: String?) {
            self.sequence = sequence
            self.status = status
            self.reason = reason
        }
    }

    /// Records the outcomes of many deliveries in one transaction.
    public func mark(_ marks: [Mark], at time: Int64) throws {
        guard !marks.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(sql: "UPDATE deliveries SET status = ?, reason = ?, processed_at = ? WHERE sequence = ?")
            for m in marks { try statement.execute(arguments: [m.status.rawValue, m.reason, time, m.sequence]) }
        }
    }

    /// Drops the bodies of deliveries processed (or skipped, or failed) before `cutoff`; returns how many.
    ///
    /// The row stays — store, delivery id, topic, times, status and reason — so a store retrying an
    /// old delivery is still recognised as a duplicate, and what happened stays inspectable. Pending
    /// deliveries are never pruned. `time` is recorded as when the body was dropped.
    @discardableResult
    public func pruneBodies(processedBefore cutoff: Int64, at time: Int64) throws -> Int {
        try write { db in
            try db.execute(sql: """
                UPDATE deliveries SET body = x'', body_size = 0, body_pruned_at = ?
                WHERE status <> 'pending' AND processed_at IS NOT NULL AND processed_at < ? AND body_pruned_at IS NULL
                """, arguments: [time, cutoff])
            return db.changesCount
        }
    }

    /// How many deliveries have each status, per store: `[store: [status: count]]`.
    public func counts() throws -> [String: [InboxDelivery.Status: Int]] {
        try read { db in
            var out: [String: [InboxDelivery.Status: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT store, status, COUNT(*) AS n FROM deliveries GROUP BY store, status") {
                guard let status = InboxDelivery.Status(rawValue: row["status"]) else { continue }
                out[row["store"], default: [:]][status] = row["n"]
            }
            return out
        }
    }

    /// The receive time of the oldest pending delivery per store (for the sync-lag metric).
    public func oldestPending() throws -> [String: Int64] {
        try read { db in
            var out: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT store, MIN(received_at) AS t FROM deliveries WHERE status = 'pending' GROUP BY store") {
                out[row["store"]] = row["t"]
            }
            return out
        }
    }

    // MARK: Private

    private func fetch(_ clause: String, _ arguments: StatementArguments) throws -> [InboxDelivery] {
        let rows = try read { db in try DeliveryRow.fetchAll(db, sql: "SELECT * FROM deliveries " + clause, arguments: arguments) }
        // A body that no longer inflates comes back as `failed` with the reason, so one damaged row
        // cannot block the rest of the inbox.
        return rows.map { row in
            var delivery = row.delivery
            guard delivery.bodyPrunedAt == nil else { return delivery }
            do {
                delivery.body = try InboxCodec.decompress(row.compressedBody, originalSize: row.bodySize)
            } catch {
                delivery.status = .failed
                delivery.reason = "\(error)"
            }
            return delivery
        }
    }

    /// An SQLite failure said with the file and what to do (``DatabaseFiles/DatabaseFileError``).
    static func explain(_ error: any Error, _ path: String?) -> String {
        guard let path else { return "the in-memory webhook inbox: \(error)" }
        return "\(DatabaseFileError.from(error, role: .inbox, path: path))"
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try db.write(body) } catch let error as DaemonError { throw error } catch {
            throw DaemonError(code: .inboxUnavailable, message: "cannot write: \(Self.explain(error, path))")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try db.read(body) } catch let error as DaemonError { throw error } catch {
            throw DaemonError(code: .inboxUnavailable, message: "cannot read: \(Self.explain(error, path))")
        }
    }
}

/// One row of `deliveries`, its body still compressed.
private struct DeliveryRow: FetchableRecord {
    enum Columns {
        static let sequence = Column("sequence")
        static let store = Column("store")
        static let kind = Column("kind")
        static let deliveryID = Column("delivery_id")
        static let topic = Column("topic")
        static let receivedAt = Column("received_at")
        static let triggeredAt = Column("triggered_at")
        static let bodySize = Column("body_size")
        static let body = Column("body")
        static let status = Column("status")
        static let reason = Column("reason")
        static let bodyPrunedAt = Column("body_pruned_at")
    }

    /// The delivery without its body (filled in once inflated).
    var delivery: InboxDelivery
    var bodySize: Int
    var compressedBody: Data

    init(row: Row) throws {
        let kindName: String = row[Columns.kind]
        guard let kind = StoreKind(rawValue: kindName) else {
            // Not guessed: parsed as another store's JSON, the delivery would be misread.
            let sequence: Int64 = row[Columns.sequence]
            throw DaemonError(code: .corruptDelivery,
                              message: "inbox delivery \(sequence) is for a store of kind \"\(kindName)\", which this OordenSync does not know; it was written by another version. Run that version to process it, or set it aside: sqlite3 <daemon.inbox_path> \"UPDATE deliveries SET status = 'failed' WHERE sequence = \(sequence)\"")
        }
        delivery = InboxDelivery(
            sequence: row[Columns.sequence], store: row[Columns.store],
            kind: kind,
            deliveryID: row[Columns.deliveryID], topic: row[Columns.topic],
            receivedAt: row[Columns.receivedAt], triggeredAt: row[Columns.triggeredAt], body: Data(),
            status: InboxDelivery.Status(rawValue: row[Columns.status]) ?? .pending, reason: row[Columns.reason],
            bodyPrunedAt: row[Columns.bodyPrunedAt])
        bodySize = row[Columns.bodySize]
        compressedBody = row[Columns.body]
    }
}
