import Foundation
import SyncCore

/// Request handling: faults, authentication, rate limit, routing and common headers.
extension ShopifyShop {
    static let invalidLogin = "[API] Invalid API key or access token (unrecognized login or wrong password)"
    static let throttled = "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."

    mutating func handle(_ request: StoreRequest) -> EmulatorReply {
        requestCounts["\(request.method.rawValue) \(request.path)", default: 0] += 1
        if faults.timeoutNextRequests > 0 {
            faults.timeoutNextRequests -= 1
            return .timeout
        }
        if faults.failNextRequests > 0 {
            faults.failNextRequests -= 1
            var headers = HeaderFields()
            if let s = faults.failRetryAfterSeconds { headers["Retry-After"] = "\(s).0" }
            let body: JSONValue = faults.failStatus == 429 ? ["errors": .string(Self.throttled)] : ["errors": "Internal Server Error"]
            if faults.failStatus == 429 { rateLimitedCount += 1 }
            return .response(finish(.json(faults.failStatus, body, headers: headers), request: request, callLimit: true))
        }
        if request.path == Self.tokenPath {
            return .response(finish(grantToken(request), request: request, callLimit: false))
        }
        if request.method == .get, request.path.hasPrefix(Self.bulkResultsPath) {
            return .response(finish(bulkResultDownload(request), request: request, callLimit: false))
        }
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard segments.count >= 4, segments[0] == "admin", segments[1] == "api", Self.isVersion(segments[2]) else {
            return .response(finish(.json(404, ["errors": "Not Found"]), request: request, callLimit: false))
        }
        guard authenticated(request) else {
            return .response(finish(.json(401, ["errors": .string(Self.invalidLogin)]), request: request, callLimit: false))
        }
        if segments.count == 4, segments[3] == "graphql.json", request.method == .post {
            // GraphQL is limited by its own cost bucket, not the REST call bucket.
            let (answer, mutated) = handleGraphQL(request)
            if mutated, let status = faults.takeApplyThenFail(request.method, answer) {
                // A mutation applied; the gateway in front answers as if it had not heard back.
                return .response(finish(.json(status, ["errors": "Gateway Timeout"]), request: request, callLimit: false))
            }
            return .response(finish(answer, request: request, callLimit: false))
        }
        if let retryAfter = takeFromBucket() {
            rateLimitedCount += 1
            var headers = HeaderFields()
            headers["Retry-After"] = retryAfter
            return .response(finish(.json(429, ["errors": .string(Self.throttled)], headers: headers), request: request, callLimit: true))
        }
        let response: StoreResponse
        do {
            response = try route(Array(segments.dropFirst(3)), request)
        } catch let error as ShopifyEmulatorError {
            response = .json(error.status, error.body)
        } catch {
            response = .json(500, ["errors": "Internal Server Error"])
        }
        if let status = faults.takeApplyThenFail(request.method, response) {
            // Applied; the gateway in front answers as if it had not heard back.
            return .response(finish(.json(status, ["errors": "Gateway Timeout"]), request: request, callLimit: true))
        }
        return .response(finish(response, request: request, callLimit: true))
    }

    static func isVersion(_ s: String) -> Bool {
        if s == "unstable" { return true }
        let b = Array(s.utf8)
        return b.count == 7 && b[4] == UInt8(ascii: "-") && b.enumerated().allSatisfy { $0.offset == 4 || ($0.element >= 48 && $0.element <= 57) }
    }

    private func authenticated(_ request: StoreRequest) -> Bool {
        if let token = request.headers["X-Shopify-Access-Token"] {
            return token == credentials.accessToken || token == credentials.password || isLiveIssuedToken(token)
        }
        if let auth = request.headers["Authorization"], auth.lowercased().hasPrefix("basic "),
           let data = Data(base64Encoded: String(auth.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
           let pair = String(data: data, encoding: .utf8) {
            return pair == "\(credentials.apiKey):\(credentials.password)"
        }
        return false
    }

    /// Leaks the bucket to now and adds one call; returns a `Retry-After` value when full.
    private mutating func takeFromBucket() -> String? {
        guard configuration.rateLimitEnabled else { return nil }
        let t = nowPrecise
        if let last = bucketUpdatedAt, t > last {
            bucketMilli = max(0, bucketMilli - (t - last) * Int64(configuration.leakPerSecond))
        }
        bucketUpdatedAt = t
        let capacity = Int64(configuration.bucketSize) * 1000
        if bucketMilli + 1000 > capacity {
            let waitMs = (bucketMilli + 1000 - capacity + Int64(configuration.leakPerSecond) - 1) / Int64(max(1, configuration.leakPerSecond))
            let tenths = max(1, (waitMs + 99) / 100)
            return "\(tenths / 10).\(tenths % 10)"
        }
        bucketMilli += 1000
        return nil
    }

    /// The bucket's fill as the header reports it (`n/40`).
    var callLimitHeader: String {
        var level = bucketMilli
        if let last = bucketUpdatedAt, nowPrecise > last {
            level = max(0, level - (nowPrecise - last) * Int64(configuration.leakPerSecond))
        }
        return "\((level + 999) / 1000)/\(configuration.bucketSize)"
    }

    private func finish(_ response: StoreResponse, request: StoreRequest, callLimit: Bool) -> StoreResponse {
        var r = response
        r.headers["Date"] = ISO8601Time.httpDate(nowPrecise)
        if callLimit {
            r.headers["X-Shopify-Shop-Api-Call-Limit"] = configuration.rateLimitEnabled ? callLimitHeader : "0/\(configuration.bucketSize)"
        }
        let segments = request.path.split(separator: "/")
        if segments.count > 2, segments[0] == "admin" { r.headers["X-Shopify-API-Version"] = String(segments[2]) }
        return r
    }

    private static func id(_ segment: String) throws -> Int {
        guard segment.hasSuffix(".json"), let id = Int(segment.dropLast(5)) else { throw notFound() }
        return id
    }

    private static func plainID(_ segment: String) throws -> Int {
        guard let id = Int(segment) else { throw notFound() }
        return id
    }

    private mutating func route(_ s: [String], _ r: StoreRequest) throws -> StoreResponse {
        let m = r.method
        func ok(_ v: JSONValue) -> StoreResponse { .json(200, v) }
        func created(_ v: JSONValue) -> StoreResponse { .json(201, v) }
        func body(_ root: String) throws -> [String: JSONValue] { try Self.rootObject(r.body, root) }
        switch (m, s.count, s.first ?? "") {
        case (.get, 1, "shop.json"):
            return ok(["shop": shopJSON()])
        case (.get, 1, "locations.json"):
            return ok(["locations": [["id": .integer(configuration.primaryLocationID), "name": "Bodega principal", "active": true, "legacy": false,
                                      "country_code": "MX", "address1": "Av. Paseo de la Reforma 222", "city": "Ciudad de México"]]])

        // Customers
        case (.get, 1, "customers.json"): return try listCustomers(r)
        case (.post, 1, "customers.json"): return created(["customer": try createCustomer(try body("customer"))])
        case (.get, 2, "customers") where s[1] == "count.json": return ok(try countCustomers(r))
        case (.get, 2, "customers") where s[1] == "search.json": return try searchCustomers(r)
        case (.get, 2, "customers"): return ok(["customer": try getCustomer(try Self.id(s[1]))])
        case (.put, 2, "customers"): return ok(["customer": try updateCustomer(try Self.id(s[1]), try body("customer"))])
        case (.delete, 2, "customers"): try deleteCustomer(try Self.id(s[1])); return ok([:])
        case (.get, 3, "customers") where s[2] == "metafields.json", (.get, 3, "products") where s[2] == "metafields.json":
            return ok(try listMetafields(owner: s[0], id: try Self.plainID(s[1]), request: r))
        case (.post, 3, "customers") where s[2] == "metafields.json", (.post, 3, "products") where s[2] == "metafields.json":
            return created(try upsertMetafield(owner: s[0], id: try Self.plainID(s[1]), try body("metafield")))

        // Products and variants
        case (.get, 1, "products.json"): return try listProducts(r)
        case (.post, 1, "products.json"): return created(["product": try createProduct(try body("product"))])
        case (.get, 2, "products") where s[1] == "count.json": return ok(try countProducts(r))
        case (.get, 2, "products"): return ok(["product": try getProduct(try Self.id(s[1]))])
        case (.put, 2, "products"): return ok(["product": try updateProduct(try Self.id(s[1]), try body("product"))])
        case (.delete, 2, "products"): try deleteProduct(try Self.id(s[1])); return ok([:])
        case (.get, 3, "products") where s[2] == "variants.json": return ok(try listVariants(productID: try Self.plainID(s[1]), request: r))
        case (.post, 3, "products") where s[2] == "variants.json":
            return created(["variant": try createVariant(productID: try Self.plainID(s[1]), try body("variant"))])
        case (.get, 3, "products") where s[2] == "variants" || s[2] == "count.json": throw Self.notFound()
        case (.get, 4, "products") where s[2] == "variants":
            let pid = try Self.plainID(s[1]), vid = try Self.id(s[3])
            guard variantOwner[vid] == pid else { throw Self.notFound() }
            return ok(["variant": try getVariant(vid)])
        case (.delete, 4, "products") where s[2] == "variants":
            try deleteVariant(productID: try Self.plainID(s[1]), variantID: try Self.id(s[3])); return ok([:])
        case (.get, 2, "variants"): return ok(["variant": try getVariant(try Self.id(s[1]))])
        case (.put, 2, "variants"): return ok(["variant": try updateVariant(try Self.id(s[1]), try body("variant"))])

        // Inventory
        case (.get, 1, "inventory_levels.json"): return ok(try listLevels(r))
        case (.post, 2, "inventory_levels") where s[1] == "set.json": return ok(try setLevel(try Self.rootObject(wrapping: r.body)))
        case (.post, 2, "inventory_levels") where s[1] == "adjust.json": return ok(try adjustLevel(try Self.rootObject(wrapping: r.body)))

        // Orders
        case (.get, 1, "orders.json"): return try listOrders(r)
        case (.post, 1, "orders.json"): return created(["order": try createOrder(try body("order"), sourceName: "api")])
        case (.get, 2, "orders") where s[1] == "count.json": return ok(try countOrders(r))
        case (.get, 2, "orders"): return ok(["order": try getOrder(try Self.id(s[1]))])
        case (.put, 2, "orders"): return ok(["order": try updateOrder(try Self.id(s[1]), try body("order"))])
        case (.delete, 2, "orders"):
            let id = try Self.id(s[1])
            guard let o = orders[id] else { throw Self.notFound() }
            guard o.cancelledAt != nil || o.closedAt != nil else { throw Self.unprocessable("base", "Only cancelled or closed orders can be deleted") }
            orders[id] = nil
            return ok([:])
        case (.post, 3, "orders") where s[2] == "cancel.json":
            let input = (try? JSONValue.parse(r.body))?.object ?? [:]
            return ok(["order": try cancelOrder(try Self.plainID(s[1]), input.merging(r.query.map { ($0.name, JSONValue.string($0.value)) }) { a, _ in a })])
        case (.post, 3, "orders") where s[2] == "close.json": return ok(["order": try closeOrder(try Self.plainID(s[1]), open: false)])
        case (.post, 3, "orders") where s[2] == "open.json": return ok(["order": try closeOrder(try Self.plainID(s[1]), open: true)])
        case (.get, 3, "orders") where s[2] == "refunds.json":
            let id = try Self.plainID(s[1])
            guard let o = orders[id] else { throw Self.notFound() }
            return ok(["refunds": .array(o.refunds.map { refundJSON($0, order: o) })])
        case (.post, 3, "orders") where s[2] == "refunds.json": return created(try refundOrder(try Self.plainID(s[1]), try body("refund")))
        case (.post, 4, "orders") where s[2] == "refunds" && s[3] == "calculate.json":
            return ok(try refundOrder(try Self.plainID(s[1]), try body("refund"), dryRun: true))
        case (.get, 3, "orders") where s[2] == "transactions.json":
            let id = try Self.plainID(s[1])
            guard let o = orders[id] else { throw Self.notFound() }
            let all = o.transactions + o.refunds.flatMap(\.transactions)
            return ok(["transactions": .array(all.sorted { $0.id < $1.id }.map { transactionJSON($0, orderID: id) })])
        case (.post, 3, "orders") where s[2] == "transactions.json": return created(try recordPayment(try Self.plainID(s[1]), try body("transaction")))
        case (.post, 3, "orders") where s[2] == "fulfillments.json":
            let input = (try? JSONValue.parse(r.body))?["fulfillment"]?.object ?? [:]
            return created(try fulfillOrder(try Self.plainID(s[1]), input))

        // Webhooks
        case (.get, 1, "webhooks.json"): return ok(listWebhooks(r))
        case (.post, 1, "webhooks.json"): return created(try createWebhook(try body("webhook")))
        case (.get, 2, "webhooks") where s[1] == "count.json": return ok(webhookCount(r))
        case (.get, 2, "webhooks"): return ok(try getWebhook(try Self.id(s[1])))
        case (.put, 2, "webhooks"): return ok(try updateWebhook(try Self.id(s[1]), try body("webhook")))
        case (.delete, 2, "webhooks"): try deleteWebhook(try Self.id(s[1])); return ok([:])
        default:
            throw Self.notFound()
        }
    }

    /// Inventory endpoints take their fields at the top level of the body.
    static func rootObject(wrapping body: Data) throws -> [String: JSONValue] {
        guard let doc = try? JSONValue.parse(body), let obj = doc.object else { throw badRequest("inventory_level") }
        return obj
    }
}
