import Connectors
import Foundation
import SyncCore
import SyncEngine

extension SyncDriver {
    /// Pulls every order of a store (all pages, any status) and applies them to Oorden as facts;
    /// the platform resolves tax rates named by id (WooCommerce) first.
    func pullOrders(_ ep: StoreEndpoint, host: any OordenSalesHost, into counts: inout SyncPassSummary.StoreCounts,
                    progress: SyncProgressHandler?) async throws {
        var done = 0
        try await platform(ep).readOrders { page in
            try applyOrders(page.items, ep: ep, host: host, counts: &counts)
            done += page.items.count
            progress?(SyncProgress(store: ep.link, phase: .pulling(.order), done: done, total: page.total))
        }
    }

    func applyOrders(_ items: [StoreItem<OrderRecord>], ep: StoreEndpoint, host: any OordenSalesHost,
                     counts: inout SyncPassSummary.StoreCounts) throws {
        var incoming: [IncomingRecord<OrderRecord>] = []
        for item in items {
            switch item.record {
            case .success(let order): incoming.append(IncomingRecord(order, json: item.json))
            case .failure(let error):
                try holdMalformed(item.json, kind: .order, ep: ep, error: error)
                counts.ordersHeld += 1
            }
        }
        counts.ordersPulled += items.count
        for outcome in try engine.applyOrders(incoming, from: ep.link, host: host, finalizeOn: ep.finalizeOn) {
            if outcome.held != nil { counts.ordersHeld += 1 }
            for fact in outcome.facts {
                switch fact {
                case "sales_order": counts.salesOrders += 1
                case "sale": counts.sales += 1
                case "cancelled": counts.cancellations += 1
                default: counts.creditNotes += 1
                }
            }
        }
    }
}
