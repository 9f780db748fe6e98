import Connectors
import Foundation
import SyncCore
import SyncEngine

extension SyncDriver {
    /// Pulls every order of a store (all pages, any status) and applies them to Oorden as facts.
    /// WooCommerce tax lines point at `/taxes` by id; their percentages are resolved first.
    func pullOrders(_ ep: StoreEndpoint, host: any OordenSalesHost, into counts: inout SyncPassSummary.StoreCounts,
                    progress: SyncProgressHandler?) async throws {
        var done = 0
        switch ep.kind {
        case .shopify:
            var request = ep.shopify.orders()
            var trail = pageTrail(ep, "orders")
            while true {
                let response = try await send(ep, request)
                counts.requests += 1
                try trail.read(response, now: clock.nowMilliseconds())
                let items = try Self.items(response.body, key: "orders", store: ep.link)
                try applyOrders(items, ep: ep, host: host, counts: &counts) { try ShopifyAPI.order(json: $0) }
                done += items.count
                progress?(SyncProgress(store: ep.link, phase: .pulling(.order), done: done, total: nil))
                guard let next = ShopifyPage.nextPageInfo(from: response.headers) else { return }
                request = ep.shopify.ordersPage(pageInfo: next)
            }
        case .woocommerce:
            let rates = try await wooTaxRates(ep, counts: &counts)
            var page = 1
            var trail = pageTrail(ep, "orders")
            while true {
                let response = try await send(ep, ep.wooCommerce.orders(page: page))
                counts.requests += 1
                try trail.read(response, now: clock.nowMilliseconds())
                let items = try Self.items(response.body, key: nil, store: ep.link)
                try applyOrders(items, ep: ep, host: host, counts: &counts) { try WooCommerceAPI.order(json: $0).resolvingTaxRates(rates) }
                done += items.count
                progress?(SyncProgress(store: ep.link, phase: .pulling(.order), done: done,
                                       total: WooCommercePage.totalItems(from: response.headers)))
                guard let next = WooCommercePage.nextPage(after: page, headers: response.headers, itemCount: items.count,
                                                          perPage: WooCommerceAPI.maxPageSize) else { return }
                page = next
            }
        }
    }

    func wooTaxRates(_ ep: StoreEndpoint, counts: inout SyncPassSummary.StoreCounts) async throws -> [TaxRateRecord] {
        var out: [TaxRateRecord] = []
        var page = 1
        var trail = pageTrail(ep, "tax rates")
        while true {
            let response = try await send(ep, ep.wooCommerce.taxes(page: page))
            counts.requests += 1
            try trail.read(response, now: clock.nowMilliseconds())
            let rates = try WooCommerceAPI.taxRates(from: response.body)
            out += rates
            guard let next = WooCommercePage.nextPage(after: page, headers: response.headers, itemCount: rates.count,
                                                      perPage: WooCommerceAPI.maxPageSize) else { return out }
            page = next
        }
    }

    func applyOrders(_ items: [JSONValue], ep: StoreEndpoint, host: any OordenSalesHost, counts: inout SyncPassSummary.StoreCounts,
                     parse: (JSONValue) throws -> OrderRecord) throws {
        var incoming: [IncomingRecord<OrderRecord>] = []
        for item in items {
            do {
                incoming.append(IncomingRecord(try parse(item), json: item))
            } catch {
                try holdMalformed(item, kind: .order, ep: ep, error: error)
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
