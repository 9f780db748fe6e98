import Connectors
import SyncCore
import SyncEngine

/// A store's bulk exports under way, kept in the engine's database (``SyncEngine/pendingBulkRead(link:kind:)``),
/// so they outlive the process that started them.
struct EngineBulkReadJournal: BulkReadJournal {
    let engine: SyncEngine
    let link: String

    func pendingBulkRead(_ kind: EntityKind) throws -> String? { try engine.pendingBulkRead(link: link, kind: kind) }

    func bulkReadStarted(_ kind: EntityKind, operationID: String) throws { try engine.recordBulkRead(link: link, kind: kind, operation: operationID) }

    func bulkReadFinished(_ kind: EntityKind) throws { try engine.clearBulkRead(link: link, kind: kind) }
}
