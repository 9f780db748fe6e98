/// The stock of one Shopify inventory item at one location (`inventory_levels.json`).
///
/// The engine turns changes of ``available`` into store deltas of its inventory counter.
public struct InventoryLevelRecord: Sendable, Hashable {
    public var inventoryItemID: String
    public var locationID: String
    /// `nil` when the item is not tracked at the location.
    public var available: Int?
    /// Milliseconds since the Unix epoch.
    public var updatedAt: Int64?

    public init(inventoryItemID: String, locationID: String, available: Int?, updatedAt: Int64? = nil) {
        self.inventoryItemID = inventoryItemID
        self.locationID = locationID
        self.available = available
        self.updatedAt = updatedAt
    }
}
