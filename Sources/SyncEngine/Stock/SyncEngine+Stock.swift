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
        guard let entity = try Data.fetchOne(tx.db.cachedStatement(sql: "SELECT entity FROM remote_ids WHERE link = ? AND kind = 'product' AND remote_id = ?"),
                                             arguments: [SideLink.oordenName, productID]).flatMap({ EntityID(bytes: $0) })
        else { return }
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
    /// (Oorden's quantity is authoritative at first link) and the store is corrected to it.
    func observeStock(_ tx: inout CRDTTransaction, link: StoreLink, remoteID: String, entity: EntityID, level: Int64, isNewEntity: Bool) throws {
        let baseline = try Int64.fetchOne(tx.db.cachedStatement(sql: "SELECT level FROM stock_baselines WHERE link = ? AND remote_id = ?"),
                                          arguments: [link.name, remoteID])
        let delta: Int64
        if let baseline {
            delta = level - baseline
            guard delta != 0 else { return }
            try tx.db.cachedStatement(sql: "UPDATE stock_baselines SET level = ? WHERE link = ? AND remote_id = ?").execute(arguments: [level, link.name, remoteID])
        } else {
            delta = isNewEntity ? level : 0
            try tx.db.cachedStatement(sql: "INSERT INTO stock_baselines (link, remote_id, level) VALUES (?, ?, ?)").execute(arguments: [link.name, remoteID, level])
        }
        if delta != 0 {
            try tx.recordCounterDelta(entity: entity, kind: .product, counter: stockCounter, replica: link.replica, delta: delta)
        }
        try markDirty(tx.db, entity)
    }

    /// The stock a store record was last seen with (or written to), if the store tracks its stock.
    func stockBaseline(link: String, remoteID: String) throws -> Int64? {
        try store.read { r in
            try Int64.fetchOne(r.db.cachedStatement(sql: "SELECT level FROM stock_baselines WHERE link = ? AND remote_id = ?"), arguments: [link, remoteID])
        }
    }

    /// Corrects Oorden's stock on hand to the counter, with a movement made for the sync (an echo).
    func projectStockToHost(entity: EntityID, host: any OordenHost, oorden: SideLink, result: inout ProjectionResult) throws {
        guard let stockHost = host as? any OordenStockHost, let target = try stock(of: entity),
              let productID = try remoteID(side: oorden.name, kind: .product, entity: entity)
        else { return }
        let onHand = try stockHost.stockOnHand(productID: productID)
        guard onHand != target else { return }
        try stockHost.adjustStock(productID: productID, delta: target - onHand, origin: oorden.replica)
        result.hostStockAdjustments += 1
    }

    /// Whether Oorden's stock of the product differs from the counter (kept dirty until corrected).
    func stockNeedsHost(entity: EntityID, host: any OordenHost, oorden: SideLink) throws -> Bool {
        guard let stockHost = host as? any OordenStockHost, let target = try stock(of: entity),
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
