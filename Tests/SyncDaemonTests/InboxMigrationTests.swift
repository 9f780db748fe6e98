import Foundation
import GRDB
import SyncCore
import SyncDaemon
import Testing

/// The inbox's schema comes from a `DatabaseMigrator`; inboxes written before it keep their deliveries.
@Suite struct InboxMigrationTests {
    /// An inbox file as the daemon wrote it before the migrator (and before `body_pruned_at`), with one
    /// processed delivery whose body is `body`.
    static func writeOldInbox(at path: String, body: Data) throws {
        let db = try DatabaseQueue(path: path)
        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE deliveries (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT, store TEXT NOT NULL, kind TEXT NOT NULL,
                    delivery_id TEXT NOT NULL, topic TEXT NOT NULL, received_at INTEGER NOT NULL, triggered_at INTEGER,
                    body_size INTEGER NOT NULL, body BLOB NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
                    reason TEXT, processed_at INTEGER, UNIQUE (store, delivery_id));
                CREATE INDEX deliveries_pending ON deliveries (status, sequence);
                """)
            try db.execute(sql: """
                INSERT INTO deliveries (store, kind, delivery_id, topic, received_at, body_size, body, status, processed_at)
                VALUES ('tienda', 'shopify', 'd-1', 'customers/update', 1000, ?, ?, 'processed', 2000)
                """, arguments: [body.count, try InboxCodec.compress(body)])
        }
    }

    @Test func anInboxFromBeforeTheMigratorKeepsItsDeliveriesAndGainsTheLaterColumn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("inbox.sqlite").path
        let body = Data(#"{"id": 7, "email": "ana@ejemplo.mx"}"#.utf8)
        try Self.writeOldInbox(at: path, body: body)

        let inbox = try WebhookInbox(path: path)
        let old = try #require(try inbox.deliveries().first)
        #expect(old.deliveryID == "d-1" && old.status == .processed && old.body == body)
        #expect(try inbox.store(store: "tienda", kind: .shopify, deliveryID: "d-1", topic: "customers/update",
                                receivedAt: 3000, triggeredAt: nil, body: body) == false, "still a duplicate")
        #expect(try inbox.pruneBodies(processedBefore: 10_000, at: 10_000) == 1, "the later column exists")
        #expect(try inbox.deliveries().first?.bodyPrunedAt == 10_000)

        // Both steps are recorded: opening again runs nothing and keeps everything.
        let again = try WebhookInbox(path: path)
        #expect(try again.deliveries().map(\.deliveryID) == ["d-1"])
        let applied = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(applied == ["inbox-v1-deliveries", "inbox-v2-body-pruned-at"])
    }
}
