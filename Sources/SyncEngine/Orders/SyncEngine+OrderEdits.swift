import Foundation
import GRDB
import SyncCore
import SyncStore

extension EntityID {
    /// The engine's id of a store order: derived from (store, order id), so every database agrees.
    static func order(link: String, remoteID: String) -> EntityID {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325
        var b: UInt64 = 0x8422_2325_CBF2_9CE4
        for byte in "\(link)\u{0}\(remoteID)".utf8 {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9
        }
        return EntityID(high: a, low: b)
    }
}

extension SyncEngine {
    /// Remembers an imported order's editable state in Oorden as its shadow, so only later edits by
    /// Oorden users are written back to the store (the engine's own documents are not echoed).
    func recordOrderShadow(salesOrderID: String, host: any OordenSalesHost) throws {
        guard let state = try host.salesOrderEdits(id: salesOrderID) else { return }
        let now = clock.nowMilliseconds()
        // Only this writes an order's shadow, always with counter 0: replacing the row changes no counter.
        try store.write { tx in
            try ShadowRow(link: SideLink.oordenName, kind: .order, remoteID: salesOrderID, updatedAt: now, fields: state.fields).replace(tx.db)
        }
    }

    /// An Oorden user changed a sales order: what differs from its shadow is queued for its store.
    func noteOrderEdit(salesOrderID: String, host: any OordenSalesHost) throws {
        guard let state = try host.salesOrderEdits(id: salesOrderID) else { return }
        guard let shadow = try shadowFields(side: SideLink.oordenName, kind: .order, remoteID: salesOrderID) else {
            try recordOrderShadow(salesOrderID: salesOrderID, host: host)
            return
        }
        let changed = state.fields.filter { shadow[$0.key] != $0.value }
        guard !changed.isEmpty else { return }
        try store.write { tx in
            let pending = try PendingOrderEditRow.find(tx.db, link: state.store, remoteID: state.remoteID)?.fields() ?? FieldValues()
            try PendingOrderEditRow(link: state.store, remoteID: state.remoteID, fields: pending.merging(changed)).save(tx.db)
            try ShadowRow.filter(key: ShadowRow.key(link: SideLink.oordenName, kind: .order, remoteID: salesOrderID))
                .updateAll(tx.db, ShadowRow.Columns.fields.set(to: StoreIngest.encodeFields(state.fields)))
        }
    }

    /// The queued order edits, as push intents (`kind == .order`, `action == .update(storeOrderID)`).
    func orderEditIntents(links: [StoreLink]) throws -> [PushIntent] {
        let names = Set(links.map(\.name))
        let rows = try store.read { r in
            try PendingOrderEditRow.order(PendingOrderEditRow.Columns.link, PendingOrderEditRow.Columns.remoteID).fetchAll(r.db)
        }
        var out: [PushIntent] = []
        for row in rows {
            let link = row.link, remote = row.remoteID
            guard names.contains(link) else { continue }
            let fields = try row.fields()
            let intent = PushIntent(link: link, kind: .order, entity: .order(link: link, remoteID: remote), action: .update(remoteID: remote),
                                    fields: fields, record: fields, naturalKey: nil)
            if let held = try store.read({ try HeldRecords.find($0.db, link: link, kind: .order, remoteID: remote) }),
               held.reasonCode == HoldReason.Code.pushRejected.rawValue, held.payload == intent.key {
                continue
            }
            out.append(intent)
        }
        return out
    }

    /// The store applied an order edit.
    public func completeOrderPush(_ intent: PushIntent) throws {
        guard case .update(let remote) = intent.action else { return }
        try store.write { tx in
            let current = try PendingOrderEditRow.find(tx.db, link: intent.link, remoteID: remote)?.fields()
            // Only what was sent is done; a newer edit queued meanwhile stays.
            if let current, current == intent.fields {
                _ = try PendingOrderEditRow.deleteOne(tx.db, key: [PendingOrderEditRow.Columns.link.name: intent.link, PendingOrderEditRow.Columns.remoteID.name: remote])
            } else if var current {
                for (k, v) in intent.fields where current[k] == v { current[k] = nil }
                try PendingOrderEditRow(link: intent.link, remoteID: remote, fields: current).update(tx.db)
            }
            try HeldRecords.release(tx.db, link: intent.link, kind: .order, remoteID: remote)
        }
    }
}
