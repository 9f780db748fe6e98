import Connectors
import Foundation
import SyncCore
import SyncEngine

extension SyncDriver {
    /// Pulls a store's customers, page by page, into the engine: every customer on a complete scan,
    /// those updated since the cursor minus the overlap window otherwise (see ``PollingPolicy``).
    ///
    /// The platform pages the read (``StorePlatform/readContacts(since:countTotal:_:)``); a store that
    /// cannot read customers incrementally (WooCommerce) reads them only by complete scans, diffed
    /// against shadows. A customer the connector cannot read is held with the decoding error, not dropped.
    func pullContacts(_ ep: StoreEndpoint, into counts: inout SyncPassSummary.StoreCounts, polling: PollingPolicy = .complete,
                      progress: SyncProgressHandler?) async throws {
        let started = clock.nowMilliseconds()
        let plan = try pullPlan(ep, kind: .contact, polling: polling, now: started)
        if plan == .skip { return }
        var seen: Set<String> = []
        var newest: Int64?
        var snapshotAt: Int64?
        try await scanContacts(ep, since: plan.since, into: &counts, seen: &seen, newest: &newest, snapshotAt: &snapshotAt, progress: progress)
        if plan == .complete {
            // The scan was complete: a linked customer it did not see was deleted in the store (or,
            // after a bulk export, created or changed after the export began: not a deletion).
            counts.deleted += try engine.reconcileScan(link: ep.link, kind: .contact, seen: seen, snapshotAt: snapshotAt).count
        }
        try engine.finishPull(link: ep.link, kind: .contact, newestUpdatedAt: newest, completeScanAt: plan == .complete ? started : nil)
        try retryDuplicateHolds(ep, kind: .contact, counts: &counts)
    }

    /// The pull plan of a store and kind under `polling`, from the engine's cursor.
    func pullPlan(_ ep: StoreEndpoint, kind: EntityKind, polling: PollingPolicy, now: Int64) throws -> PollingPolicy.Plan {
        if polling.forceComplete { return .complete }
        let offset = try engine.link(named: ep.link)?.clockOffsetMilliseconds ?? 0
        let plan = polling.plan(try engine.pollCursor(link: ep.link, kind: kind), readsIncrementally: platform(ep).readsIncrementally(kind),
                               clockOffsetMilliseconds: offset, now: now)
        logger.debug("pull plan", metadata: ["store": "\(ep.link)", "kind": "\(kind.rawValue)", "plan": "\(plan)"])
        return plan
    }

    /// Reads customers (all of them, or those updated since `since`, store time) and ingests them;
    /// `newest` becomes the newest `updated_at` read, `snapshotAt` the earliest moment a page shows
    /// the store as it was (a bulk export), if any.
    func scanContacts(_ ep: StoreEndpoint, since: Int64? = nil, into counts: inout SyncPassSummary.StoreCounts, seen: inout Set<String>,
                      newest: inout Int64?, snapshotAt: inout Int64?, progress: SyncProgressHandler?) async throws {
        try await platform(ep).readContacts(since: since, countTotal: progress != nil) { page in
            if let at = page.snapshotAt { snapshotAt = min(snapshotAt ?? at, at) }
            try ingestContacts(page.items, ep: ep, counts: &counts, seen: &seen, newest: &newest)
            progress?(SyncProgress(store: ep.link, phase: .pulling(.contact), done: counts.contactsPulled, total: page.total))
        }
    }

    func ingestContacts(_ items: [StoreItem<ContactRecord>], ep: StoreEndpoint, counts: inout SyncPassSummary.StoreCounts, seen: inout Set<String>,
                        newest: inout Int64?) throws {
        var incoming: [IncomingRecord<ContactRecord>] = []
        for item in items {
            switch item.record {
            case .success(let record):
                if let t = record.updatedAt { newest = max(newest ?? t, t) }
                incoming.append(IncomingRecord(record, json: item.json))
            case .failure(let error):
                seen.insert(try holdMalformed(item.json, kind: .contact, ep: ep, error: error))
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
        var snapshotAt: Int64?
        try await scanProducts(ep, since: plan.since, into: &counts, seen: &seen, newest: &newest, snapshotAt: &snapshotAt, progress: progress)
        if plan == .complete {
            counts.deleted += try engine.reconcileScan(link: ep.link, kind: .product, seen: seen, snapshotAt: snapshotAt).count
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
            let format = platform(ep).format
            switch kind {
            case .contact:
                guard let record = try? format.contact(json: json) else { continue }
                counts.count(try engine.ingest(contacts: [IncomingRecord(record, payload: h.payload)], from: ep.link))
            case .product:
                let records = (try? format.productRecords(json: json)) ?? []
                let matching = records.filter { SyncEngine.remoteID(of: $0) == h.remoteID }
                counts.count(try engine.ingest(products: matching.map { IncomingRecord($0, payload: h.payload) }, from: ep.link))
            case .order:
                continue
            }
        }
    }

    /// Reads products (all of them, or those updated since `since`, store time) and ingests them;
    /// `newest` and `snapshotAt` as ``scanContacts(_:since:into:seen:newest:snapshotAt:progress:)``'s.
    func scanProducts(_ ep: StoreEndpoint, since: Int64? = nil, into counts: inout SyncPassSummary.StoreCounts, seen: inout Set<String>,
                      newest: inout Int64?, snapshotAt: inout Int64?, progress: SyncProgressHandler?) async throws {
        var productsDone = 0
        try await platform(ep).readProducts(since: since, countTotal: progress != nil) { page in
            if let at = page.snapshotAt { snapshotAt = min(snapshotAt ?? at, at) }
            for item in page.items {
                try ingestProducts(item, ep: ep, counts: &counts, seen: &seen, newest: &newest)
                productsDone += 1
            }
            progress?(SyncProgress(store: ep.link, phase: .pulling(.product), done: productsDone, total: page.total))
        }
    }

    func ingestProducts(_ item: StoreItem<[ProductRecord]>, ep: StoreEndpoint, counts: inout SyncPassSummary.StoreCounts, seen: inout Set<String>,
                        newest: inout Int64?) throws {
        let product = item.json
        let records: [ProductRecord]
        switch item.record {
        case .success(let read): records = read
        case .failure(let error):
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
        let id = item.recordID ?? "unknown"
        logger.warning("holding unreadable store record", metadata: ["store": "\(ep.link)", "kind": "\(kind.rawValue)", "id": "\(id)"])
        try engine.hold(link: ep.link, kind: kind, remoteID: id,
                        reason: HoldReason(code: .malformedRecord, message: "Store \(ep.link) sent a \(kind.rawValue) OordenSync cannot read: \(error)"),
                        payload: item.jsonText)
        return id
    }
}
