import Foundation
import SyncCore

/// A successful answer before the common headers are added.
struct WooReply: Sendable {
    var status: Int
    var body: JSONValue
    var headers = HeaderFields()
}

/// What a route does, for the permission error WooCommerce gives an unauthenticated caller.
enum WooAction: Sendable {
    case list, view, create, edit, delete, batch

    var deniedError: WooCommerceEmulatorError {
        let (code, message): (String, String)
        switch self {
        case .list: (code, message) = ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        case .view: (code, message) = ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.")
        case .create: (code, message) = ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.")
        case .edit: (code, message) = ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.")
        case .delete: (code, message) = ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.")
        case .batch: (code, message) = ("woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource.")
        }
        return WooCommerceEmulatorError(code: code, message: message, status: 401)
    }
}

/// The REST resources the emulator serves, with their path ids.
enum WooResource: Sendable, Hashable {
    case customers, products, orders, taxes, webhooks
    case variations(productID: Int)
    case refunds(orderID: Int)

    var singular: String {
        switch self {
        case .customers: "customer"
        case .products: "product"
        case .orders: "order"
        case .taxes: "tax"
        case .webhooks: "webhook"
        case .variations: "product_variation"
        case .refunds: "order_refund"
        }
    }
}

enum WooEndpoint: Sendable, Hashable {
    case collection(WooResource)
    case item(WooResource, Int)
    case batch(WooResource)
    case currencySetting
    case currentCurrency
}

extension WooCommerceSite {
    static let apiPrefix = "/wp-json/wc/v3/"

    /// Answers one request at site time `now` (set by ``begin(wallMilliseconds:)``).
    mutating func respond(to request: StoreRequest) -> StoreResponse {
        let reply: WooReply
        do {
            reply = try process(request)
        } catch let error as WooCommerceEmulatorError {
            reply = WooReply(status: error.status, body: error.json)
        } catch {
            reply = WooReply(status: 500, body: WooCommerceEmulatorError(code: "internal_server_error", message: "\(error)", status: 500).json)
        }
        var headers = reply.headers
        headers["Date"] = ISO8601Time.httpDate(now)
        headers["X-Robots-Tag"] = "noindex"
        return StoreResponse.json(reply.status, reply.body, headers: headers)
    }

    static let noRoute = WooCommerceEmulatorError(code: "rest_no_route", message: "No route was found matching the URL and request method.", status: 404)

    private mutating func process(_ request: StoreRequest) throws -> WooReply {
        guard request.path.hasPrefix(Self.apiPrefix) else { throw Self.noRoute }
        let auth = authenticate(request)
        if case .failed(let error) = auth { throw error }
        let parts = request.path.dropFirst(Self.apiPrefix.count).split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let endpoint = Self.match(parts), let action = Self.action(endpoint, request.method) else { throw Self.noRoute }
        requestCounts[Self.countKey(request.method, endpoint), default: 0] += 1
        let params = try parseBody(request)
        let query = WooQuery(items: request.query)
        if action == .list {
            _ = try query.int("page", min: 1)
            _ = try query.int("per_page", min: 1, max: 100)
            _ = try query.int("offset")
        }
        if case .anonymous = auth { throw action.deniedError }
        return try dispatch(endpoint, action: action, params: params, query: query)
    }

    static func countKey(_ method: StoreRequest.Method, _ endpoint: WooEndpoint) -> String {
        switch endpoint {
        case .collection(let r): "\(method.rawValue) \(r.singular)s"
        case .item(let r, _): "\(method.rawValue) \(r.singular)"
        case .batch(let r): "\(method.rawValue) \(r.singular)s/batch"
        case .currencySetting: "\(method.rawValue) settings/general/woocommerce_currency"
        case .currentCurrency: "\(method.rawValue) data/currencies/current"
        }
    }

    static func match(_ p: [String]) -> WooEndpoint? {
        func id(_ s: String) -> Int? { s.allSatisfy(\.isNumber) ? Int(s) : nil }
        let top: [String: WooResource] = ["customers": .customers, "products": .products, "orders": .orders, "taxes": .taxes, "webhooks": .webhooks]
        switch p.count {
        case 1:
            if let r = top[p[0]] { return .collection(r) }
        case 2:
            guard let r = top[p[0]] else { return nil }
            if p[1] == "batch" { return .batch(r) }
            if let i = id(p[1]) { return .item(r, i) }
        case 3:
            if p == ["settings", "general", "woocommerce_currency"] { return .currencySetting }
            if p == ["data", "currencies", "current"] { return .currentCurrency }
            guard let parent = id(p[1]) else { return nil }
            if p[0] == "products", p[2] == "variations" { return .collection(.variations(productID: parent)) }
            if p[0] == "orders", p[2] == "refunds" { return .collection(.refunds(orderID: parent)) }
        case 4:
            guard let parent = id(p[1]) else { return nil }
            if p[0] == "products", p[2] == "variations" {
                if p[3] == "batch" { return .batch(.variations(productID: parent)) }
                if let i = id(p[3]) { return .item(.variations(productID: parent), i) }
            }
            if p[0] == "orders", p[2] == "refunds", let i = id(p[3]) { return .item(.refunds(orderID: parent), i) }
        default:
            break
        }
        return nil
    }

    static func action(_ endpoint: WooEndpoint, _ method: StoreRequest.Method) -> WooAction? {
        switch (endpoint, method) {
        case (.collection, .get): return .list
        case (.collection, .post): return .create
        case (.item(.refunds, _), .get): return .view
        case (.item(.refunds, _), .delete): return .delete
        case (.item(.refunds, _), _): return nil
        case (.item, .get): return .view
        case (.item, .post), (.item, .put), (.item, .patch): return .edit
        case (.item, .delete): return .delete
        case (.batch(.refunds), _): return nil
        case (.batch, .post), (.batch, .put), (.batch, .patch): return .batch
        case (.currencySetting, .get), (.currentCurrency, .get): return .view
        default: return nil
        }
    }

    private func parseBody(_ request: StoreRequest) throws -> WooParams {
        var body: [String: JSONValue] = [:]
        for item in request.query where !item.name.hasPrefix("oauth_") && item.name != "consumer_key" && item.name != "consumer_secret" {
            body[item.name] = .string(item.value)
        }
        guard !request.body.isEmpty, request.method != .get else { return WooParams(body: body) }
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        if contentType.contains("application/x-www-form-urlencoded") {
            for item in QueryItem.parseQuery(Substring(String(decoding: request.body, as: UTF8.self))) {
                body[item.name] = .string(item.value)
            }
            return WooParams(body: body)
        }
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(request.body)
        } catch {
            throw WooCommerceEmulatorError(code: "rest_invalid_json", message: "Invalid JSON body passed.", status: 400)
        }
        if let object = parsed.object {
            for (k, v) in object { body[k] = v }
        }
        return WooParams(body: body)
    }

    private mutating func dispatch(_ endpoint: WooEndpoint, action: WooAction, params: WooParams, query: WooQuery) throws -> WooReply {
        switch endpoint {
        case .currencySetting:
            return WooReply(status: 200, body: currencySettingJSON())
        case .currentCurrency:
            return WooReply(status: 200, body: currentCurrencyJSON())
        case .batch(let resource):
            return try batch(resource, params: params)
        case .collection(let resource):
            switch action {
            case .list: return try list(resource, query: query)
            default: return WooReply(status: 201, body: try create(resource, params: params))
            }
        case .item(let resource, let id):
            switch action {
            case .view: return WooReply(status: 200, body: try view(resource, id: id))
            case .delete: return WooReply(status: 200, body: try delete(resource, id: id, force: (try params.bool("force")) ?? false))
            default: return WooReply(status: 200, body: try update(resource, id: id, params: params))
            }
        }
    }

    static func invalidID(_ resource: WooResource) -> WooCommerceEmulatorError {
        switch resource {
        case .products: WooCommerceEmulatorError(code: "woocommerce_rest_product_invalid_id", message: "Invalid ID.", status: 404)
        case .variations: WooCommerceEmulatorError(code: "woocommerce_rest_product_variation_invalid_id", message: "Invalid ID.", status: 404)
        case .orders: WooCommerceEmulatorError(code: "woocommerce_rest_shop_order_invalid_id", message: "Invalid ID.", status: 404)
        case .refunds: WooCommerceEmulatorError(code: "woocommerce_rest_shop_order_refund_invalid_id", message: "Invalid ID.", status: 404)
        case .customers: WooCommerceEmulatorError(code: "woocommerce_rest_customer_invalid_id", message: "Invalid ID.", status: 404)
        case .taxes: WooCommerceEmulatorError(code: "woocommerce_rest_invalid_id", message: "Invalid resource ID.", status: 404)
        case .webhooks: WooCommerceEmulatorError(code: "woocommerce_rest_webhook_invalid_id", message: "Invalid ID.", status: 404)
        }
    }

    static func trashNotSupported(_ what: String) -> WooCommerceEmulatorError {
        WooCommerceEmulatorError(code: "woocommerce_rest_trash_not_supported", message: "\(what) do not support trashing.", status: 501)
    }

    mutating func list(_ resource: WooResource, query: WooQuery) throws -> WooReply {
        let rows: [JSONValue]
        let path: String
        switch resource {
        case .customers: rows = try listCustomers(query); path = "customers"
        case .products: rows = try listProducts(query); path = "products"
        case .variations(let pid): rows = try listVariations(pid, query); path = "products/\(pid)/variations"
        case .orders: rows = try listOrders(query); path = "orders"
        case .refunds(let oid): rows = try listRefunds(oid); path = "orders/\(oid)/refunds"
        case .taxes: rows = try listTaxes(query); path = "taxes"
        case .webhooks: rows = listWebhooks(query); path = "webhooks"
        }
        return try paginate(rows, query: query, path: path)
    }

    mutating func view(_ resource: WooResource, id: Int) throws -> JSONValue {
        switch resource {
        case .customers:
            guard let c = customers[id] else { throw Self.invalidID(resource) }
            return customerJSON(c)
        case .products:
            guard let p = products[id], !p.isVariation else { throw Self.invalidID(resource) }
            return productJSON(p)
        case .variations(let pid):
            guard let v = products[id], v.parentID == pid else { throw Self.invalidID(resource) }
            return variationJSON(v)
        case .orders:
            guard let o = orders[id] else { throw Self.invalidID(resource) }
            return orderJSON(o)
        case .refunds(let oid):
            guard let o = orders[oid], let r = o.refunds.first(where: { $0.id == id }) else { throw Self.invalidID(resource) }
            return refundJSON(r, order: o)
        case .taxes:
            guard let t = taxes[id] else { throw Self.invalidID(resource) }
            return taxJSON(t)
        case .webhooks:
            guard let w = webhooks[id] else { throw Self.invalidID(resource) }
            return webhookJSON(w)
        }
    }

    mutating func create(_ resource: WooResource, params: WooParams) throws -> JSONValue {
        switch resource {
        case .customers: return customerJSON(customers[try createCustomer(params)]!)
        case .products: return productJSON(products[try createProduct(params)]!)
        case .variations(let pid): return variationJSON(products[try createVariation(parentID: pid, params)]!)
        case .orders: return orderJSON(orders[try createOrder(params)]!)
        case .refunds(let oid):
            let rid = try createRefund(orderID: oid, params)
            let order = orders[oid]!
            return refundJSON(order.refunds.first { $0.id == rid }!, order: order)
        case .taxes: return taxJSON(taxes[try createTax(params)]!)
        case .webhooks: return webhookJSON(webhooks[try createWebhook(params)]!)
        }
    }

    mutating func update(_ resource: WooResource, id: Int, params: WooParams) throws -> JSONValue {
        switch resource {
        case .customers: try updateCustomer(id, params); return customerJSON(customers[id]!)
        case .products: try updateProduct(id, params); return productJSON(products[id]!)
        case .variations(let pid): try updateVariation(parentID: pid, id: id, params); return variationJSON(products[id]!)
        case .orders: try updateOrder(id, params); return orderJSON(orders[id]!)
        case .refunds: throw Self.noRoute
        case .taxes: try updateTax(id, params); return taxJSON(taxes[id]!)
        case .webhooks: try updateWebhook(id, params); return webhookJSON(webhooks[id]!)
        }
    }

    mutating func delete(_ resource: WooResource, id: Int, force: Bool) throws -> JSONValue {
        switch resource {
        case .customers: return try deleteCustomer(id, force: force)
        case .products: return try deleteProduct(id, force: force)
        case .variations(let pid): return try deleteVariation(parentID: pid, id: id, force: force)
        case .orders: return try deleteOrder(id, force: force)
        case .refunds(let oid): return try deleteRefund(orderID: oid, id: id, force: force)
        case .taxes: return try deleteTax(id, force: force)
        case .webhooks: return try deleteWebhook(id, force: force)
        }
    }

    /// `POST /{resource}/batch`: creates, then updates, then deletes (forced), at most 100 items.
    mutating func batch(_ resource: WooResource, params: WooParams) throws -> WooReply {
        let create = try params.array("create") ?? []
        let update = try params.array("update") ?? []
        let delete = try params.array("delete") ?? []
        let limit = 100
        guard create.count + update.count + delete.count <= limit else {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_request_entity_too_large", message: "Unable to accept more than \(limit) items for this request.", status: 413)
        }
        func wrap(_ body: () throws -> JSONValue) -> JSONValue {
            do { return try body() } catch let e as WooCommerceEmulatorError {
                return ["id": 0, "error": ["code": .string(e.code), "message": .string(e.message), "data": ["status": .integer(e.status)]]]
            } catch {
                return ["id": 0, "error": ["code": "internal_server_error", "message": .string("\(error)"), "data": ["status": 500]]]
            }
        }
        var result: [String: JSONValue] = [:]
        if params.has("create") {
            result["create"] = .array(create.map { item in
                wrap { try self.create(resource, params: WooParams(body: item.object ?? [:])) }
            })
        }
        if params.has("update") {
            result["update"] = .array(update.map { item in
                wrap {
                    guard let id = item["id"]?.int else { throw Self.invalidID(resource) }
                    return try self.update(resource, id: id, params: WooParams(body: item.object ?? [:]))
                }
            })
        }
        if params.has("delete") {
            result["delete"] = .array(delete.map { item in
                wrap {
                    guard let id = item.int ?? item["id"]?.int else { throw Self.invalidID(resource) }
                    return try self.delete(resource, id: id, force: true)
                }
            })
        }
        return WooReply(status: 200, body: .object(result))
    }

    /// Slices a full, ordered result set by `page`/`per_page`/`offset` and adds the WP paging headers.
    func paginate(_ rows: [JSONValue], query: WooQuery, path: String) throws -> WooReply {
        let perPage = try query.int("per_page", min: 1, max: 100) ?? 10
        let page = try query.int("page", min: 1) ?? 1
        let start = try query.int("offset").map { max(0, $0) } ?? (page - 1) * perPage
        let total = rows.count
        let totalPages = total == 0 ? 0 : (total + perPage - 1) / perPage
        let slice = start < total ? Array(rows[start..<min(total, start + perPage)]) : []
        var headers = HeaderFields()
        headers["X-WP-Total"] = String(total)
        headers["X-WP-TotalPages"] = String(totalPages)
        let kept = query.items.filter { $0.name != "page" && !$0.name.hasPrefix("oauth_") && $0.name != "consumer_key" && $0.name != "consumer_secret" }
        func pageURL(_ n: Int) -> String {
            let items = kept + [QueryItem("page", String(n))]
            return config.siteURL + Self.apiPrefix + path + "?" + items.map { "\(QueryItem.percentEncode($0.name))=\(QueryItem.percentEncode($0.value))" }.joined(separator: "&")
        }
        var links: [String] = []
        if page > 1 { links.append("<\(pageURL(min(page - 1, max(totalPages, 1))))>; rel=\"prev\"") }
        if page < totalPages { links.append("<\(pageURL(page + 1))>; rel=\"next\"") }
        if !links.isEmpty { headers["Link"] = links.joined(separator: ", ") }
        return WooReply(status: 200, body: .array(slice), headers: headers)
    }

    /// Sorts by a key then id, ascending or descending, as WP_Query does with a tiebreak.
    func ordered<T>(_ items: [T], desc: Bool, id: (T) -> Int, key: (T) -> String) -> [T] {
        items.sorted { a, b in
            let ka = key(a), kb = key(b)
            if ka != kb { return desc ? ka > kb : ka < kb }
            return desc ? id(a) > id(b) : id(a) < id(b)
        }
    }

    func currencySettingJSON() -> JSONValue {
        ["id": "woocommerce_currency", "label": "Currency",
         "description": "This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.",
         "type": "select", "default": "USD", "options": .object([config.currency: .string(Self.currencyName(config.currency))]),
         "tip": "This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.",
         "value": .string(config.currency), "group_id": "general",
         "_links": link("settings/general/woocommerce_currency")]
    }

    func currentCurrencyJSON() -> JSONValue {
        ["code": .string(config.currency), "name": .string(Self.currencyName(config.currency)), "symbol": .string(Self.currencySymbol(config.currency)),
         "_links": ["self": [["href": .string(config.siteURL + "/wp-json/wc/v3/data/currencies/" + config.currency)]],
                    "collection": [["href": .string(config.siteURL + "/wp-json/wc/v3/data/currencies")]]]]
    }

    static func currencyName(_ code: String) -> String {
        ["MXN": "Mexican peso", "EUR": "Euro", "USD": "United States (US) dollar", "COP": "Colombian peso", "ARS": "Argentine peso", "CLP": "Chilean peso"][code] ?? code
    }

    static func currencySymbol(_ code: String) -> String {
        ["MXN": "&#36;", "EUR": "&euro;", "USD": "&#36;", "COP": "&#36;", "ARS": "&#36;", "CLP": "&#36;"][code] ?? code
    }
}
