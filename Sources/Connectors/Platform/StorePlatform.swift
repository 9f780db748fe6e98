import Foundation
import SyncCore

/// Everything OordenSync does with one store, in the store's own API: one conformance per store API
/// (``ShopifyRESTPlatform``, ``WooCommercePlatform``), so the driver, the daemon and `doctor` never ask
/// which store they talk to.
///
/// A platform sends its requests through the ``StoreTransport`` it was made with — the driver gives it
/// one that times every answer for the store's clock estimate and counts the requests — and answers
/// in canonical records. Errors are the transport's ``StoreAPIError`` (a refused or failed request),
/// ``RecordDecodingError`` (an answer that cannot be read) and ``StorePageError`` (paging that does not
/// end); a record missing from the store is ``StoreAPIError/Code/notFound``.
///
/// What a platform does *not* decide: merging, linking, holding, retrying a write — those are the
/// driver's and the engine's, the same for every store.
///
/// ```swift
/// let platform = endpoint.platform(over: transport, clock: clock)
/// try await platform.readContacts(since: nil, countTotal: false) { page in
///     for item in page.items { … }
/// }
/// ```
package protocol StorePlatform: Sendable {
    /// Which store this is (recorded with links and deliveries).
    var kind: StoreKind { get }
    /// The store's name in the configuration (the engine's link name), for messages.
    var store: String { get }
    /// How this store's JSON reads as records (webhook bodies, held payloads): no request needed.
    var format: any StoreRecordFormat { get }
    /// Whether the store can list records of `kind` changed since a time. WooCommerce customers have
    /// no `modified_after`: they are only read by complete scans.
    func readsIncrementally(_ kind: EntityKind) -> Bool
    /// Whether a product can be looked up by SKU at any time. Shopify REST cannot: a pass that has
    /// not just read the changed products cannot know a merchant did not create the SKU a moment ago,
    /// so product creates wait for one that has.
    var searchesProductsBySKU: Bool { get }

    // MARK: Shop

    /// The currency the store sells in (ISO 4217).
    func currency() async throws -> String
    /// The shop's primary location, where stock is counted and fulfilled from; nil for a store
    /// without locations (WooCommerce).
    func primaryLocationID() async throws -> String?
    /// Every tax rate the store defines; empty for a store whose API lists none (Shopify REST: each
    /// tax line carries its rate).
    func taxRates() async throws -> [TaxRateRecord]

    // MARK: Paged reads

    /// Reads customers page by page — all of them, or those updated since `since` (store time) — and
    /// hands each page to `body`. `countTotal` asks for the total too (a request more on some stores).
    func readContacts(since: Int64?, countTotal: Bool, _ body: (StorePage<ContactRecord>) async throws -> Void) async throws
    /// Reads products page by page, each item one store product with its sellable records.
    func readProducts(since: Int64?, countTotal: Bool, _ body: (StorePage<[ProductRecord]>) async throws -> Void) async throws
    /// Reads every order, any status, page by page, with tax rates resolved to percentages.
    func readOrders(_ body: (StorePage<OrderRecord>) async throws -> Void) async throws

    // MARK: Customers

    /// The customer with this id, with its JSON as the store sent it.
    func contact(id: String) async throws -> StoreRead<ContactRecord>
    /// The customer whose normalized e-mail is `email`, or nil.
    func findContact(email: String) async throws -> ContactRecord?
    /// Creates a customer carrying our marker; returns it as the store answered.
    func createContact(_ record: ContactRecord, marker: EntityID) async throws -> ContactRecord
    /// Writes `fields` of a customer; returns it as the store answered.
    func updateContact(_ record: ContactRecord, fields: Set<FieldKey>) async throws -> ContactRecord

    // MARK: Products

    /// Every sellable record of one store product, its JSON, and whether it is in the trash.
    func product(id: String) async throws -> StoreProductRead
    /// The sellable record with this SKU, or nil. A store that cannot search by SKU (Shopify REST)
    /// looks among the products changed since `changedSince` (store time) and, without it, finds nothing.
    func findProduct(sku: String, changedSince: Int64?) async throws -> ProductRecord?
    /// The stock level a create of `record` leaves in the store (Shopify's create sets none).
    func stockLevelAfterCreate(_ record: ProductRecord) -> Int64
    /// Creates a product carrying our marker; returns its sellable record as the store answered.
    func createProduct(_ record: ProductRecord, marker: EntityID) async throws -> ProductRecord
    /// Writes `fields` of a sellable record (one or more requests).
    func updateProduct(_ record: ProductRecord, fields: Set<FieldKey>) async throws

    // MARK: Stock

    /// Moves the stock of `record` (as just read) by `delta`: relatively where the store can
    /// (Shopify), else by writing the level read plus `delta` (WooCommerce). A relative adjustment
    /// that got no definite answer throws the transport's in-doubt error (``StoreClient/isInDoubt(_:_:)``).
    ///
    /// `idempotencyKey` is the same for every attempt of one adjustment and differs between
    /// adjustments. A store that takes one (Shopify GraphQL's `@idempotent`) applies the adjustment
    /// once however often it is sent, and the platform resends an in-doubt one itself until the
    /// answer is definite; the others (REST, WooCommerce) ignore it.
    func adjustStock(_ record: ProductRecord, by delta: Int64, idempotencyKey: String) async throws
    /// The level of an inventory item at a location, or nil when the store has none (or no locations).
    func stockLevel(inventoryItemID: String, locationID: String) async throws -> InventoryLevelRecord?

    // MARK: Orders

    /// Writes an Oorden user's edit of an imported order; a cancel or fulfil the order already shows
    /// is not sent again (neither is repeatable).
    func editOrder(id: String, _ edit: OrderEdit) async throws

    // MARK: Webhooks

    /// The store's webhook subscriptions.
    func webhookSubscriptions() async throws -> [WebhookSubscription]
    /// Subscribes `address` to `topic`; `secret` is what the store signs deliveries with where the
    /// store takes one (WooCommerce; Shopify signs with the app's secret).
    func subscribe(topic: String, address: String, secret: String) async throws
    /// Re-activates a subscription the store disabled after failed deliveries.
    func reactivate(_ subscription: WebhookSubscription) async throws

    // MARK: Diagnostics

    /// Whether the credentials may read each resource a pass reads (`doctor`): REST and WooCommerce
    /// try one cheap read of each (``PermissionProbe/check(_:over:)``); Shopify GraphQL compares the
    /// app's granted access scopes with the ones a pass needs.
    func readPermissions() async throws -> ReadPermissions
    /// The tax rates the store charges, and where they were read from (`doctor`).
    func taxRatesInUse() async throws -> (rates: [(percent: ExactDecimal, name: String)], source: String)
}

/// One page of a paged read: its items, in the store's order, and the total when asked for.
package struct StorePage<Record> {
    package var items: [StoreItem<Record>]
    /// All items of the read, when the store says and the read asked (progress).
    package var total: Int?
    /// Set when the read is a snapshot of the store at this moment (store time) — a Shopify bulk
    /// export — rather than pages read as the store is now: records changed since are not in it,
    /// which the deletion check after a complete scan must allow for.
    package var snapshotAt: Int64?

    package init(items: [StoreItem<Record>], total: Int?, snapshotAt: Int64? = nil) {
        self.items = items
        self.total = total
        self.snapshotAt = snapshotAt
    }
}

/// One record of a page as the store sent it: its JSON, and the record read from it or why it
/// cannot be read (the caller holds it with that reason instead of dropping it).
package struct StoreItem<Record> {
    package var json: JSONValue
    package var record: Result<Record, any Error>

    package init(json: JSONValue, record: Result<Record, any Error>) {
        self.json = json
        self.record = record
    }
}

extension JSONValue {
    /// A store record's `id` as text (a number or a string), or nil when it has none.
    package var recordID: String? {
        self["id"].map { $0.int.map(String.init) ?? $0.string ?? $0.jsonText }
    }
}

/// A record read by id, with the JSON the store sent.
package struct StoreRead<Record: Sendable>: Sendable {
    package var record: Record
    package var payload: String

    package init(record: Record, payload: String) {
        self.record = record
        self.payload = payload
    }
}

/// One store product read by id: its sellable records, its JSON, and whether it is in the trash
/// (WooCommerce; a complete scan does not list trashed products).
package struct StoreProductRead: Sendable {
    package var records: [ProductRecord]
    package var payload: String
    package var trashed: Bool

    package init(records: [ProductRecord], payload: String, trashed: Bool) {
        self.records = records
        self.payload = payload
        self.trashed = trashed
    }
}

/// An Oorden user's edit of an imported order, as a store write.
package struct OrderEdit: Sendable, Hashable {
    /// The new note (`.some(nil)`: cleared); nil: unchanged.
    package var note: String??
    package var shippingAddress: PostalAddress?
    package var cancel: Bool
    package var fulfil: Bool

    package init(note: String?? = nil, shippingAddress: PostalAddress? = nil, cancel: Bool = false, fulfil: Bool = false) {
        self.note = note
        self.shippingAddress = shippingAddress
        self.cancel = cancel
        self.fulfil = fulfil
    }
}

/// A read `doctor` makes to see whether the credentials may read a resource.
package struct PermissionProbe: Sendable {
    /// The resource in words (`customers`, `taxes`).
    package var what: String
    package var request: StoreRequest

    package init(what: String, request: StoreRequest) {
        self.what = what
        self.request = request
    }

    /// Sends each probe: a 401 or 403 marks its resource denied; any other failure throws
    /// ``PermissionProbeError`` naming the resource.
    package static func check(_ probes: [PermissionProbe], over transport: any StoreTransport) async throws -> ReadPermissions {
        var denied: [String] = []
        for probe in probes {
            do {
                _ = try await transport.send(probe.request)
            } catch let error as StoreAPIError where error.code == .forbidden || error.code == .unauthorized {
                denied.append(probe.what)
            } catch {
                throw PermissionProbeError(what: probe.what, underlying: error)
            }
        }
        return ReadPermissions(checked: probes.map(\.what), denied: denied)
    }
}

/// What `doctor` learned of the credentials' read access: the resources checked, and those denied.
package struct ReadPermissions: Sendable, Hashable {
    /// The resources in words (`customers`, `orders`), in the order checked.
    package var checked: [String]
    /// The ones the credentials may not read.
    package var denied: [String]
    /// The access scopes to grant, where the store names them (Shopify: `read_orders`); empty otherwise.
    package var missingScopes: [String]

    package init(checked: [String], denied: [String], missingScopes: [String] = []) {
        self.checked = checked
        self.denied = denied
        self.missingScopes = missingScopes
    }
}

/// A permission probe failed for another reason than a refusal (the store is down, the answer unreadable).
package struct PermissionProbeError: Error, Sendable, CustomStringConvertible {
    package var what: String
    package var underlying: any Error

    package var description: String { "reading \(what) failed: \(underlying)" }
}
