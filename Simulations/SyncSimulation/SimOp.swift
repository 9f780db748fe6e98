import SyncCore

/// One step of a simulation. Ops name entities by key number (e-mail `c<k>@sim.test`, SKU `SIM-<k>`),
/// never by remote id, so an op list still runs after other ops were removed (shrinking); an op whose
/// entity does not exist (or already exists, for a create) does nothing.
public enum SimOp: Sendable, Hashable, CustomStringConvertible {
    /// Simulated time passes.
    case advance(milliseconds: Int64)
    /// A merchant creates a customer / product in a store.
    case storeCreateContact(store: Int, key: Int, first: String, last: String, phone: String)
    /// `stock`: the initial level, used when no side has the SKU yet (0 otherwise: see docs/simulator.md, "Stock").
    case storeCreateProduct(store: Int, key: Int, name: String, price: String, stock: Int)
    /// A merchant edits one field.
    case storeEditContact(store: Int, key: Int, field: String, value: String)
    case storeEditProduct(store: Int, key: Int, field: String, value: String)
    /// A merchant deletes a customer / product.
    case storeDeleteContact(store: Int, key: Int)
    case storeDeleteProduct(store: Int, key: Int)
    /// A merchant creates a record that breaks a rule (`reason`: `invalid_email`, `missing_last_name`, `missing_sku`).
    case storeCreateInvalid(store: Int, serial: Int, reason: String)
    /// An Oorden user creates, edits, archives (or revives) a contact / product.
    case ledgerCreateContact(key: Int, first: String, last: String, phone: String)
    /// An Oorden product starts with a purchase of `stock` units.
    case ledgerCreateProduct(key: Int, name: String, price: String, stock: Int)
    case ledgerEditContact(key: Int, field: String, value: String)
    case ledgerEditProduct(key: Int, field: String, value: String)
    case ledgerArchiveContact(key: Int, archived: Bool)
    case ledgerSetProductActive(key: Int, active: Bool)
    /// A shopper checks out in a store: a customer by key (a guest when `nil` or not in that store),
    /// lines of SKUs the store has; `stage` 0 unpaid, 1 paid (WooCommerce `processing`), 2 paid and
    /// fulfilled (WooCommerce `completed`). Later order ops name the order by `serial`.
    case storePlaceOrder(store: Int, serial: Int, customer: Int?, lines: [SimOrderLine], stage: Int)
    /// The order is paid (Shopify capture, WooCommerce `processing`).
    case storePayOrder(serial: Int)
    /// The order is fulfilled (Shopify fulfillment, WooCommerce `completed`).
    case storeFulfillOrder(serial: Int)
    /// The merchant cancels the order (Shopify: `restock` returns the units).
    case storeCancelOrder(serial: Int, restock: Bool)
    /// The merchant refunds `percent` of what is left (Shopify with `restock`: one unit of the first line, restocked).
    case storeRefundOrder(serial: Int, percent: Int, restock: Bool)
    /// The merchant adjusts a SKU's stock in a store.
    case storeAdjustStock(store: Int, key: Int, delta: Int)
    /// An Oorden user records a purchase (quantity > 0) or an adjustment (either sign).
    case ledgerStockMovement(key: Int, quantity: Int, purchase: Bool)
    /// An Oorden user sells in Oorden: an Oorden sales order to a contact, and its sale.
    case ledgerSale(key: Int, contact: Int, quantity: Int)
    /// An Oorden user edits the note of an imported sales order.
    case ledgerEditOrderNote(serial: Int, note: String)
    /// An Oorden user creates the 8 % tax the WooCommerce stores' "IVA frontera" orders need: the
    /// orders held `missing_tax` sync at the next pass.
    case ledgerCreateMissingTax
    /// A sync pass.
    case pass
    /// The stores' due webhooks reach the daemon's inbox (with the seed's drop/duplicate/delay/reorder
    /// faults, decided by a generator seeded with `seed`), are processed, and the engine pushes what
    /// they brought (`SyncDriver.pushPending`).
    case deliverWebhooks(seed: UInt64)
    /// The next requests to a store fail with `status` (429/5xx) or time out.
    case httpFault(store: Int, failures: Int, status: Int, timeouts: Int)
    /// The next `writes` successful writes to a store are applied, then answered `status` (502/503/504):
    /// a gateway that gave up while the store did the work — creates and stock adjustments in doubt.
    case appliedThenFail(store: Int, writes: Int, status: Int)
    /// The engine crashes after `afterRequests` more store list requests during the next pass and is reopened.
    case crash(afterRequests: Int)
    /// The engine's wall clock steps back.
    case engineClockBack(milliseconds: Int64)
    /// The ledger's wall clock steps back (generated between two Oorden edits of one field).
    case ledgerClockBack(milliseconds: Int64)

    /// Whether the op is a fault (not a user action).
    public var isFault: Bool {
        switch self {
        case .httpFault, .appliedThenFail, .crash, .engineClockBack, .ledgerClockBack: true
        default: false
        }
    }

    /// The order an order op names, or nil.
    public var orderSerial: Int? {
        switch self {
        case .storePlaceOrder(_, let n, _, _, _), .storePayOrder(let n), .storeFulfillOrder(let n), .storeCancelOrder(let n, _),
             .storeRefundOrder(let n, _, _), .ledgerEditOrderNote(let n, _): n
        default: nil
        }
    }

    /// The kind of a commerce op, for the activity counts of a run (`order`, `pay`, `fulfill`,
    /// `cancel`, `refund`, `store_stock`, `oorden_stock`, `oorden_sale`, `order_note`, `missing_tax_order`,
    /// `oorden_tax`), or nil.
    public var activityKind: String? {
        switch self {
        case .storePlaceOrder: "order"
        case .storePayOrder: "pay"
        case .storeFulfillOrder: "fulfill"
        case .storeCancelOrder: "cancel"
        case .storeRefundOrder: "refund"
        case .storeAdjustStock: "store_stock"
        case .ledgerStockMovement: "oorden_stock"
        case .ledgerSale: "oorden_sale"
        case .ledgerEditOrderNote: "order_note"
        case .storeCreateInvalid(_, _, "missing_tax"): "missing_tax_order"
        case .ledgerCreateMissingTax: "oorden_tax"
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .advance(let ms): "advance \(ms)ms"
        case let .storeCreateContact(s, k, f, l, p): "store\(s) create contact c\(k) first=\(f) last=\(l) phone=\(p)"
        case let .storeCreateProduct(s, k, n, p, q): "store\(s) create product SIM-\(k) name=\(n) price=\(p) stock=\(q)"
        case let .storeEditContact(s, k, f, v): "store\(s) edit contact c\(k) \(f)=\(v)"
        case let .storeEditProduct(s, k, f, v): "store\(s) edit product SIM-\(k) \(f)=\(v)"
        case let .storeDeleteContact(s, k): "store\(s) delete contact c\(k)"
        case let .storeDeleteProduct(s, k): "store\(s) delete product SIM-\(k)"
        case let .storeCreateInvalid(s, n, r): "store\(s) create invalid #\(n) (\(r))"
        case let .ledgerCreateContact(k, f, l, p): "oorden create contact c\(k) first=\(f) last=\(l) phone=\(p)"
        case let .ledgerCreateProduct(k, n, p, q): "oorden create product SIM-\(k) name=\(n) price=\(p) stock=\(q)"
        case let .ledgerEditContact(k, f, v): "oorden edit contact c\(k) \(f)=\(v)"
        case let .ledgerEditProduct(k, f, v): "oorden edit product SIM-\(k) \(f)=\(v)"
        case let .ledgerArchiveContact(k, a): "oorden \(a ? "archive" : "unarchive") contact c\(k)"
        case let .ledgerSetProductActive(k, a): "oorden set product SIM-\(k) active=\(a)"
        case let .storePlaceOrder(s, n, c, lines, stage):
            "store\(s) order #\(n) by \(c.map { "c\($0)" } ?? "guest") lines=\(lines.map { "SIM-\($0.key)×\($0.quantity)" }.joined(separator: ",")) stage=\(["unpaid", "paid", "fulfilled"][min(2, max(0, stage))])"
        case .storePayOrder(let n): "order #\(n) paid"
        case .storeFulfillOrder(let n): "order #\(n) fulfilled"
        case let .storeCancelOrder(n, r): "order #\(n) cancelled restock=\(r)"
        case let .storeRefundOrder(n, p, r): "order #\(n) refund \(p)% restock=\(r)"
        case let .storeAdjustStock(s, k, d): "store\(s) stock SIM-\(k) \(d > 0 ? "+" : "")\(d)"
        case let .ledgerStockMovement(k, q, p): "oorden \(p ? "purchase" : "adjustment") SIM-\(k) \(q > 0 ? "+" : "")\(q)"
        case let .ledgerSale(k, c, q): "oorden sale SIM-\(k)×\(q) to c\(c)"
        case let .ledgerEditOrderNote(n, note): "oorden note of order #\(n) = \(note)"
        case .ledgerCreateMissingTax: "oorden creates tax IVA frontera 8 %"
        case .pass: "sync pass"
        case .deliverWebhooks(let seed): "webhook delivery round \(String(seed % 100_000))"
        case let .httpFault(s, f, st, t): "fault store\(s): \(f)×HTTP \(st), \(t)×timeout"
        case let .appliedThenFail(s, w, st): "fault store\(s): next \(w) writes applied, then HTTP \(st)"
        case .crash(let n): "fault: engine crash after \(n) list requests"
        case .engineClockBack(let ms): "fault: engine clock back \(ms)ms"
        case .ledgerClockBack(let ms): "fault: ledger clock back \(ms)ms"
        }
    }

    /// The op list a seed runs under a configuration.
    public static func generate(seed: UInt64, configuration c: SimConfiguration) -> [SimOp] {
        var r = SeededRandom(seed: seed ^ 0x0B5E_55ED_0000_0007)
        // Gateway faults draw from their own stream: adding them left every other op of a seed as it was.
        var gateway = SeededRandom(seed: seed ^ 0x6A7E_3A75_0000_0504)
        // So do ledger clock faults.
        var ledgerClockFaults = LedgerClockFaults(seed: seed, probability: c.ledgerClockBackProbability)
        var ops: [SimOp] = []
        let stores = c.stores.count
        var invalidSerial = 0
        var orderSerial = 0
        var clockBack: Int64 = 0
        func phone(_ i: Int) -> String { "+52155" + String(10_000_000 + (i * 7919 + Int.random(in: 0..<1000, using: &r)) % 89_999_999) }
        func price(_ i: Int) -> String { "\(Int.random(in: 10...999, using: &r) + i % 7).\(Int.random(in: 10...99, using: &r))" }
        let families = [c.weightStoreEdit, c.weightLedgerEdit, c.weightCreate, c.weightDelete, c.weightInvalid, c.weightPass, c.weightOrder, c.weightStock]
        let total = families.reduce(0, +)
        for i in 0..<c.opCount {
            ops.append(.advance(milliseconds: Int64.random(in: 300...12_000, using: &r)))
            if r.chance(c.httpFaultProbability) {
                let failures = Int.random(in: 0...4, using: &r)
                ops.append(.httpFault(store: Int.random(in: 0..<stores, using: &r), failures: failures,
                                      status: [429, 500, 502, 503].randomElement(using: &r) ?? 503,
                                      timeouts: failures == 0 ? Int.random(in: 1...3, using: &r) : Int.random(in: 0...1, using: &r)))
            }
            if gateway.chance(c.appliedThenFailProbability) {
                ops.append(.appliedThenFail(store: Int.random(in: 0..<stores, using: &gateway), writes: Int.random(in: 1...2, using: &gateway),
                                            status: [502, 503, 504].randomElement(using: &gateway) ?? 504))
            }
            if r.chance(c.crashProbability) { ops.append(.crash(afterRequests: Int.random(in: 0...6, using: &r))) }
            if r.chance(c.clockJumpProbability), clockBack <= 1_450 {
                let ms = Int64.random(in: 50...(1_500 - clockBack), using: &r)
                clockBack += ms
                ops.append(.engineClockBack(milliseconds: ms))
            }
            var pick = Int.random(in: 0..<total, using: &r)
            var family = 0
            while pick >= families[family] { pick -= families[family]; family += 1 }
            let s = Int.random(in: 0..<stores, using: &r)
            let contact = Bool.random(using: &r)
            let key = contact ? Int.random(in: 1...c.contactKeys, using: &r) : Int.random(in: 1...c.productKeys, using: &r)
            let tag = "\(seed % 1000)x\(i)"
            switch family {
            case 0:
                if contact {
                    let field = ["first_name", "last_name", "phone"].randomElement(using: &r)!
                    ops.append(.storeEditContact(store: s, key: key, field: field, value: field == "phone" ? phone(i) : "S\(s)-\(tag)"))
                } else {
                    let field = ["name", "price"].randomElement(using: &r)!
                    ops.append(.storeEditProduct(store: s, key: key, field: field, value: field == "price" ? price(i) : "Prod S\(s)-\(tag)"))
                }
            case 1:
                if contact {
                    switch Int.random(in: 0..<10, using: &r) {
                    case 0: ops.append(.ledgerArchiveContact(key: key, archived: Bool.random(using: &r)))
                    default:
                        let field = ["first_name", "last_name", "phone"].randomElement(using: &r)!
                        ops.append(.ledgerEditContact(key: key, field: field, value: field == "phone" ? phone(i) : "O-\(tag)"))
                    }
                } else {
                    switch Int.random(in: 0..<10, using: &r) {
                    case 0: ops.append(.ledgerSetProductActive(key: key, active: Bool.random(using: &r)))
                    default:
                        let field = ["name", "price"].randomElement(using: &r)!
                        ops.append(.ledgerEditProduct(key: key, field: field, value: field == "price" ? price(i) : "Prod O-\(tag)"))
                    }
                }
            case 2:
                let inLedger = Int.random(in: 0...stores, using: &r) == 0
                if contact {
                    ops.append(inLedger ? .ledgerCreateContact(key: key, first: "OF\(tag)", last: "OL\(tag)", phone: phone(i))
                                        : .storeCreateContact(store: s, key: key, first: "SF\(tag)", last: "SL\(tag)", phone: phone(i)))
                } else {
                    let stock = Int.random(in: 1...20, using: &r)
                    ops.append(inLedger ? .ledgerCreateProduct(key: key, name: "Prod N\(tag)", price: price(i), stock: stock)
                                        : .storeCreateProduct(store: s, key: key, name: "Prod N\(tag)", price: price(i), stock: stock))
                }
            case 3:
                ops.append(contact ? .storeDeleteContact(store: s, key: key) : .storeDeleteProduct(store: s, key: key))
            case 6:
                if orderSerial == 0 || r.chance(0.4) {
                    orderSerial += 1
                    let lines = (0..<Int.random(in: 1...3, using: &r)).map { _ in
                        SimOrderLine(key: Int.random(in: 1...c.productKeys, using: &r), quantity: Int.random(in: 1...3, using: &r))
                    }
                    let customer: Int? = r.chance(0.6) ? Int.random(in: 1...c.contactKeys, using: &r) : nil
                    ops.append(.storePlaceOrder(store: s, serial: orderSerial, customer: customer, lines: lines, stage: Int.random(in: 0...2, using: &r)))
                } else {
                    let n = Int.random(in: 1...orderSerial, using: &r)
                    switch Int.random(in: 0..<100, using: &r) {
                    case 0..<25: ops.append(.storePayOrder(serial: n))
                    case 25..<45: ops.append(.storeFulfillOrder(serial: n))
                    case 45..<60: ops.append(.storeCancelOrder(serial: n, restock: Bool.random(using: &r)))
                    case 60..<82: ops.append(.storeRefundOrder(serial: n, percent: [10, 25, 50, 100].randomElement(using: &r)!, restock: r.chance(0.3)))
                    default: ops.append(.ledgerEditOrderNote(serial: n, note: "Nota \(tag)"))
                    }
                }
            case 7:
                let k = Int.random(in: 1...c.productKeys, using: &r)
                switch Int.random(in: 0..<10, using: &r) {
                case 0..<4:
                    let delta = Int.random(in: -3...5, using: &r)
                    ops.append(.storeAdjustStock(store: s, key: k, delta: delta == 0 ? 1 : delta))
                case 4..<8:
                    let purchase = Bool.random(using: &r)
                    let q = purchase ? Int.random(in: 1...10, using: &r) : Int.random(in: -3...3, using: &r)
                    ops.append(.ledgerStockMovement(key: k, quantity: q == 0 ? -1 : q, purchase: purchase))
                default:
                    ops.append(.ledgerSale(key: k, contact: Int.random(in: 1...c.contactKeys, using: &r), quantity: Int.random(in: 1...2, using: &r)))
                }
            case 4:
                if c.stores.contains(.woocommerce), r.chance(0.12) {
                    ops.append(.ledgerCreateMissingTax)
                    break
                }
                invalidSerial += 1
                let reasons = c.stores[s] == .shopify ? ["invalid_email", "missing_last_name", "missing_sku"] : ["invalid_email", "missing_last_name", "missing_tax"]
                ops.append(.storeCreateInvalid(store: s, serial: invalidSerial, reason: reasons.randomElement(using: &r)!))
            case 5:
                if c.webhooks, Bool.random(using: &r) {
                    ops.append(.deliverWebhooks(seed: UInt64.random(in: 0...UInt64.max, using: &r)))
                } else {
                    ops.append(.pass)
                }
            default:
                break
            }
            if let edit = ops.last { ops += ledgerClockFaults.ops(after: edit, tag: tag) }
        }
        return ops
    }
}

/// One line of a simulated order: a SKU by key and a quantity.
public struct SimOrderLine: Sendable, Hashable {
    public var key: Int
    public var quantity: Int

    public init(key: Int, quantity: Int) {
        self.key = key
        self.quantity = quantity
    }
}
