import Foundation
import SyncCore

/// The whole state of one emulated shop; every operation is a mutating method.
///
/// ``ShopifyEmulator`` keeps one of these behind a lock. Nothing here reads the system clock or a
/// global random source: time comes from the injected clock plus ``skewMilliseconds``, randomness
/// from generators seeded by the emulator's seed.
struct ShopifyShop: Sendable {
    let configuration: ShopifyEmulatorConfiguration
    let credentials: ShopifyCredentials
    let clock: any WallClock
    var skewMilliseconds: Int64 = 0
    var faults = FaultPlan()

    /// Draws for webhook faults.
    var faultRandom: SeededRandom
    /// Draws for tokens and webhook ids.
    var idRandom: SeededRandom
    /// Draws for seeded merchant data.
    var seedRandom: SeededRandom
    /// Draws for the access tokens the client-credentials grant issues.
    var tokenRandom: SeededRandom
    /// Tokens issued by the client-credentials grant → when each expires (store clock, ms).
    var issuedTokens: [String: Int64] = [:]

    var nextID: Int
    var nextOrderNumber: Int
    var nextEventID = 1

    var customers: [Int: ShopifyCustomer] = [:]
    var products: [Int: ShopifyProduct] = [:]
    /// Variant id → product id.
    var variantOwner: [Int: Int] = [:]
    /// Inventory item id → variant id.
    var inventoryItemVariant: [Int: Int] = [:]
    /// Inventory item id → level at the primary location.
    var levels: [Int: ShopifyInventoryLevel] = [:]
    var orders: [Int: ShopifyOrder] = [:]
    var webhooks: [Int: ShopifyWebhookSubscription] = [:]

    /// Deliveries waiting for their due time, in creation order.
    var pendingDeliveries: [WebhookDelivery] = []

    /// Leaky bucket level in thousandths of a call, and when it was last drained.
    var bucketMilli: Int64 = 0
    var bucketUpdatedAt: Int64?
    /// The GraphQL Admin API's cost-point bucket (separate from the REST call bucket, as at Shopify).
    var costBucket: ShopifyCostBucket

    /// First answers of GraphQL `inventoryAdjustQuantities` by `@idempotent` key (not snapshotted).
    var idempotencyRecords: [String: ShopifyIdempotencyRecord] = [:]
    /// GraphQL inventory adjustments applied, and requests answered from an idempotency key instead.
    var idempotentAdjustmentsApplied = 0
    var idempotentReplays = 0

    /// Bulk query operations by id (not snapshotted: results are short-lived files).
    var bulkExports: [Int: ShopifyBulkExport] = [:]
    /// Operations started by the mutation being answered, whose query runs once it is.
    var pendingBulkExports: [Int] = []
    /// `BulkOperationErrorCode`s the next operations fail with (a fault plan of their own).
    var plannedBulkFailures: [String] = []
    /// Bulk queries run since the shop was created.
    var bulkExportsRun = 0

    var requestCounts: [String: Int] = [:]
    var rateLimitedCount = 0
    var shopCreatedAt: Int64

    init(configuration: ShopifyEmulatorConfiguration, seed: UInt64, clock: any WallClock) {
        self.configuration = configuration
        self.clock = clock
        var root = SeededRandom(seed: seed)
        var credentialRandom = root.fork()
        faultRandom = root.fork()
        idRandom = root.fork()
        seedRandom = root.fork()
        tokenRandom = root.fork()
        func hex(_ n: Int) -> String {
            var s = ""
            while s.count < n { s += String(credentialRandom.next(), radix: 16) }
            return String(s.prefix(n))
        }
        credentials = ShopifyCredentials(
            accessToken: configuration.accessToken ?? "shpat_" + hex(32),
            apiKey: configuration.apiKey ?? hex(32),
            password: configuration.password ?? "shppa_" + hex(32),
            webhookSecret: configuration.webhookSecret ?? "shpss_" + hex(32),
            clientID: configuration.clientID ?? hex(32),
            clientSecret: configuration.clientSecret ?? "shpss_" + hex(32)
        )
        nextID = configuration.firstID
        costBucket = ShopifyCostBucket(maximumAvailable: configuration.graphQLMaximumAvailable, restoreRate: configuration.graphQLRestoreRate)
        nextOrderNumber = configuration.firstOrderNumber
        shopCreatedAt = (clock.nowMilliseconds() / 1000) * 1000 - 86_400_000 * 400
    }

    // MARK: Time and ids

    /// The store's clock: injected wall clock plus skew, truncated to whole seconds.
    var now: Int64 {
        let ms = clock.nowMilliseconds() + skewMilliseconds
        return ms - ((ms % 1000) + 1000) % 1000
    }

    /// The store clock with milliseconds, for the rate limit and webhook due times.
    var nowPrecise: Int64 { clock.nowMilliseconds() + skewMilliseconds }

    func timestamp(_ ms: Int64) -> String {
        ISO8601Time.format(ms, offsetMinutes: configuration.timezoneOffsetMinutes)
    }

    mutating func newID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    mutating func randomHex(_ n: Int) -> String {
        var s = ""
        while s.count < n {
            let word = String(idRandom.next(), radix: 16)
            s += String(repeating: "0", count: 16 - word.count) + word
        }
        return String(s.prefix(n))
    }

    /// A UUID-shaped id (`8-4-4-4-12` hex), as `X-Shopify-Webhook-Id` carries.
    mutating func randomUUID() -> String {
        let h = randomHex(32)
        let c = Array(h)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }

    // MARK: Errors

    static func notFound() -> ShopifyEmulatorError {
        ShopifyEmulatorError(code: "not_found", message: "no such resource; check the id and the path", status: 404, body: ["errors": "Not Found"])
    }

    static func unprocessable(_ field: String, _ messages: String...) -> ShopifyEmulatorError {
        ShopifyEmulatorError(
            code: "unprocessable", message: "\(field) \(messages.joined(separator: ", "))", status: 422,
            body: ["errors": .object([field: .array(messages.map { .string($0) })])])
    }

    static func badRequest(_ root: String) -> ShopifyEmulatorError {
        ShopifyEmulatorError(
            code: "bad_request", message: "the body needs a JSON object under \"\(root)\"", status: 400,
            body: ["errors": .object([root: "Required parameter missing or invalid"])])
    }

    static func badParameter(_ name: String, _ message: String) -> ShopifyEmulatorError {
        ShopifyEmulatorError(code: "bad_request", message: "\(name): \(message)", status: 400, body: ["errors": .object([name: .string(message)])])
    }
}

// MARK: - Input helpers

extension JSONValue {
    /// A string, or the literal text of a number/bool (stores accept `"price": 19.99` and `"19.99"`).
    var shopifyText: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }
}

extension ShopifyShop {
    /// Reads an optional string field; `null` clears; other types are a 422 on that field.
    static func optionalString(_ object: [String: JSONValue], _ key: String) throws -> String?? {
        guard let v = object[key] else { return .none }
        switch v {
        case .null: return .some(nil)
        case .string(let s): return .some(s)
        case .number(let n): return .some(n)
        default: throw unprocessable(key, "is invalid")
        }
    }

    static func optionalBool(_ object: [String: JSONValue], _ key: String) throws -> Bool? {
        guard let v = object[key], !v.isNull else { return nil }
        if let b = v.bool { return b }
        if v.string == "true" { return true }
        if v.string == "false" { return false }
        throw unprocessable(key, "is invalid")
    }

    static func optionalInt(_ object: [String: JSONValue], _ key: String) throws -> Int? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let i = v.int else { throw unprocessable(key, "is not a number") }
        return i
    }

    static func optionalMoney(_ object: [String: JSONValue], _ key: String) throws -> ExactDecimal?? {
        guard let v = object[key] else { return .none }
        if v.isNull { return .some(nil) }
        if case .string(let s) = v, s.isEmpty { return .some(nil) }
        guard let d = v.decimal, d.rounded(scale: 2) == d else { throw unprocessable(key, "is not a number") }
        return .some(d)
    }

    /// Tags as Shopify stores them: trimmed, de-duplicated, joined by ", ".
    static func normalizedTags(_ value: JSONValue) throws -> String {
        let parts: [String]
        switch value {
        case .string(let s): parts = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .array(let a): parts = try a.map { guard let s = $0.string else { throw unprocessable("tags", "is invalid") }; return s.trimmingCharacters(in: .whitespaces) }
        case .null: parts = []
        default: throw unprocessable("tags", "is invalid")
        }
        var seen: [String] = []
        for p in parts where !p.isEmpty && !seen.contains(p) { seen.append(p) }
        return seen.joined(separator: ", ")
    }

    /// Phone numbers are stored in E.164; a 10-digit national number is taken as Mexican (+52).
    static func normalizedPhone(_ raw: String) throws -> String {
        let kept = raw.filter { !" -().".contains($0) }
        let digits = kept.hasPrefix("+") ? String(kept.dropFirst()) : kept
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), (8...15).contains(digits.count) else {
            throw unprocessable("phone", "is invalid")
        }
        if kept.hasPrefix("+") { return kept }
        if digits.count == 10 { return "+52" + digits }
        return "+" + digits
    }

    static func isValidEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !s.contains(" ")
    }

    /// The object under `root` in a request body, or a 400 in Shopify's shape.
    static func rootObject(_ body: Data, _ root: String) throws -> [String: JSONValue] {
        guard let doc = try? JSONValue.parse(body), let obj = doc[root]?.object else { throw badRequest(root) }
        return obj
    }
}
