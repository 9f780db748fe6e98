import GRDB
import SyncStore

/// The engine's own tables, migrated after the CRDT tables in the same database.
///
/// - `store_links`: each connected store: its name, kind, replica id, estimated clock offset, and
///   which kinds created elsewhere are created there.
/// - `oorden_side`: Oorden's replica id and the cursor into the host's change feed.
/// - `dirty_entities`: entities whose merged state changed and must be projected to every side.
/// - `remote_ids`: which remote record is which entity, unique per (link, kind, remote id) and per
///   (link, kind, entity): the database, not a check-then-insert, keeps links one-to-one.
/// - `natural_keys`: normalized e-mail → contact, SKU → product, for first-link matching.
/// - `shadows`: per link and record, the last version seen or written there (canonical fields and the
///   store's `updated_at`), which incoming records are diffed against.
/// - `held_records`: records that could not be synced, with the reason and the raw payload.
public enum EngineSchema {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("engine-v1") { db in
            try db.execute(sql: """
                CREATE TABLE store_links (
                    name TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    replica BLOB NOT NULL UNIQUE CHECK (length(replica) = 16),
                    clock_offset_ms INTEGER NOT NULL DEFAULT 0,
                    clock_samples INTEGER NOT NULL DEFAULT 0,
                    create_kinds TEXT NOT NULL DEFAULT 'contact,product',
                    archives_on_delete INTEGER NOT NULL DEFAULT 1
                );
                CREATE TABLE oorden_side (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    replica BLOB NOT NULL CHECK (length(replica) = 16),
                    cursor INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE dirty_entities (
                    entity BLOB PRIMARY KEY
                ) WITHOUT ROWID;
                CREATE TABLE remote_ids (
                    link TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    remote_id TEXT NOT NULL,
                    entity BLOB NOT NULL,
                    PRIMARY KEY (link, kind, remote_id),
                    UNIQUE (link, kind, entity)
                ) WITHOUT ROWID;
                CREATE TABLE natural_keys (
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    entity BLOB NOT NULL,
                    PRIMARY KEY (kind, key)
                ) WITHOUT ROWID;
                CREATE TABLE shadows (
                    link TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    remote_id TEXT NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    same_second_counter INTEGER NOT NULL DEFAULT 0,
                    fields TEXT NOT NULL,
                    PRIMARY KEY (link, kind, remote_id)
                ) WITHOUT ROWID;
                CREATE TABLE held_records (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    link TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    remote_id TEXT NOT NULL,
                    reason_code TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    first_held_ms INTEGER NOT NULL,
                    last_held_ms INTEGER NOT NULL,
                    UNIQUE (link, kind, remote_id)
                );
                """)
        }
        migrator.registerMigration("engine-v2-stock") { db in
            // The last stock level seen in (or written to) each store record: observed changes
            // against it are the store's counter deltas.
            try db.execute(sql: """
                CREATE TABLE stock_baselines (
                    link TEXT NOT NULL,
                    remote_id TEXT NOT NULL,
                    level INTEGER NOT NULL,
                    PRIMARY KEY (link, remote_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("engine-v3-order-edits") { db in
            // Oorden users' edits of imported orders waiting to be written to their store.
            try db.execute(sql: """
                CREATE TABLE pending_order_edits (
                    link TEXT NOT NULL,
                    remote_id TEXT NOT NULL,
                    fields TEXT NOT NULL,
                    PRIMARY KEY (link, remote_id)
                ) WITHOUT ROWID;
                """)
        }
    }
}
