import Foundation
import Logging
import SyncCore

/// An in-process WooCommerce REST API v3 site: a pure `request → reply` handler with its own state.
///
/// Deterministic from its seed and its injected ``WallClock``: the same seed, clock readings and
/// requests produce the same bytes, credentials and webhook deliveries. The site clock is the wall
/// clock plus ``clockSkewMilliseconds``, truncated to whole seconds, as WordPress stores dates.
///
/// ```swift
/// let clock = ManualClock(milliseconds: 1_796_000_000_000)
/// let woo = WooCommerceEmulator(seed: 7, clock: clock, logger: logger)
/// try woo.seed(customers: 20, products: 12, orders: 30)
/// let reply = woo.handle(StoreRequest(method: .get, path: "/wp-json/wc/v3/customers",
///                                     query: [QueryItem("consumer_key", woo.credentials.consumerKey), …]))
/// ```
///
/// Merchant actions (``createCustomer(email:firstName:lastName:billing:shipping:)``, ``placeOrder(_:)``,
/// ``setOrderStatus(_:to:)``…) change the store the way wp-admin and the shop front do: they stamp
/// `date_modified` and queue webhooks, which ``takeDueWebhooks()`` hands out with payloads built at
/// that moment.
public final class WooCommerceEmulator: StoreEmulator, @unchecked Sendable {
    private let lock = NSLock()
    private var site: WooCommerceSite
    private let clock: any WallClock
    private let logger: Logger

    /// Creates a site with credentials derived from `seed`; it starts empty (see ``seed(customers:products:orders:)``).
    public init(configuration: WooCommerceEmulatorConfiguration = WooCommerceEmulatorConfiguration(), seed: UInt64, clock: any WallClock, logger: Logger) {
        site = WooCommerceSite(configuration: configuration, seed: seed)
        self.clock = clock
        self.logger = logger
    }

    func locked<T>(_ body: (inout WooCommerceSite) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        site.begin(wallMilliseconds: clock.nowMilliseconds())
        return try body(&site)
    }

    // MARK: StoreEmulator

    public func handle(_ request: StoreRequest) -> EmulatorReply {
        let reply: EmulatorReply = locked { site in
            site.requestCounts["total", default: 0] += 1
            if site.faults.timeoutNextRequests > 0 {
                site.faults.timeoutNextRequests -= 1
                return .timeout
            }
            if site.faults.failNextRequests > 0 {
                site.faults.failNextRequests -= 1
                return .response(Self.serverPage(site.faults.failStatus, "Service error", now: site.now, retryAfter: site.faults.failRetryAfterSeconds))
            }
            let response = site.respond(to: request)
            if let status = site.faults.takeApplyThenFail(request.method, response) {
                // Applied; the gateway in front answers as if it had not heard back.
                return .response(Self.serverPage(status, "Gateway Timeout", now: site.now, retryAfter: nil))
            }
            return .response(response)
        }
        logger.debug("woocommerce emulator request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.path)", "status": "\(reply.response.map { String($0.status) } ?? "timeout")",
        ])
        return reply
    }

    /// The HTML error page a web server or gateway in front of WordPress answers with.
    static func serverPage(_ status: Int, _ title: String, now: Int64, retryAfter: Int?) -> StoreResponse {
        var headers = HeaderFields()
        headers["Date"] = ISO8601Time.httpDate(now)
        headers["Content-Type"] = "text/html; charset=UTF-8"
        if let retryAfter { headers["Retry-After"] = String(retryAfter) }
        return StoreResponse(status: status, headers: headers, body: Data("<html><body><h1>\(status) \(title)</h1></body></html>".utf8))
    }

    public func takeDueWebhooks() -> [WebhookDelivery] {
        locked { $0.takeDue() }
    }

    /// WooCommerce never retries a failed delivery.
    public var retriesFailedWebhooks: Bool { false }

    /// Counts a failed delivery against its webhook (disabling it after more than
    /// ``WooCommerceEmulatorConfiguration/maxWebhookDeliveryFailures`` in a row); a success resets the count.
    /// Pings do not count.
    public func webhookDeliveryFinished(_ delivery: WebhookDelivery, succeeded: Bool) {
        guard let id = delivery.headers["X-WC-Webhook-ID"].flatMap(Int.init) else { return }
        locked { $0.deliveryFinished(webhookID: id, succeeded: succeeded) }
    }

    public var faults: FaultPlan {
        get { locked { $0.faults } }
        set { locked { $0.faults = newValue } }
    }

    // MARK: Settings

    /// The REST API key pair and the default webhook secret.
    public var credentials: WooCommerceCredentials { locked { $0.credentials } }

    /// The site configuration; may be changed at run time (e.g. `siteURL` once the port is known).
    public var configuration: WooCommerceEmulatorConfiguration {
        get { locked { $0.config } }
        set { locked { $0.config = newValue } }
    }

    /// Offset of the site clock from the injected wall clock, in milliseconds.
    public var clockSkewMilliseconds: Int64 {
        get { locked { $0.skewMilliseconds } }
        set { locked { $0.skewMilliseconds = newValue } }
    }

    /// The site's current time (whole seconds), in milliseconds since the epoch.
    public var siteTimeMilliseconds: Int64 { locked { $0.now } }

    // MARK: State readers

    /// Every customer as `GET /customers/{id}` returns it, by id.
    public func customers() -> [JSONValue] {
        locked { s in s.customers.keys.sorted().map { s.customerJSON(s.customers[$0]!) } }
    }

    /// Every product that is not a variation (trashed ones included), as `GET /products/{id}` returns it, by id.
    public func products() -> [JSONValue] {
        locked { s in s.products.values.filter { !$0.isVariation }.sorted { $0.id < $1.id }.map { s.productJSON($0) } }
    }

    /// The variations of a variable product, by id.
    public func variations(productID: Int) -> [JSONValue] {
        locked { s in (s.products[productID]?.variationIDs ?? []).compactMap { s.products[$0] }.map { s.variationJSON($0) } }
    }

    /// Every order as `GET /orders/{id}` returns it, by id.
    public func orders() -> [JSONValue] {
        locked { s in s.orders.keys.sorted().map { s.orderJSON(s.orders[$0]!) } }
    }

    /// Every tax rate, by id.
    public func taxRates() -> [JSONValue] {
        locked { s in s.taxes.keys.sorted().map { s.taxJSON(s.taxes[$0]!) } }
    }

    /// Every registered webhook, by id.
    public func webhooks() -> [JSONValue] {
        locked { s in s.webhooks.keys.sorted().map { s.webhookJSON(s.webhooks[$0]!) } }
    }

    /// The managed stock of a product or variation; `nil` when it does not exist or does not manage stock.
    public func stock(productID: Int, variationID: Int = 0) -> Int? {
        locked { s in
            guard let p = s.products[variationID != 0 ? variationID : productID], p.manageStock else { return nil }
            return p.stockQuantity
        }
    }

    /// How many requests reached a route, keyed like `"GET customers"`, `"PUT product"`,
    /// `"POST products/batch"`; `"total"` counts every request, faults included.
    public func requestCounts() -> [String: Int] { locked { $0.requestCounts } }

    /// Webhook deliveries queued but not yet handed out.
    public var pendingWebhookCount: Int { locked { $0.queue.count } }

    // MARK: Merchant actions

    private func params(_ value: JSONValue) -> WooParams { WooParams(body: value.object ?? [:]) }

    /// A merchant creates a customer in wp-admin; fires `customer.created`. Returns the id.
    @discardableResult
    public func createCustomer(email: String, firstName: String, lastName: String, billing: [String: String] = [:], shipping: [String: String] = [:]) throws -> Int {
        var fields: [String: JSONValue] = ["email": .string(email), "first_name": .string(firstName), "last_name": .string(lastName)]
        if !billing.isEmpty { fields["billing"] = .object(billing.mapValues { .string($0) }) }
        if !shipping.isEmpty { fields["shipping"] = .object(shipping.mapValues { .string($0) }) }
        return try locked { try $0.createCustomer(WooParams(body: fields)) }
    }

    /// A merchant edits a customer; `changes` uses the REST field names (`{"first_name": "Ana"}`).
    public func editCustomer(_ id: Int, _ changes: JSONValue) throws {
        try locked { try $0.updateCustomer(id, params(changes)) }
    }

    /// A merchant deletes a customer; fires `customer.deleted`.
    public func deleteCustomer(_ id: Int) throws {
        _ = try locked { try $0.deleteCustomer(id, force: true) }
    }

    /// A merchant creates a product from REST-shaped fields (`name`, `type`, `sku`, `regular_price`, …).
    @discardableResult
    public func createProduct(_ fields: JSONValue) throws -> Int {
        try locked { try $0.createProduct(params(fields)) }
    }

    /// A merchant creates a simple product with managed stock.
    @discardableResult
    public func createSimpleProduct(name: String, sku: String, regularPrice: String, stock: Int?) throws -> Int {
        var fields: [String: JSONValue] = ["name": .string(name), "type": "simple", "sku": .string(sku), "regular_price": .string(regularPrice)]
        if let stock { fields["manage_stock"] = true; fields["stock_quantity"] = .integer(stock) }
        return try createProduct(.object(fields))
    }

    /// A merchant creates a variation of a variable product from REST-shaped fields; fires `product.updated` for the parent.
    @discardableResult
    public func createVariation(productID: Int, _ fields: JSONValue) throws -> Int {
        try locked { try $0.createVariation(parentID: productID, params(fields)) }
    }

    /// A merchant edits a product; `changes` uses the REST field names.
    public func editProduct(_ id: Int, _ changes: JSONValue) throws {
        try locked { try $0.updateProduct(id, params(changes)) }
    }

    /// A merchant sets the stock of a product or variation (turns stock management on).
    public func setStock(productID: Int, variationID: Int = 0, quantity: Int) throws {
        try locked { s in
            let target = variationID != 0 ? variationID : productID
            guard let p = s.products[target], p.isVariation == (variationID != 0), variationID == 0 || p.parentID == productID else {
                throw WooCommerceSite.invalidID(variationID != 0 ? .variations(productID: productID) : .products)
            }
            s.setStock(target, to: quantity)
        }
    }

    /// A merchant moves a product to the trash (`product.deleted`).
    public func trashProduct(_ id: Int) throws {
        _ = try locked { try $0.deleteProduct(id, force: false) }
    }

    /// A merchant restores a trashed product (`product.restored`).
    public func restoreProduct(_ id: Int) throws {
        try locked { s in
            guard var p = s.products[id], p.status == "trash" else { throw WooCommerceSite.invalidID(.products) }
            p.status = p.statusBeforeTrash
            p.modified = s.now
            s.products[id] = p
            s.fire("product", "restored", id: id)
        }
    }

    /// A merchant adds a tax rate (`rate` as WooCommerce stores it, e.g. `"16.0000"`).
    @discardableResult
    public func createTaxRate(rate: String, name: String, country: String = "", shipping: Bool = true) throws -> Int {
        try locked { try $0.createTax(WooParams(body: ["rate": .string(rate), "name": .string(name), "country": .string(country), "shipping": .bool(shipping)])) }
    }

    /// A shopper checks out (or a merchant adds an order): fires `order.created`, then the status
    /// change with its stock effects. Returns the order id.
    @discardableResult
    public func placeOrder(_ placement: WooCommerceOrderPlacement) throws -> Int {
        try locked { s in try s.place(placement) }
    }

    /// A merchant (or a payment gateway) changes an order's status; stock follows as in WooCommerce.
    public func setOrderStatus(_ id: Int, to status: String) throws {
        try locked { s in
            guard s.orders[id] != nil else { throw WooCommerceSite.invalidID(.orders) }
            guard WooCommerceSite.orderStatuses.contains(status) else { throw WooParams.invalid("status", "status is not one of \(WooCommerceSite.orderStatuses.joined(separator: ", ")).") }
            s.transition(id, to: status)
        }
    }

    /// A merchant refunds an order: `amount` (nil = the refunded lines' totals), line quantities are
    /// restocked; a full refund sets the status `refunded`. Returns the refund id.
    @discardableResult
    public func refundOrder(_ id: Int, amount: ExactDecimal?, lines: [WooCommerceRefundLine] = [], reason: String = "") throws -> Int {
        var body: [String: JSONValue] = ["reason": .string(reason)]
        if let amount { body["amount"] = .string(amount.formatted(scale: 2)) }
        body["line_items"] = .array(lines.map { l in
            ["id": .integer(l.lineItemID), "quantity": .integer(l.quantity), "refund_total": .string(l.refundTotal.formatted(scale: 2)),
             "refund_tax": l.taxRateID.map { [["id": .integer($0), "refund_total": .string(l.refundTax.formatted(scale: 2))]] } ?? []]
        })
        return try locked { try $0.createRefund(orderID: id, WooParams(body: body)) }
    }

    /// Fills the store with realistic Spanish-market data, deterministically from the seed: an IVA 16 %
    /// tax rate, customers with Mexican/Spanish names and addresses, simple and variable products with
    /// SKUs and stock, and orders in every status (guest and registered).
    public func seed(customers: Int, products: Int, orders: Int) throws {
        try locked { try $0.seed(customers: customers, products: products, orders: orders) }
    }
}

/// What a shopper orders: lines, who, tax, shipping; the input of ``WooCommerceEmulator/placeOrder(_:)``.
public struct WooCommerceOrderPlacement: Sendable, Hashable {
    /// One product or variation and its quantity.
    public struct Line: Sendable, Hashable {
        public var productID: Int
        public var variationID: Int
        public var quantity: Int
        public init(productID: Int, variationID: Int = 0, quantity: Int) {
            self.productID = productID
            self.variationID = variationID
            self.quantity = quantity
        }
    }

    public var lines: [Line]
    /// 0 for a guest checkout.
    public var customerID: Int
    /// Billing address fields (`first_name`, `email`, …); a registered customer's own address is used when empty.
    public var billing: [String: String]
    /// The tax rate applied to taxable lines; `nil` picks the store's standard rate for the billing country.
    public var taxRateID: Int?
    /// The status the order ends in (`pending`, `processing`, `on-hold`, `completed`, …).
    public var status: String
    /// A flat shipping charge (excluding tax), if any.
    public var shippingTotal: ExactDecimal?
    /// A fixed coupon discount (excluding tax), if any.
    public var couponDiscount: ExactDecimal?
    public var paymentMethod: String
    public var customerNote: String

    public init(lines: [Line], customerID: Int = 0, billing: [String: String] = [:], taxRateID: Int? = nil, status: String = "processing",
                shippingTotal: ExactDecimal? = nil, couponDiscount: ExactDecimal? = nil, paymentMethod: String = "bacs", customerNote: String = "") {
        self.lines = lines
        self.customerID = customerID
        self.billing = billing
        self.taxRateID = taxRateID
        self.status = status
        self.shippingTotal = shippingTotal
        self.couponDiscount = couponDiscount
        self.paymentMethod = paymentMethod
        self.customerNote = customerNote
    }
}

/// One refunded order line for ``WooCommerceEmulator/refundOrder(_:amount:lines:reason:)``.
public struct WooCommerceRefundLine: Sendable, Hashable {
    public var lineItemID: Int
    public var quantity: Int
    public var refundTotal: ExactDecimal
    public var refundTax: ExactDecimal
    public var taxRateID: Int?

    public init(lineItemID: Int, quantity: Int, refundTotal: ExactDecimal, refundTax: ExactDecimal = .zero, taxRateID: Int? = nil) {
        self.lineItemID = lineItemID
        self.quantity = quantity
        self.refundTotal = refundTotal
        self.refundTax = refundTax
        self.taxRateID = taxRateID
    }
}
