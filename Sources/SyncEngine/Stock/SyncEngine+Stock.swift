import Foundation
import GRDB
import SyncCore
import SyncStore

/// The counter every product's stock lives in.
let stockCounter = "stock"

extension SyncEngine {
    /// The product's stock as the engine knows it: Σ increments − Σ decrements over every side's cell.
    public func stock(of entity: EntityID) throws -> Int64? {
        try state(of: entity)?.counters[stockCounter]?.value
    }

    /// Raises Oorden's cell of a product's stock counter to the totals of its users' movements.
    func raiseOordenStock(_ tx: inout CRDTTransaction, productID: String, host: any OordenStockHost, replica: ReplicaID) throws {
        guard let entity = try RemoteIDRow.entity(tx.db, link: SideLink.oordenName, kind: .product, remoteID: productID) else { return }
        try raiseCell(&tx, entity: entity, replica: replica, to: try host.userStockTotals(productID: productID))
    }

    /// Raises a replica's cell to `target` (a cell only grows: smaller components are left alone).
    func raiseCell(_ tx: inout CRDTTransaction, entity: EntityID, replica: ReplicaID, to target: PNCounter.Cell) throws {
        let current = try Row.fetchOne(tx.db.cachedStatement(sql: "SELECT increments, decrements FROM counter_cells WHERE entity = ? AND counter = ? AND replica = ?"),
                                       arguments: [entity.blob, stockCounter, replica.blob])
        let increments: Int64 = current?[0] ?? 0
        let decrements: Int64 = current?[1] ?? 0
        var changed = false
        if target.increments > increments {
            try tx.recordCounterDelta(entity: entity, kind: .product, counter: stockCounter, replica: replica, delta: target.increments - increments)
            changed = true
        }
        if target.decrements > decrements {
            try tx.recordCounterDelta(entity: entity, kind: .product, counter: stockCounter, replica: replica, delta: -(target.decrements - decrements))
            changed = true
        }
        if changed { try markDirty(tx.db, entity) }
    }

    /// A store reported a product's stock level: the change since the last level seen there is the
    /// store's own delta (its sales and manual adjustments), added to its counter cell.
    ///
    /// The first level seen counts as the store's stock only when the product is new to the engine;
    /// when the record links to a product another side already has, that side's stock stands
    /// (Oorden's quantity is authoritative at first link) and the store is corrected to it. A record
    /// we created ourselves starts from the level our create sent (``createStock``), so what the
    /// store sold before we linked it counts.
    func observeStock(_ tx: inout CRDTTransaction, link: StoreLink, remoteID: String, entity: EntityID, level: Int64, isNewEntity: Bool,
                      source: StockSource = StockSource()) throws {
        var baseline = try Int64.fetchOne(tx.db.cachedStatement(sql: "SELECT level FROM stock_baselines WHERE link = ? AND remote_id = ?"),
                                          arguments: [link.name, remoteID])
        if baseline == nil, let created = try Self.takeCreateStock(tx.db, link: link.name, entity: entity) {
            try tx.db.cachedStatement(sql: "INSERT INTO stock_baselines (link, remote_id, level) VALUES (?, ?, ?)").execute(arguments: [link.name, remoteID, created])
            baseline = created
        }
        let delta: Int64
        if let baseline {
            delta = level - baseline
            try noteStockSource(tx.db, link: link.name, remoteID: remoteID, source)
            guard delta != 0 else { return }
            try tx.db.cachedStatement(sql: "UPDATE stock_baselines SET level = ? WHERE link = ? AND remote_id = ?").execute(arguments: [level, link.name, remoteID])
        } else {
            delta = isNewEntity ? level : 0
            try tx.db.cachedStatement(sql: "INSERT INTO stock_baselines (link, remote_id, level) VALUES (?, ?, ?)").execute(arguments: [link.name, remoteID, level])
            try noteStockSource(tx.db, link: link.name, remoteID: remoteID, source)
        }
        if delta != 0 {
            try tx.recordCounterDelta(entity: entity, kind: .product, counter: stockCounter, replica: link.replica, delta: delta)
        }
        try markDirty(tx.db, entity)
    }

    /// Where an observed level came from: the record's inventory item (Shopify), kept so an
    /// `inventory_levels/update` webhook finds the record, and the store time of the level, which only
    /// moves forward (a late, older inventory webhook is then recognised).
    struct StockSource {
        var inventoryItem: String? = nil
        var levelAt: Int64? = nil
    }

    func noteStockSource(_ db: Database, link: String, remoteID: String, _ source: StockSource) throws {
        guard source.inventoryItem != nil || source.levelAt != nil else { return }
        try db.cachedStatement(sql: """
            UPDATE stock_baselines SET inventory_item = COALESCE(?, inventory_item),
                level_at = CASE WHEN ? IS NULL THEN level_at WHEN level_at IS NULL OR level_at < ? THEN ? ELSE level_at END
            WHERE link = ? AND remote_id = ?
            """).execute(arguments: [source.inventoryItem, source.levelAt, source.levelAt, source.levelAt, link, remoteID])
    }

    /// A store reported one inventory level (Shopify `inventory_levels/update`): the level of the record
    /// tracking `inventoryItemID`, observed exactly as a pull observes it (the change since the last
    /// level seen is the store's own delta, counted in its cell; the product is marked for projection,
    /// so the next push moves the other stores and Oorden by that delta).
    ///
    /// `time` is the store's time of the level (`updated_at`); nil applies it unconditionally (a level
    /// just read from the store). The caller must pass only the level of the location the engine
    /// syncs (the shop's primary location): pulls and pushes use that one.
    public func observeStockLevel(link linkName: String, inventoryItemID: String, level: Int64, at time: Int64?) throws -> StockLevelObservation {
        guard let link = try link(named: linkName) else { throw SyncEngineError.unknownLink(linkName) }
        return try store.write { tx in
            guard let row = try Row.fetchOne(tx.db.cachedStatement(sql: """
                    SELECT remote_id, level, level_at FROM stock_baselines WHERE link = ? AND inventory_item = ? LIMIT 1
                    """), arguments: [link.name, inventoryItemID]),
                  let entity = try RemoteIDRow.entity(tx.db, link: link.name, kind: .product, remoteID: row["remote_id"])
            else { return .unknownItem }
            let baseline: Int64 = row["level"]
            if let time, let seenAt = row["level_at"] as Int64? {
                if time < seenAt { return .stale }
                if time == seenAt, level != baseline { return .ambiguous }
            }
            try observeStock(&tx, link: link, remoteID: row["remote_id"], entity: entity, level: level, isNewEntity: false,
                             source: StockSource(levelAt: time))
            return .applied(delta: level - baseline)
        }
    }

    /// Remembers the level a product create is about to send to `link` (see the engine-v9 migration).
    static func noteCreateStock(_ db: Database, link: String, entity: EntityID, level: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO create_stock (link, entity, level) VALUES (?, ?, ?) ON CONFLICT (link, entity) DO UPDATE SET level = excluded.level")
            .execute(arguments: [link, entity.blob, level])
    }

    /// The level a create of `entity` in `link` sent, forgotten as it is read (the record is linked now).
    static func takeCreateStock(_ db: Database, link: String, entity: EntityID) throws -> Int64? {
        let level = try Int64.fetchOne(db.cachedStatement(sql: "SELECT level FROM create_stock WHERE link = ? AND entity = ?"), arguments: [link, entity.blob])
        if level != nil {
            try db.cachedStatement(sql: "DELETE FROM create_stock WHERE link = ? AND entity = ?").execute(arguments: [link, entity.blob])
        }
        return level
    }

    /// The stock a store record was last seen with (or written to), if the store tracks its stock.
    func stockBaseline(link: String, remoteID: String) throws -> Int64? {
        try store.read { r in
            try Int64.fetchOne(r.db.cachedStatement(sql: "SELECT level FROM stock_baselines WHERE link = ? AND remote_id = ?"), arguments: [link, remoteID])
        }
    }

    /// Corrects Oorden's stock on hand to the counter, with a movement made for the sync (an echo).
    func projectStockToHost(entity: EntityID, host: any OordenHost, oorden: SideLink, result: inout ProjectionResult) throws {
        guard let stockHost = host.stock, let target = try stock(of: entity),
              let productID = try remoteID(side: oorden.name, kind: .product, entity: entity)
        else { return }
        let onHand = try stockHost.stockOnHand(productID: productID)
        guard onHand != target else { return }
        try stockHost.adjustStock(productID: productID, delta: target - onHand, origin: oorden.replica)
        result.hostStockAdjustments += 1
    }

    /// Whether Oorden's stock of the product differs from the counter (kept dirty until corrected).
    func stockNeedsHost(entity: EntityID, host: any OordenHost, oorden: SideLink) throws -> Bool {
        guard let stockHost = host.stock, let target = try stock(of: entity),
              let productID = try remoteID(side: oorden.name, kind: .product, entity: entity)
        else { return false }
        return try stockHost.stockOnHand(productID: productID) != target
    }

    /// The delta that brings a store's level to the counter, as a push intent.
    func stockIntent(link: StoreLink, entity: EntityID) throws -> PushIntent? {
        guard let target = try stock(of: entity), let remote = try remoteID(side: link.name, kind: .product, entity: entity),
              let level = try stockBaseline(link: link.name, remoteID: remote), level != target
        else { return nil }
        return PushIntent(link: link.name, kind: .product, entity: entity, action: .adjustStock(remoteID: remote, delta: target - level),
                          fields: [:], record: [:], naturalKey: nil)
    }

    /// A stock push was applied: the store's level moved by the intent's delta, which is ours and not
    /// a store change. A concurrent store sale shows up at the next observation as the store's delta.
    public func completeStockPush(_ intent: PushIntent) throws {
        guard case .adjustStock(let remote, let delta) = intent.action else { return }
        try store.write { tx in
            try tx.db.cachedStatement(sql: "UPDATE stock_baselines SET level = level + ? WHERE link = ? AND remote_id = ?").execute(arguments: [delta, intent.link, remote])
            try HeldRecords.release(tx.db, link: intent.link, kind: .product, remoteID: remote)
        }
    }

    func markDirty(_ db: Database, _ entity: EntityID) throws {
        try DirtyEntities.mark(db, entity)
    }
}

/// What ``SyncEngine/observeStockLevel(link:inventoryItemID:level:at:)`` did with one store level.
public enum StockLevelObservation: Sendable, Hashable {
    /// Observed: the level moved by `delta` since the last one seen (0: our own push echoed, or a repeat).
    case applied(delta: Int64)
    /// No linked record that tracks stock has this inventory item (yet); a pull maps it.
    case unknownItem
    /// Older than the level already seen (a late delivery): not applied.
    case stale
    /// The same store time as the level already seen, with another quantity: which is newer only the
    /// store's current level can say (read it and observe it with no time).
    case ambiguous
}
