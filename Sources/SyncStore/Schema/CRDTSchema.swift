import GRDB

/// The CRDT tables and their migrations.
///
/// - `local_identity`: this database's own replica id (one row).
/// - `replicas`: every replica heard of, with a label and the version-vector entry (the highest
///   contiguous change-log sequence this database holds from it as an origin).
/// - `clocks`: per authoring replica, the hybrid clock's persisted high-water mark.
/// - `entities`: entity id → kind.
/// - `field_registers`: the LWW registers, `WITHOUT ROWID` keyed by (entity, field). Each row is
///   also the compacted change log entry of its winning write: (origin, sequence).
/// - `counter_cells`: PN-counter cells keyed by (entity, counter, replica).
public enum CRDTSchema {
    /// Registers the CRDT migrations on `migrator`; an embedding engine adds its own after these.
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("crdt-v1") { db in
            try db.execute(sql: """
                CREATE TABLE local_identity (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    replica BLOB NOT NULL CHECK (length(replica) = 16)
                );
                CREATE TABLE replicas (
                    replica BLOB PRIMARY KEY CHECK (length(replica) = 16),
                    label TEXT NOT NULL DEFAULT '',
                    max_sequence INTEGER NOT NULL DEFAULT 0 CHECK (max_sequence >= 0)
                ) WITHOUT ROWID;
                CREATE TABLE clocks (
                    replica BLOB PRIMARY KEY CHECK (length(replica) = 16),
                    high_water INTEGER NOT NULL CHECK (high_water >= 0)
                ) WITHOUT ROWID;
                CREATE TABLE entities (
                    entity BLOB PRIMARY KEY CHECK (length(entity) = 16),
                    kind TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE field_registers (
                    entity BLOB NOT NULL,
                    field TEXT NOT NULL,
                    value TEXT NOT NULL,
                    hlc INTEGER NOT NULL,
                    replica BLOB NOT NULL,
                    origin BLOB NOT NULL,
                    sequence INTEGER NOT NULL,
                    PRIMARY KEY (entity, field)
                ) WITHOUT ROWID;
                CREATE TABLE counter_cells (
                    entity BLOB NOT NULL,
                    counter TEXT NOT NULL,
                    replica BLOB NOT NULL,
                    increments INTEGER NOT NULL CHECK (increments >= 0),
                    decrements INTEGER NOT NULL CHECK (decrements >= 0),
                    origin BLOB NOT NULL,
                    sequence INTEGER NOT NULL,
                    PRIMARY KEY (entity, counter, replica)
                ) WITHOUT ROWID;
                """)
        }
    }
}
