import Connectors
import Foundation
import Synchronization
import SyncCore
import SyncDriver
import SyncEngine

/// Shopify `inventory_levels/update` deliveries: a sale or an adjustment changes a level, and Shopify
/// sends only this webhook (not `products/update`), so without it a sale's stock would reach the other
/// stores only at the next reconciliation pull.
///
/// The body is `{inventory_item_id, location_id, available, updated_at}`. The level is observed as the
/// store's stock of the record tracking that inventory item
/// (``SyncEngine/observeStockLevel(link:inventoryItemID:level:at:)``) — the same observation a pull
/// makes, so the change becomes the store's counter delta and the push after the batch moves the other
/// stores and Oorden by it. Only the shop's primary location is synced (pulls and pushes use it too);
/// a level at another location is `skipped`.
extension InboxProcessor {
    func processInventoryLevel(_ d: InboxDelivery) async throws -> Outcome {
        guard let platform = platforms[d.store] else {
            return .skipped("store \(d.store) has no endpoint in this daemon; the reconciliation pass of a daemon that has it reads the stock")
        }
        let level: InventoryLevelRecord
        do {
            level = try d.kind.recordFormat.inventoryLevel(json: try JSONValue.parse(d.body))
        } catch {
            return .failed("the body is not an inventory level: \(error)")
        }
        guard let available = level.available else {
            return .skipped("inventory item \(level.inventoryItemID) is not tracked at location \(level.locationID) (no available quantity)")
        }
        let primary: String
        do {
            primary = try await primaryLocation(platform, store: d.store)
        } catch {
            return .skipped("deferred: the shop's primary location could not be read (\(error)); the next reconciliation pass reads the stock")
        }
        guard level.locationID == primary else {
            return .skipped("a level at location \(level.locationID), not the shop's primary location \(primary), which is the one OordenSync syncs")
        }
        switch try engine.observeStockLevel(link: d.store, inventoryItemID: level.inventoryItemID, level: Int64(available), at: level.updatedAt) {
        case .applied(let delta):
            return Self.stockOutcome(delta)
        case .unknownItem:
            return .skipped("no linked product tracks inventory item \(level.inventoryItemID) yet; the next reconciliation pass reads its stock")
        case .stale:
            return .processed(changed: false, note: "older than the level already seen; not applied")
        case .ambiguous:
            return try await observeCurrentLevel(platform, store: d.store, item: level.inventoryItemID, location: primary)
        }
    }

    static func stockOutcome(_ delta: Int64) -> Outcome {
        .processed(changed: delta != 0, note: delta == 0 ? "stock unchanged" : "stock \(delta > 0 ? "+" : "")\(delta)")
    }

    /// Two levels with the same `updated_at` and different quantities: the store's current level decides.
    func observeCurrentLevel(_ platform: any StorePlatform, store: String, item: String, location: String) async throws -> Outcome {
        let current: InventoryLevelRecord?
        do {
            current = try await platform.stockLevel(inventoryItemID: item, locationID: location)
        } catch {
            return .skipped("the level has the same time as the one already seen but another quantity, and the current level could not be read (\(error)); the next reconciliation pass reads it")
        }
        guard let available = current?.available else {
            return .skipped("inventory item \(item) has no level at the primary location any more; the next reconciliation pass reads it")
        }
        switch try engine.observeStockLevel(link: store, inventoryItemID: item, level: Int64(available), at: nil) {
        case .applied(let delta): return Self.stockOutcome(delta)
        default: return .skipped("no linked product tracks inventory item \(item); the next reconciliation pass reads its stock")
        }
    }

    /// The shop's primary location id, read once per store (`shop.json`) and kept for the process.
    func primaryLocation(_ platform: any StorePlatform, store: String) async throws -> String {
        if let known = locations.location(of: store) { return known }
        guard let id = try await platform.primaryLocationID() else {
            throw StoreAPIError(code: .validation, method: .get, path: "shop", message: "the shop reports no primary location")
        }
        locations.keep(id, for: store)
        return id
    }
}

/// Each Shopify store's primary location, once read. A shop's primary location rarely changes; a
/// restart reads it again.
final class ShopLocationCache: Sendable {
    private let known = Mutex<[String: String]>([:])

    init() {}

    func location(of store: String) -> String? { known.withLock { $0[store] } }

    func keep(_ id: String, for store: String) { known.withLock { $0[store] = id } }
}
