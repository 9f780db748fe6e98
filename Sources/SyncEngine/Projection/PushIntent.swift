import SyncCore

/// A write the engine wants made in a store: the driver builds the request with the connectors,
/// sends it, and reports back with ``SyncEngine/completePush(_:returned:)`` or
/// ``SyncEngine/failPush(_:message:permanent:)``.
public struct PushIntent: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Create the record. Before creating, the driver searches the store by natural key and by
        /// our marker; a record found there is reported back as if created, so a retry after a
        /// crash links instead of duplicating.
        case create
        /// Change ``PushIntent/fields`` of the record with this remote id.
        case update(remoteID: String)
        /// Move the store's stock level of this record by `delta` (Shopify `inventory_levels/adjust`;
        /// WooCommerce: read the level, write level + delta). Never an absolute level: a store sale
        /// racing the push is not overwritten.
        case adjustStock(remoteID: String, delta: Int64)
    }

    public var link: String
    public var kind: EntityKind
    public var entity: EntityID
    public var action: Action
    /// The fields to send: every field for a create, the changed ones for an update.
    public var fields: FieldValues
    /// The whole record as it should be after the write (shadow + changes): what a builder that
    /// needs a full record starts from.
    public var record: FieldValues
    /// The natural key (normalized e-mail or SKU) to search by before a create.
    public var naturalKey: String?
    /// For a product create: the stock the new record should start with, when stock is tracked.
    public var stock: Int64? = nil

    /// An idempotency key: the same intent recomputed after a crash has the same key.
    public var key: String {
        let target: String
        switch action {
        case .create: target = "create"
        case .update(let id): target = "update:\(id)"
        case .adjustStock(let id, let delta): target = "stock:\(id):\(delta)"
        }
        // In name order (``FieldKey``'s order), so keys stay what they were when fields were keyed by name.
        let body = fields.map { "\($0.key.name)=\($0.value.encoded)" }.joined(separator: "&")
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in body.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        return "\(link):\(kind.rawValue):\(entity.hex):\(target):\(String(hash, radix: 16))"
    }
}

/// What one projection step did.
public struct ProjectionResult: Sendable, Hashable {
    /// Records created in Oorden.
    public var hostCreates = 0
    /// Records updated in Oorden.
    public var hostUpdates = 0
    /// Existing Oorden records linked by natural key.
    public var hostLinks = 0
    /// Stock corrections recorded in Oorden.
    public var hostStockAdjustments = 0
    /// Writes for the driver to make in the stores.
    public var pushes: [PushIntent] = []
    /// The last dirty entity looked at when the call stopped at its limit: pass it as `after` to
    /// continue. Nil when the call reached the end of the dirty set.
    public var lastEntity: EntityID?

    public init() {}
}
