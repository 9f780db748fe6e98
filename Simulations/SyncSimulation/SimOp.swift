import SyncCore

/// One step of a simulation. Ops name entities by key number (e-mail `c<k>@sim.test`, SKU `SIM-<k>`),
/// never by remote id, so an op list still runs after other ops were removed (shrinking); an op whose
/// entity does not exist (or already exists, for a create) does nothing.
public enum SimOp: Sendable, Hashable, CustomStringConvertible {
    /// Simulated time passes.
    case advance(milliseconds: Int64)
    /// A merchant creates a customer / product in a store.
    case storeCreateContact(store: Int, key: Int, first: String, last: String, phone: String)
    case storeCreateProduct(store: Int, key: Int, name: String, price: String)
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
    case ledgerCreateProduct(key: Int, name: String, price: String)
    case ledgerEditContact(key: Int, field: String, value: String)
    case ledgerEditProduct(key: Int, field: String, value: String)
    case ledgerArchiveContact(key: Int, archived: Bool)
    case ledgerSetProductActive(key: Int, active: Bool)
    /// A sync pass.
    case pass
    /// The next requests to a store fail with `status` (429/5xx) or time out.
    case httpFault(store: Int, failures: Int, status: Int, timeouts: Int)
    /// The engine crashes after `afterRequests` more store list requests during the next pass and is reopened.
    case crash(afterRequests: Int)
    /// The engine's wall clock steps back.
    case engineClockBack(milliseconds: Int64)

    /// Whether the op is a fault (not a user action).
    public var isFault: Bool {
        switch self {
        case .httpFault, .crash, .engineClockBack: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .advance(let ms): "advance \(ms)ms"
        case let .storeCreateContact(s, k, f, l, p): "store\(s) create contact c\(k) first=\(f) last=\(l) phone=\(p)"
        case let .storeCreateProduct(s, k, n, p): "store\(s) create product SIM-\(k) name=\(n) price=\(p)"
        case let .storeEditContact(s, k, f, v): "store\(s) edit contact c\(k) \(f)=\(v)"
        case let .storeEditProduct(s, k, f, v): "store\(s) edit product SIM-\(k) \(f)=\(v)"
        case let .storeDeleteContact(s, k): "store\(s) delete contact c\(k)"
        case let .storeDeleteProduct(s, k): "store\(s) delete product SIM-\(k)"
        case let .storeCreateInvalid(s, n, r): "store\(s) create invalid #\(n) (\(r))"
        case let .ledgerCreateContact(k, f, l, p): "oorden create contact c\(k) first=\(f) last=\(l) phone=\(p)"
        case let .ledgerCreateProduct(k, n, p): "oorden create product SIM-\(k) name=\(n) price=\(p)"
        case let .ledgerEditContact(k, f, v): "oorden edit contact c\(k) \(f)=\(v)"
        case let .ledgerEditProduct(k, f, v): "oorden edit product SIM-\(k) \(f)=\(v)"
        case let .ledgerArchiveContact(k, a): "oorden \(a ? "archive" : "unarchive") contact c\(k)"
        case let .ledgerSetProductActive(k, a): "oorden set product SIM-\(k) active=\(a)"
        case .pass: "sync pass"
        case let .httpFault(s, f, st, t): "fault store\(s): \(f)×HTTP \(st), \(t)×timeout"
        case .crash(let n): "fault: engine crash after \(n) list requests"
        case .engineClockBack(let ms): "fault: engine clock back \(ms)ms"
        }
    }

    /// The op list a seed runs under a configuration.
    public static func generate(seed: UInt64, configuration c: SimConfiguration) -> [SimOp] {
        var r = SeededRandom(seed: seed ^ 0x0B5E_55ED_0000_0007)
        var ops: [SimOp] = []
        let stores = c.stores.count
        var invalidSerial = 0
        var clockBack: Int64 = 0
        func phone(_ i: Int) -> String { "+52155" + String(10_000_000 + (i * 7919 + Int.random(in: 0..<1000, using: &r)) % 89_999_999) }
        func price(_ i: Int) -> String { "\(Int.random(in: 10...999, using: &r) + i % 7).\(Int.random(in: 10...99, using: &r))" }
        let families = [c.weightStoreEdit, c.weightLedgerEdit, c.weightCreate, c.weightDelete, c.weightInvalid, c.weightPass]
        let total = families.reduce(0, +)
        for i in 0..<c.opCount {
            ops.append(.advance(milliseconds: Int64.random(in: 300...12_000, using: &r)))
            if r.chance(c.httpFaultProbability) {
                let failures = Int.random(in: 0...4, using: &r)
                ops.append(.httpFault(store: Int.random(in: 0..<stores, using: &r), failures: failures,
                                      status: [429, 500, 502, 503].randomElement(using: &r) ?? 503,
                                      timeouts: failures == 0 ? Int.random(in: 1...3, using: &r) : Int.random(in: 0...1, using: &r)))
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
                    ops.append(inLedger ? .ledgerCreateProduct(key: key, name: "Prod N\(tag)", price: price(i))
                                        : .storeCreateProduct(store: s, key: key, name: "Prod N\(tag)", price: price(i)))
                }
            case 3:
                ops.append(contact ? .storeDeleteContact(store: s, key: key) : .storeDeleteProduct(store: s, key: key))
            case 4:
                invalidSerial += 1
                let reasons = c.stores[s] == .shopify ? ["invalid_email", "missing_last_name", "missing_sku"] : ["invalid_email", "missing_last_name"]
                ops.append(.storeCreateInvalid(store: s, serial: invalidSerial, reason: reasons.randomElement(using: &r)!))
            default:
                ops.append(.pass)
            }
        }
        return ops
    }
}
