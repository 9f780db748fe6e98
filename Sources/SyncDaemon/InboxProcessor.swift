import Connectors
import Foundation
import Logging
import SyncCore
import SyncDriver
import SyncEngine

/// Turns stored webhook deliveries into engine input, in arrival order.
///
/// By topic:
/// - customers (`customers/create|update|enable|disable`, `customer.created|updated|restored`): parsed
///   with the connector's `contact(json:)` and ingested; a body the connector cannot read is held in
///   the engine (`malformed_record`) and the delivery marked `failed` with the reason.
/// - customer deletes (`customers/delete`, `customer.deleted`): ``SyncEngine/ingestDeletion(link:kind:remoteID:at:)``.
/// - products (`products/create|update`, `product.created|updated|restored`): one record per sellable
///   SKU, ingested. A WooCommerce *variable* product's webhook carries no variations, so it is
///   `skipped` (the reconciliation scan reads the variations).
/// - product deletes: `skipped` — the body names only the product, while the engine links SKUs; the
///   next complete reconciliation scan archives what is gone.
/// - orders (Shopify `orders/create|updated|paid|cancelled|fulfilled|partially_fulfilled`, WooCommerce
///   `order.created|updated|restored`): the body is the whole order, applied with
///   ``SyncEngine/applyOrders(_:from:host:finalizeOn:unknownSKU:)`` — each Oorden document once, whatever
///   the order of arrival (see `InboxProcessor+Orders.swift`). Order deletes are `skipped`: Oorden's
///   documents are accounting facts and stay.
/// - Shopify `inventory_levels/update`: the primary location's level, observed as the store's stock of
///   the record tracking that inventory item (see `InboxProcessor+Inventory.swift`).
/// - every other topic: `skipped` with the reason; kept in the inbox, never dropped.
///
/// Processing is idempotent: ingesting the same record twice reports `unchanged`, so a crash between
/// ingesting and marking a delivery only repeats harmless work.
public struct InboxProcessor: Sendable {
    /// What one batch did.
    public struct BatchResult: Sendable, Hashable {
        public var processed = 0
        public var skipped = 0
        public var failed = 0
        /// Deliveries whose ingest changed the engine (something to project and push).
        public var changed = 0
        public init() {}
        public var total: Int { processed + skipped + failed }
    }

    public let engine: SyncEngine
    public let inbox: WebhookInbox
    /// Where order deliveries become documents; nil when the host keeps no sales documents (order
    /// deliveries are then `skipped`).
    let salesHost: (any OordenSalesHost)?
    /// The stores' endpoints by link name (their finalize rule), and their platforms through the
    /// driver (for the reads a delivery needs: tax rates, stock levels, the primary location).
    let endpoints: [String: StoreEndpoint]
    let platforms: [String: any StorePlatform]
    /// Reads a store's clock before its first delivery is applied (nil: the processor has no driver).
    let driver: SyncDriver?
    let taxRates = WooTaxRateCache()
    let locations = ShopLocationCache()
    let clock: any WallClock
    let metrics: DaemonMetrics
    let logger: Logger

    /// A processor for contacts and products only: order deliveries are `skipped`.
    public init(engine: SyncEngine, inbox: WebhookInbox, clock: any WallClock, metrics: DaemonMetrics, logger: Logger) {
        self.engine = engine
        self.inbox = inbox
        self.salesHost = nil
        self.endpoints = [:]
        self.platforms = [:]
        self.driver = nil
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// A processor over a driver's engine, Oorden host and store endpoints: order deliveries are applied
    /// to the host (when it keeps sales documents, ``OordenHost/sales``) with each store's finalize rule.
    public init(driver: SyncDriver, inbox: WebhookInbox, clock: any WallClock, metrics: DaemonMetrics, logger: Logger) {
        self.engine = driver.engine
        self.inbox = inbox
        self.salesHost = driver.host.sales
        self.endpoints = Dictionary(driver.endpoints.map { ($0.link, $0) }, uniquingKeysWith: { first, _ in first })
        self.platforms = driver.platforms
        self.driver = driver
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// Processes up to `limit` pending deliveries. Throws only when the inbox or the engine's database
    /// cannot be used; the unprocessed deliveries stay pending for the next call.
    public func processBatch(limit: Int = 200) async throws -> BatchResult {
        var result = BatchResult()
        var clocksChecked: Set<String> = []
        // Customer and product deliveries are prepared one by one (parsed; re-read from the store when
        // their version is ambiguous) and then ingested together in one engine transaction, their
        // inbox rows marked in one inbox transaction. Anything else — orders, deletes — first applies
        // what is waiting, so the engine still sees every delivery in arrival order.
        var group = IngestGroup()
        for delivery in try inbox.pending(limit: limit) {
            // Webhook record times are the store's clock: before the first delivery of a store whose
            // clock was never read (the daemon received webhooks before any pass), read it, or a
            // store running minutes behind would have its edits lose to older ones.
            if let driver, clocksChecked.insert(delivery.store).inserted {
                await driver.ensureClockEstimate(store: delivery.store)
            }
            if delivery.status == .failed {
                group.decided.append((delivery, .failed(delivery.reason ?? "the stored body cannot be read")))
                continue
            }
            var prepared = try await prepareCatching(delivery)
            if let key = Self.recordKey(delivery, prepared), group.keys.contains(key) {
                // A second version of a record already waiting in the group: apply the first, then
                // prepare this one again against it (a same-second version must be compared with it).
                try apply(&group, into: &result)
                prepared = try await prepareCatching(delivery)
            }
            switch prepared {
            case .contacts, .products:
                group.ingests.append((delivery, prepared))
                if let key = Self.recordKey(delivery, prepared) { group.keys.insert(key) }
            case .decided(let outcome):
                group.decided.append((delivery, outcome))
            case .inOrder:
                try apply(&group, into: &result)
                let outcome: Outcome
                do {
                    outcome = try await process(delivery)
                } catch let error as SyncEngineError {
                    outcome = .failed("the engine refused the delivery: \(error)")
                }
                try mark([(delivery, outcome)], into: &result)
            }
        }
        try apply(&group, into: &result)
        return result
    }

    func prepareCatching(_ delivery: InboxDelivery) async throws -> Prepared {
        do {
            return try await prepare(delivery)
        } catch let error as SyncEngineError {
            return .decided(.failed("the engine refused the delivery: \(error)"))
        }
    }

    /// The store record a prepared delivery carries (`store|contact|id`, `store|product|id`).
    static func recordKey(_ d: InboxDelivery, _ prepared: Prepared) -> String? {
        switch prepared {
        case .contacts(let records): records.first.map { "\(d.store)|contact|\($0.record.remoteID)" }
        case .products(let records): records.first.map { "\(d.store)|product|\($0.record.remoteProductID)" }
        case .decided, .inOrder: nil
        }
    }

    /// Deliveries prepared and not yet applied.
    struct IngestGroup {
        var ingests: [(InboxDelivery, Prepared)] = []
        /// Outcomes known without the engine (skips, unreadable bodies), marked with the group.
        var decided: [(InboxDelivery, Outcome)] = []
        var keys: Set<String> = []
    }

    /// What a delivery needs: records to ingest, an outcome already known, or processing in order.
    enum Prepared {
        case contacts([IncomingRecord<ContactRecord>])
        case products([IncomingRecord<ProductRecord>])
        case decided(Outcome)
        case inOrder
    }

    /// Ingests the group's records in one engine transaction (each delivery's ingest is a savepoint
    /// of it: a refused one is undone alone and marked failed), then marks every row at once.
    func apply(_ group: inout IngestGroup, into result: inout BatchResult) throws {
        guard !group.ingests.isEmpty || !group.decided.isEmpty else { return }
        var outcomes = group.decided
        if !group.ingests.isEmpty {
            let ingests = group.ingests
            outcomes += try engine.batch { engine in
                try ingests.map { (delivery, prepared) -> (InboxDelivery, Outcome) in
                    do {
                        switch prepared {
                        case .contacts(let records): return (delivery, Self.summarize(try engine.ingest(contacts: records, from: delivery.store)))
                        case .products(let records): return (delivery, Self.summarize(try engine.ingest(products: records, from: delivery.store)))
                        case .decided(let outcome): return (delivery, outcome)
                        case .inOrder: return (delivery, .failed("internal: a delivery to process in order was grouped"))
                        }
                    } catch let error as SyncEngineError {
                        return (delivery, .failed("the engine refused the delivery: \(error)"))
                    }
                }
            }
        }
        group = IngestGroup()
        try mark(outcomes.sorted { $0.0.sequence < $1.0.sequence }, into: &result)
    }

    func mark(_ outcomes: [(InboxDelivery, Outcome)], into result: inout BatchResult) throws {
        let now = clock.nowMilliseconds()
        var marks: [WebhookInbox.Mark] = []
        for (delivery, outcome) in outcomes {
            switch outcome {
            case .processed(let changed, let note):
                marks.append(WebhookInbox.Mark(sequence: delivery.sequence, status: .processed, reason: note))
                result.processed += 1
                if changed { result.changed += 1 }
                metrics.deliveryProcessed(delivery.store)
            case .skipped(let reason):
                marks.append(WebhookInbox.Mark(sequence: delivery.sequence, status: .skipped, reason: reason))
                result.skipped += 1
            case .failed(let reason):
                if delivery.status != .failed {
                    logger.warning("webhook delivery not processed", metadata: ["store": "\(delivery.store)", "topic": "\(delivery.topic)", "reason": "\(reason)"])
                }
                marks.append(WebhookInbox.Mark(sequence: delivery.sequence, status: .failed, reason: reason))
                result.failed += 1
            }
        }
        try inbox.mark(marks, at: now)
    }

    enum Outcome {
        case processed(changed: Bool, note: String?)
        case skipped(String)
        case failed(String)
    }

    /// Processes one delivery alone (orders, deletes; or any delivery, as ``processBatch(limit:)``
    /// would, without grouping).
    func process(_ d: InboxDelivery) async throws -> Outcome {
        switch d.kind.recordFormat.topic(d.topic) {
        case .order, .orderDeleted, .orderEvent: return try await processOrder(d)
        case .inventoryLevel: return try await processInventoryLevel(d)
        case .contactDeleted:
            guard let remoteID = try? JSONValue.parse(d.body).recordID else {
                return .failed("the delete names no id")
            }
            let entity = try engine.ingestDeletion(link: d.store, kind: .contact, remoteID: remoteID, at: d.triggeredAt)
            return .processed(changed: entity != nil, note: entity == nil ? "the customer was not linked" : nil)
        default:
            switch try await prepare(d) {
            case .contacts(let records): return Self.summarize(try engine.ingest(contacts: records, from: d.store))
            case .products(let records): return Self.summarize(try engine.ingest(products: records, from: d.store))
            case .decided(let outcome): return outcome
            case .inOrder: return .skipped("topic \(d.topic) is not processed")
            }
        }
    }

    /// Parses a delivery into the records to ingest (reading the store's current record when the
    /// delivery's version is ambiguous), or says it is decided already or must be processed in order.
    func prepare(_ d: InboxDelivery) async throws -> Prepared {
        let format = d.kind.recordFormat
        let topic = format.topic(d.topic)
        switch topic {
        case .order, .orderDeleted, .orderEvent, .contactDeleted, .inventoryLevel: return .inOrder
        case .unknown: return .decided(.skipped("topic \(d.topic) is not one OordenSync processes"))
        case .productDeleted:
            return .decided(.skipped("product deletions are applied by the next complete reconciliation scan (the webhook names the product, the engine links SKUs)"))
        case .contact, .product: break
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(d.body)
        } catch {
            return .decided(.failed("the body is not JSON: \(error)"))
        }
        let remoteID = json.recordID
        // `{"id": N}` alone is what WooCommerce sends when the resource is gone (trashed, deleted) by
        // the time the delivery is rendered: no record to ingest; the reconciliation scan applies it.
        if let object = json.object, !object.isEmpty, object.keys.allSatisfy({ $0 == "id" }) {
            return .decided(.skipped("the \(d.topic) body names only the id: the resource is gone; the next reconciliation scan applies that"))
        }
        if topic == .contact {
            let record: ContactRecord
            do {
                record = try format.contact(json: json)
            } catch {
                try holdMalformed(d, json: json, kind: .contact, remoteID: remoteID, error: error)
                return .decided(.failed("held as malformed_record: \(error)"))
            }
            guard try engine.needsFreshRead(contact: record, from: d.store) else {
                return .contacts([IncomingRecord(record, json: json)])
            }
            // Same second as what the engine last saw, other values: newer or older? Only the
            // store's current record says.
            guard let driver else { return .decided(.skipped(Self.ambiguous)) }
            do {
                guard let current = try await driver.currentContact(store: d.store, remoteID: record.remoteID) else {
                    return .decided(.skipped("the customer is gone from the store; the next reconciliation scan applies that"))
                }
                return .contacts([current])
            } catch {
                return .decided(.skipped(Self.ambiguous + " (reading it failed: \(error))"))
            }
        }
        if format.needsVariations(json) {
            return .decided(.skipped("a variable product's webhook carries no variations; the reconciliation scan reads them"))
        }
        let records: [ProductRecord]
        do {
            records = try format.productRecords(json: json)
        } catch {
            try holdMalformed(d, json: json, kind: .product, remoteID: remoteID, error: error)
            return .decided(.failed("held as malformed_record: \(error)"))
        }
        guard try records.contains(where: { try engine.needsFreshRead(product: $0, from: d.store) }) else {
            return .products(records.map { IncomingRecord($0, json: json) })
        }
        guard let driver, let productID = records.first?.remoteProductID, !productID.isEmpty else { return .decided(.skipped(Self.ambiguous)) }
        do {
            guard let current = try await driver.currentProduct(store: d.store, productID: productID) else {
                return .decided(.skipped("the product is gone from the store; the next reconciliation scan applies that"))
            }
            return .products(current)
        } catch {
            return .decided(.skipped(Self.ambiguous + " (reading it failed: \(error))"))
        }
    }

    static let ambiguous = "the record's time is the same second as the version last seen but its values differ, and the store's current record could not be read; the next reconciliation pass reads it"

    static func summarize(_ outcomes: [IngestOutcome]) -> Outcome {
        var changed = false
        var held: [String] = []
        for o in outcomes {
            switch o.status {
            case .created, .linked, .updated: changed = true
            case .held(let reason): held.append(reason.code.rawValue)
            case .unchanged, .stale: break
            }
        }
        return .processed(changed: changed, note: held.isEmpty ? nil : "held: " + held.joined(separator: ", "))
    }

    func holdMalformed(_ d: InboxDelivery, json: JSONValue, kind: EntityKind, remoteID: String?, error: any Error) throws {
        try engine.hold(link: d.store, kind: kind, remoteID: remoteID ?? "unknown",
                        reason: HoldReason(code: .malformedRecord, message: "Store \(d.store) sent a \(kind.rawValue) webhook OordenSync cannot read: \(error)"),
                        payload: json.jsonText)
    }
}
