import Foundation
internal import GraphQL

/// Relay connections over records sorted by id: `first`/`after`, opaque cursors, `pageInfo`.
///
/// The cursor is the base64 of the last id seen, so paging stays stable while records are added
/// (new ids are larger). `first` is required and at most 250, as Shopify requires — except in
/// a bulk export, where every connection hands over all its nodes (``exportsWholeConnections``).
enum ShopifyGraphQLConnection {
    static let maximumPageSize = 250

    /// Set while a bulk operation's query runs: connections ignore `first`/`after` and answer
    /// every node, as Shopify's bulk exports do.
    @TaskLocal static var exportsWholeConnections = false

    /// The page size from `first`, or Shopify's error when it is missing or out of range.
    static func pageSize(_ args: Map) throws -> Int {
        guard let first = args["first"].int else {
            throw ShopifyGraphQLError(message: "you must provide one of first or last")
        }
        guard first >= 0, first <= maximumPageSize else {
            throw ShopifyGraphQLError(message: "The first argument must be between 0 and \(maximumPageSize) (it was \(first)).")
        }
        return first
    }

    static func cursor(_ id: Int) -> String {
        Data("{\"last_id\":\(id)}".utf8).base64EncodedString()
    }

    /// The id inside an `after` cursor; a cursor this emulator did not make is an error.
    static func afterID(_ args: Map) throws -> Int? {
        guard let after = args["after"].string else { return nil }
        guard let data = Data(base64Encoded: after), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("{\"last_id\":"), text.hasSuffix("}"),
              let id = Int(text.dropFirst("{\"last_id\":".count).dropLast()) else {
            throw ShopifyGraphQLError(message: "Invalid cursor for current pagination sort.")
        }
        return id
    }

    /// One page of `items` (already filtered, sorted by id) as a connection object.
    static func page<Item: Sendable>(_ items: [Item], id: (Item) -> Int, args: Map,
                                     node: (Item) -> ShopifyGraphQLObject) throws -> ShopifyGraphQLObject {
        let whole = exportsWholeConnections
        let size = whole ? items.count : try pageSize(args)
        let after = whole ? nil : try afterID(args)
        let start = after.map { a in items.firstIndex { id($0) > a } ?? items.count } ?? 0
        let end = min(items.count, start + size)
        let slice = items[start..<end]
        let nodes: [(any Sendable)?] = slice.map { node($0) }
        let cursors = slice.map { cursor(id($0)) }
        let edges: [(any Sendable)?] = zip(cursors, nodes).map { c, n in ShopifyGraphQLObject.values(["cursor": c, "node": n]) }
        let pageInfo = ShopifyGraphQLObject.values([
            "hasNextPage": end < items.count,
            "hasPreviousPage": start > 0,
            "startCursor": cursors.first,
            "endCursor": cursors.last,
        ])
        return ShopifyGraphQLObject.values(["edges": edges, "nodes": nodes, "pageInfo": pageInfo])
    }
}
