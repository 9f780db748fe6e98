import SyncCore

/// The kinds of records the ledger keeps and reports in its change feed.
public enum LedgerEntityKind: String, Sendable, Hashable, CaseIterable, Codable {
    case company
    case tax
    case contact
    case product
    case inventoryMovement = "inventory_movement"
    case salesOrder = "sales_order"
    case sale
    case creditNote = "credit_note"
}

/// What happened to a record in one change-feed entry.
public enum LedgerChangeAction: String, Sendable, Hashable, CaseIterable, Codable {
    case created
    case updated
    case archived
    case unarchived
    case cancelled
    case invoiced
}

/// One entry of the ledger's change feed.
///
/// Every mutation appends one entry per touched record in the same transaction as the mutation, so
/// the feed never shows a change that did not commit nor misses one that did. ``sequence`` grows
/// strictly; read "changes since" with ``OordenLedger/changes(after:limit:)`` and keep the last
/// sequence as the cursor. ``time`` is milliseconds from the ledger's injected clock.
public struct LedgerChange: Sendable, Hashable {
    public let sequence: Int64
    public let kind: LedgerEntityKind
    public let entityID: Int64
    public let action: LedgerChangeAction
    public let time: Int64
    public let origin: LedgerOrigin

    public init(sequence: Int64, kind: LedgerEntityKind, entityID: Int64, action: LedgerChangeAction, time: Int64, origin: LedgerOrigin) {
        self.sequence = sequence
        self.kind = kind
        self.entityID = entityID
        self.action = action
        self.time = time
        self.origin = origin
    }
}
