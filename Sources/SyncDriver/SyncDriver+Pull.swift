import Connectors
import Foundation
import SyncCore
import SyncEngine

extension SyncDriver {
    /// Pulls a store's customers, page by page, into the engine: every customer on a complete scan,
    /// those updated since the cursor minus the overlap window otherwise (see ``PollingPolicy``).
    ///
    /// Shopify pages follow the `Link` header; WooCommerce pages follow `X-WP-TotalPages` (its
    /// customers have no `modified_after`, so they are read only by complete scans, diffed against
    /// shadows). A customer the connector cannot read is held with the decoding error, not dropped.
    func pullContacts(_ ep: StoreEndpoint, into counts: inout SyncPassSummary.StoreCounts, polling: PollingPolicy = .complete,
                      progress: SyncProgressHandler?) async throws {
        let started = clock.nowMilliseconds()
        let plan = try pullPlan(ep, kind: .contact, polling: polling, now: started)
        if plan == .skip { return }
        var seen: Set<String> = []
        var newest: Int64?
        try await scanContacts(ep, since: plan.since, into: &counts, seen: &seen, newest: &newest, progress: progress)
        if plan == .complete {
            // The scan was complete: a linked customer it did not see was deleted in the store.
            counts.deleted += try engine.reconcileScan(link: ep.link, kind: .contact, seen: seen).count
        }
        try engine.finishPull(link: ep.link, kind: .contact, newestUpdatedAt: newest, completeScanAt: plan == .complete ? started : nil)
        try retryDuplicateHolds(ep, kind: .contact, counts: &counts)
    }

    /// The pull plan of a store and kind under `polling`, from the engine's cursor.
    func pullPlan(_ ep: StoreEndpoint, kind: EntityKind, polling: PollingPolicy, now: Int64) throws -> PollingPolicy.Plan {
        if polling.forceComplete { return .complete }
        let offset = try engine.link(named: ep.link)?.clockOffsetMilliseconds ?? 0
        let plan = polling.plan(try engine.pollCursor(link: ep.link, kind: kind), storeKind: ep.kind, clockOffsetMilliseconds: offset, now: now)
        logger.debug("pull plan", metadata: ["store": "\(ep.link)", "kind": "\(kind.rawValue)", "plan": "\(plan)"])
        return plan
    }

    /// Reads customers (all of them, or those updated since `since`, store time) and ingests them;
    /// `newest` becomes the newest `updated_at` read.
    func scanContacts(_ ep: StoreEndpoint, since: Int64? = nil, into counts: inout SyncPassSummary.StoreCounts, seen: inout Set<String>,
                      newest: inout Int64?, progress: SyncProgressHandler?) async throws {
        switch ep.kind {
        case .shopify:
            let total = progress == nil ? nil : try? ShopifyAPI.count(from: try await send(ep, ep.shopify.customersCount(updatedAtMin: since)).body)
            var request = ep.shopify.customers(updatedAtMin: since)
            var trail = pageTrail(ep, "customers")
            while true {
                let response = try await send(ep, request)
                counts.requests += 1
                try trail.read(response, now: clock.nowMilliseconds())
                let items = try Self.items(response.body, key: "customers", store: ep.link)
                try ingestContacts(items, ep: ep, counts: &counts, seen: &seen, newest: &newest) { try ShopifyAPI.contact(json: $0) }
                progress?(SyncProgress(store: ep.link, phase: .pulling(.contact), done: counts.contactsPulled, total: total))
                guard let next = ShopifyPage.nextPageInfo(from: response.headers) else { return }
                request = ep.shopify.customersPage(pageInfo: next)
            }
        case .woocommerce:
            var page = 1
            var trail = pageTrail(ep, "customers")
            while true {
                let response = try await send(ep, ep.wooCommerce.customers(page: page))
                counts.requests += 1
                try trail.read(response, now: clock.nowMilliseconds())
                let items = try Self.items(response.body, key: nil, store: ep.link)
                try ingestContacts(items, ep: ep, counts: &counts, seen: &seen, newest: &newest) { try WooCommerceAPI.contact(json: $0) }
                progress?(SyncProgress(store: ep.link, phase: .pulling(.contact), done: counts.contactsPulled,
                                       total: WooCommercePage.totalItems(from: response.headers)))
                guard let next = WooCommercePage.nextPage(after: page, headers: response.headers, itemCount: items.count,
                                                          perPage: WooCommerceAPI.maxPageSize) else { return }
                page = next
            }
        }
    }

    func ingestContacts(_ items: [JSONValue], ep: StoreEndpoint, counts: inout SyncPassSummary.StoreCounts, seen: inout Set<String>,
                        newest: inout Int64?, parse: (JSONValue) throws -> ContactRecord) throws {
        var incoming: [IncomingRecord<ContactRecord>] = []
        for item in items {
            do {
                let record = try parse(item)
                if let t = record.updatedAt { newest = max(newest ?? t, t) }
                incoming.append(IncomingRecord(record, json: item))
            } catch {
                seen.insert(try holdMalformed(item, kind: .contact, ep: ep, error: error))
                counts.held += 1
            }
        }
        counts.contactsPulled += items.count
        let outcomes = try engine.ingest(contacts: incoming, from: ep.link)
        counts.count(outcomes)
        for o in outcomes { seen.insert(o.remoteID) }
    }

    /// Pulls a store's products (one record per sellable SKU) into the engine: all of them on a
    /// complete scan, those updated since the cursor minus the overlap window otherwise.
    func pullProducts(_ ep: StoreEndpoint, into counts: inout SyncPassSummary.StoreCounts, polling: PollingPolicy = .complete,
                      progress: SyncProgressHandler?) async throws {
        let started = clock.nowMilliseconds()
        let plan = try pullPlan(ep, kind: .product, polling: polling, now: started)
        if plan == .skip { return }
        var seen: Set<String> = []
        var newest: Int64?
        try await scanProducts(ep, since: plan.since, into: &counts, seen: &seen, newest: &newest, progress: progress)
        if plan == .complete {
            counts.deleted += try engine.reconcileScan(link: ep.link, kind: .product, seen: seen).count
        }
        try engine.finishPull(link: ep.link, kind: .product, newestUpdatedAt: newest, completeScanAt: plan == .complete ? started : nil)
        try retryDuplicateHolds(ep, kind: .product, counts: &counts)
    }

    /// A record held because another record of the store had its e-mail or SKU may be free to link now
    /// that the scan's deletions are known (a record deleted and recreated with the same key).
    func retryDuplicateHolds(_ ep: StoreEndpoint, kind: EntityKind, counts: inout SyncPassSummary.StoreCounts) throws {
        let held = try engine.heldRecords().filter { $0.link == ep.link && $0.kind == kind && $0.reason.code == .duplicateNaturalKey }
        for h in held {
            guard let json = try? JSONValue.parse(h.payload) else { continue }
            switch kind {
            case .contact:
                guard let record = try? (ep.kind == .shopify ? ShopifyAPI.contact(json: json) : WooCommerceAPI.contact(json: json)) else { continue }
                counts.count(try engine.ingest(contacts: [IncomingRecord(record, payload: h.payload)], from: ep.link))
            case .product:
                let records = (try? (ep.kind == .shopify ? ShopifyAPI.productRecords(product: json) : WooCommerceAPI.productRecords(product: json))) ?? []
                let matching = records.filter { SyncEngine.remoteID(of: $0) == h.remoteID }
                counts.count(try engine.ingest(products: matching.map { IncomingRecord($0, payload: h.payload) }, from: ep.link))
            case .order:
                continue
            }
        }
    }

    /// Reads products (all of them, or those updated since `since`, store time) and ingests them;
    /// `newest` becomes the newest `updated_at` read.
    func scanProducts(_ ep: StoreEndpoint, since: Int64? = nil, into counts: inout SyncPassSummary.StoreCounts, seen: inout Set<String>,
                      newest: inout Int64?, progress: SyncProgressHandler?) async throws {
        var productsDone = 0
        switch ep.kind {
        case .shopify:
            let total = progress == nil ? nil : try? ShopifyAPI.count(from: try await send(ep, ep.shopify.productsCount(updatedAtMin: since)).body)
            var request = ep.shopify.products(updatedAtMin: since)
            var trail = pageTrail(ep, "products")
            while true {
                let response = try await send(ep, request)
                counts.requests += 1
                try trail.read(response, now: clock.nowMilliseconds())
                for product in try Self.items(response.body, key: "products", store: ep.link) {
                    try ingestProducts(product, ep: ep, counts: &counts, seen: &seen, newest: &newest) { try ShopifyAPI.productRecords(product: product) }
                    productsDone += 1
                }
                progress?(SyncProgress(store: ep.link, phase: .pulling(.product), done: productsDone, total: total))
                guard let next = ShopifyPage.nextPageInfo(from: response.headers) else { return }
                request = ep.shopify.productsPage(pageInfo: next)
            }
        case .woocommerce:
            var page = 1
            var trail = pageTrail(ep, "products")
            while true {
                let response = try await send(ep, ep.wooCommerce.products(page: page, modifiedAfter: since))
                counts.requests += 1
                try trail.read(response, now: clock.nowMilliseconds())
                let products = try Self.items(response.body, key: nil, store: ep.link)
                for product in products {
                    var variations: [JSONValue] = []
                    if WooCommerceAPI.isVariable(product), let id = product["id"]?.int {
                        variations = try await wooVariations(ep, productID: String(id), counts: &counts)
                    }
                    try ingestProducts(product, ep: ep, counts: &counts, seen: &seen, newest: &newest) {
                        if WooCommerceAPI.isVariable(product), variations.isEmpty {
                            // Held with the reason rather than skipped without a word.
                            throw RecordDecodingError(code: .missingField, message: """
                                product \(product["id"]?.int.map(String.init) ?? "?"): a variable product without variations has no SKU, \
                                price or stock to sync; add a variation in WooCommerce and it syncs at the next complete scan
                                """)
                        }
                        return try WooCommerceAPI.productRecords(product: product, variations: variations)
                    }
                    productsDone += 1
                }
                progress?(SyncProgress(store: ep.link, phase: .pulling(.product), done: productsDone,
                                       total: WooCommercePage.totalItems(from: response.headers)))
                guard let next = WooCommercePage.nextPage(after: page, headers: response.headers, itemCount: products.count,
                                                          perPage: WooCommerceAPI.maxPageSize) else { return }
                page = next
            }
        }
    }

    func wooVariations(_ ep: StoreEndpoint, productID: String, counts: inout SyncPassSummary.StoreCounts) async throws -> [JSONValue] {
        var out: [JSONValue] = []
        var page = 1
        var trail = pageTrail(ep, "variations of product \(productID)")
        while true {
            let response = try await send(ep, ep.wooCommerce.variations(productID: productID, page: page))
            counts.requests += 1
            try trail.read(response, now: clock.nowMilliseconds())
            let items = try Self.items(response.body, key: nil, store: ep.link)
            out += items
            guard let next = WooCommercePage.nextPage(after: page, headers: response.headers, itemCount: items.count,
                                                      perPage: WooCommerceAPI.maxPageSize) else { return out }
            page = next
        }
    }

    func ingestProducts(_ product: JSONValue, ep: StoreEndpoint, counts: inout SyncPassSummary.StoreCounts, seen: inout Set<String>,
                        newest: inout Int64?, parse: () throws -> [ProductRecord]) throws {
        let records: [ProductRecord]
        do {
            records = try parse()
        } catch {
            seen.insert(try holdMalformed(product, kind: .product, ep: ep, error: error))
            counts.held += 1
            return
        }
        counts.productsPulled += records.count
        for t in records.compactMap(\.updatedAt) { newest = max(newest ?? t, t) }
        let outcomes = try engine.ingest(products: records.map { IncomingRecord($0, json: product) }, from: ep.link)
        counts.count(outcomes)
        for o in outcomes { seen.insert(o.remoteID) }
    }

    /// Holds a store record the connector cannot read; returns the remote id it is held under.
    @discardableResult
    func holdMalformed(_ item: JSONValue, kind: EntityKind, ep: StoreEndpoint, error: any Error) throws -> String {
        let id = item["id"].map { $0.int.map(String.init) ?? $0.string ?? $0.jsonText } ?? "unknown"
        logger.warning("holding unreadable store record", metadata: ["store": "\(ep.link)", "kind": "\(kind.rawValue)", "id": "\(id)"])
        try engine.hold(link: ep.link, kind: kind, remoteID: id,
                        reason: HoldReason(code: .malformedRecord, message: "Store \(ep.link) sent a \(kind.rawValue) OordenSync cannot read: \(error)"),
                        payload: item.jsonText)
        return id
    }

    /// The records of a list response: `{"customers": [...]}` (Shopify) or a bare array (WooCommerce).
    static func items(_ body: Data, key: String?, store: String) throws -> [JSONValue] {
        let doc: JSONValue
        do {
            doc = try JSONValue.parse(body)
        } catch {
            throw SyncDriverError(code: .malformedPage, message: "store \(store) sent a page that is not JSON (\(error)); check the store's URL")
        }
        let list = key.map { doc[$0] } ?? doc
        guard let items = list?.array else {
            throw SyncDriverError(code: .malformedPage,
                                  message: "store \(store) sent a page without \(key.map { "a \"\($0)\" list" } ?? "a JSON list"); check the API version and URL")
        }
        return items
    }
}
