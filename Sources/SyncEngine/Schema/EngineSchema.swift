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
/// - `field_history` (engine-v5-field-history): the last writes ingest merged per entity field, won or lost.
/// - `sync_cursors` (engine-v4-cursors): per store and kind, the newest store `updated_at` a completed
///   pull saw and when the last complete scan finished (reconciliation polling).
/// - `push_outbox` (engine-v6-outbox): store writes under way or backing off, per store, entity and
///   operation: the idempotency key, attempts, next attempt time, and whether an attempt is in flight.
/// - `deleted_remote_ids` (engine-v7-deleted-remote-ids): store records deleted there, with the deletion's
///   time on the store's clock, so a late webhook carrying an older version of one is not taken for a
///   new record (a version newer than the deletion — a restore — is).
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
        migrator.registerMigration("engine-v5-field-history") { db in
            // Per entity field, the last writes ingest merged, won or lost (SyncEngine.history(of:),
            // `oorden-sync log`); bounded to FieldHistory.keepPerField entries per field.
            try db.execute(sql: """
                CREATE TABLE field_history (
                    id INTEGER PRIMARY KEY,
                    entity BLOB NOT NULL,
                    field TEXT NOT NULL,
                    value TEXT NOT NULL,
                    hlc INTEGER NOT NULL,
                    replica BLOB NOT NULL,
                    side TEXT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('won', 'lost')),
                    previous_value TEXT,
                    previous_hlc INTEGER,
                    previous_replica BLOB,
                    recorded_ms INTEGER NOT NULL
                );
                CREATE INDEX field_history_by_field ON field_history (entity, field, id);
                """)
        }
        migrator.registerMigration("engine-v4-cursors") { db in
            // Reconciliation polling: incremental pulls from the cursor minus an overlap window, and
            // when the last complete scan (the only one that detects deletions) finished.
            try db.execute(sql: """
                CREATE TABLE sync_cursors (
                    link TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    updated_at_ms INTEGER,
                    complete_scan_ms INTEGER,
                    PRIMARY KEY (link, kind)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("engine-v6-outbox") { db in
            // The durable outbox: a write is recorded in flight before it is sent, so after a crash a
            // create whose response was lost is looked up in the store before it is sent again.
            try db.execute(sql: """
                CREATE TABLE push_outbox (
                    link TEXT NOT NULL,
                    entity BLOB NOT NULL,
                    operation TEXT NOT NULL CHECK (operation IN ('record', 'stock')),
                    kind TEXT NOT NULL,
                    intent_key TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_ms INTEGER NOT NULL DEFAULT 0,
                    in_flight_ms INTEGER,
                    first_attempt_ms INTEGER NOT NULL,
                    last_error TEXT,
                    PRIMARY KEY (link, entity, operation)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("engine-natural-keys-by-entity") { db in
            // Ingest re-points an entity's natural key on every record (DELETE … WHERE kind = ? AND
            // entity = ?): without this index that is a scan of every key, quadratic over an import.
            try db.execute(sql: "CREATE INDEX natural_keys_by_entity ON natural_keys (kind, entity)")
        }
        migrator.registerMigration("engine-v7-deleted-remote-ids") { db in
            try db.execute(sql: """
                CREATE TABLE deleted_remote_ids (
                    link TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    remote_id TEXT NOT NULL,
                    deleted_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (link, kind, remote_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("engine-v8-stock-items") { db in
            // Shopify's inventory_levels/update names the inventory item, not the variant: each
            // baseline keeps its record's inventory item (from pulls) and the store time of the level
            // it holds, so an inventory webhook finds its record and a late, older one is not applied.
            try db.execute(sql: """
                ALTER TABLE stock_baselines ADD COLUMN inventory_item TEXT;
                ALTER TABLE stock_baselines ADD COLUMN level_at INTEGER;
                CREATE INDEX stock_baselines_by_item ON stock_baselines (link, inventory_item);
                """)
        }
        migrator.registerMigration("engine-v9-create-stock") { db in
            // The level a product create sends, kept from before the request leaves until the created
            // record's first level is seen: if the store's answer is lost (a crash, a gateway error) and
            // a sale lands before the record is linked by our marker, that sale is the difference
            // from this level — not swallowed into a first level taken as it stands.
            try db.execute(sql: """
                CREATE TABLE create_stock (link TEXT NOT NULL, entity BLOB NOT NULL, level INTEGER NOT NULL, PRIMARY KEY (link, entity))
                """)
        }
        migrator.registerMigration("engine-v10-bulk-reads") { db in
            // A Shopify bulk export under way, by store and kind: a pass that dies while Shopify runs
            // it (minutes for a big shop) picks the same operation up again instead of starting another.
            try db.execute(sql: """
                CREATE TABLE bulk_reads (link TEXT NOT NULL, kind TEXT NOT NULL, operation TEXT NOT NULL,
                    started_ms INTEGER NOT NULL, PRIMARY KEY (link, kind)) WITHOUT ROWID
                """)
        }
    }
}
