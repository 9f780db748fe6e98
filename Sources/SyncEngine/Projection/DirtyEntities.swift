import GRDB
import SyncCore
import SyncStore

/// The set of entities whose merged state must be projected to every side (`dirty_entities`).
enum DirtyEntities {
    /// Marks `entity` for the next projection, in the caller's transaction.
    static func mark(_ db: Database, _ entity: EntityID) throws {
        try db.cachedStatement(sql: "INSERT INTO dirty_entities (entity) VALUES (?) ON CONFLICT (entity) DO NOTHING").execute(arguments: [entity.blob])
    }
}
