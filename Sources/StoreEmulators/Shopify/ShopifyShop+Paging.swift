import Foundation
import SyncCore

/// Cursor paging (`page_info` + `Link`) and the list filters shared by every resource.
struct ShopifyListQuery: Sendable {
    var limit: Int
    var fields: [String]?
    /// Filters of the first page, carried inside `page_info` for later pages.
    var filters: [QueryItem]
    /// Page after this id (ascending), or before ``beforeID`` for a previous page.
    var afterID: Int?
    var beforeID: Int?

    func filter(_ name: String) -> String? { filters.first { $0.name == name }?.value }
}

/// The cursor inside an opaque `page_info`.
private struct PageCursor: Codable {
    var direction: String
    var id: Int
    var filters: [[String]]
}

extension ShopifyShop {
    static let pagingParameters: Set<String> = ["limit", "fields", "page_info"]

    /// Reads `limit`, `fields`, `page_info` and the filters; refuses what Shopify refuses.
    func listQuery(_ request: StoreRequest) throws -> ShopifyListQuery {
        var limit = 50
        if let raw = request.queryValue("limit") {
            guard let l = Int(raw), (1...250).contains(l) else {
                throw Self.badParameter("limit", "must be an integer between 1 and 250")
            }
            limit = l
        }
        let fields = request.queryValue("fields").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        guard let pageInfo = request.queryValue("page_info") else {
            let filters = request.query.filter { !Self.pagingParameters.contains($0.name) }
            return ShopifyListQuery(limit: limit, fields: fields, filters: filters)
        }
        if let extra = request.query.first(where: { !Self.pagingParameters.contains($0.name) }) {
            throw Self.badParameter("page_info", "cannot be combined with \(extra.name); with page_info send only limit and fields")
        }
        guard let cursor = Self.decodeCursor(pageInfo) else {
            throw Self.badParameter("page_info", "Invalid value.")
        }
        var q = ShopifyListQuery(limit: limit, fields: fields, filters: cursor.filters.compactMap { $0.count == 2 ? QueryItem($0[0], $0[1]) : nil })
        if cursor.direction == "next" { q.afterID = cursor.id } else { q.beforeID = cursor.id }
        return q
    }

    private static func encodeCursor(_ c: PageCursor) -> String {
        // Sorted keys keep page_info byte-identical across runs (replays compare bytes).
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(c)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func decodeCursor(_ text: String) -> PageCursor? {
        var b = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        guard let data = Data(base64Encoded: b), let c = try? JSONDecoder().decode(PageCursor.self, from: data),
              c.direction == "next" || c.direction == "previous" else { return nil }
        return c
    }

    /// Whether a record passes the common filters (`ids`, `since_id`, `created_at_*`, `updated_at_*`).
    func passesCommonFilters(_ q: ShopifyListQuery, id: Int, createdAt: Int64, updatedAt: Int64) throws -> Bool {
        if let ids = q.filter("ids") {
            let set = Set(ids.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
            if !set.contains(id) { return false }
        }
        if let s = q.filter("since_id") {
            guard let since = Int(s) else { throw Self.badParameter("since_id", "must be an integer") }
            if id <= since { return false }
        }
        for (name, value, isMin) in [("created_at_min", createdAt, true), ("created_at_max", createdAt, false),
                                     ("updated_at_min", updatedAt, true), ("updated_at_max", updatedAt, false)] {
            guard let raw = q.filter(name) else { continue }
            guard let bound = ISO8601Time.parse(raw) else {
                throw Self.badParameter(name, "must be an ISO 8601 time like 2026-11-29T10:00:05-06:00")
            }
            if isMin ? value < bound : value > bound { return false }
        }
        return true
    }

    /// One page of `items` (sorted by id ascending) with its `Link` header.
    func page<Item>(_ items: [Item], id: (Item) -> Int, render: (Item) -> JSONValue, _ q: ShopifyListQuery, root: String,
                    request: StoreRequest) -> StoreResponse {
        // Only the page's own items are rendered: rendering every item for each page made a full
        // scan quadratic (a customer renders its orders), too slow to serve tens of thousands.
        var slice: [Item]
        if let before = q.beforeID {
            let earlier = items.filter { id($0) < before }
            slice = Array(earlier.suffix(q.limit))
        } else {
            let later = q.afterID.map { a in items.filter { id($0) > a } } ?? items
            slice = Array(later.prefix(q.limit))
        }
        var links: [String] = []
        if let first = slice.first.map(id), let last = slice.last.map(id) {
            let base = linkBase(request)
            let filters = q.filters.map { [$0.name, $0.value] }
            var suffix = "&limit=\(q.limit)"
            if let fields = q.fields { suffix += "&fields=" + QueryItem.percentEncode(fields.joined(separator: ",")) }
            if items.contains(where: { id($0) < first }) {
                let c = Self.encodeCursor(PageCursor(direction: "previous", id: first, filters: filters))
                links.append("<\(base)?page_info=\(c)\(suffix)>; rel=\"previous\"")
            }
            if items.contains(where: { id($0) > last }) {
                let c = Self.encodeCursor(PageCursor(direction: "next", id: last, filters: filters))
                links.append("<\(base)?page_info=\(c)\(suffix)>; rel=\"next\"")
            }
        }
        var headers = HeaderFields()
        if !links.isEmpty { headers["Link"] = links.joined(separator: ", ") }
        let body: JSONValue = [root: .array(slice.map { Self.selectFields(render($0), q.fields) })]
        return .json(200, body, headers: headers)
    }

    /// `http://127.0.0.1:port/path` behind the loopback server, else `https://shop/path`.
    func linkBase(_ request: StoreRequest) -> String {
        if let host = request.headers["Host"], !host.isEmpty {
            let local = host.hasPrefix("127.0.0.1") || host.hasPrefix("localhost") || host.hasPrefix("[::1]")
            return "\(local ? "http" : "https")://\(host)\(request.path)"
        }
        return "https://\(configuration.shopDomain)\(request.path)"
    }
}
