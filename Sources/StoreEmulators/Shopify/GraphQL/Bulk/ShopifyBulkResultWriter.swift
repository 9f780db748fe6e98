import Foundation
internal import GraphQL
import SyncCore

/// Writes a bulk query's answer as Shopify's JSONL: one object a line, connection wrappers
/// (`edges`/`node`, `nodes`, `pageInfo`) gone, each nested connection's nodes on lines of their
/// own carrying `__parentId`, the id of the node they hang under.
///
/// Ungrouped (`groupObjects: false`, the default since 2026-01), Shopify promises no order between
/// a parent and its children, and the writer makes use of that freedom so clients cannot lean on
/// one: the children of every second top-level node come *before* it, the others' go to the end
/// of the file. Grouped, each node is followed by its children.
struct ShopifyBulkResultWriter {
    let grouped: Bool

    struct Output {
        var jsonl = Data()
        var objectCount = 0
        var rootObjectCount = 0
    }

    /// The JSONL of `data` (the executor's answer to the bulk query).
    func write(_ data: Map) -> Output {
        var out = Output()
        var deferred: [[UInt8]] = []
        guard case .dictionary(let top) = data else { return out }
        for (_, value) in top {
            for (index, node) in Self.nodes(ofConnection: value).enumerated() {
                var lines: [[UInt8]] = []
                Self.flatten(node, parentID: nil, into: &lines)
                guard let own = lines.first else { continue }
                let children = lines.dropFirst()
                out.rootObjectCount += 1
                out.objectCount += lines.count
                if grouped {
                    lines.forEach { out.append($0) }
                } else if index % 2 == 1 {
                    children.forEach { out.append($0) }
                    out.append(own)
                } else {
                    out.append(own)
                    deferred.append(contentsOf: children)
                }
            }
        }
        deferred.forEach { out.append($0) }
        return out
    }

    /// The nodes of a connection value (`edges[].node` or `nodes[]`); empty when it is none.
    static func nodes(ofConnection value: Map) -> [Map] {
        guard case .dictionary(let connection) = value else { return [] }
        if let edges = connection["edges"]?.array { return edges.compactMap { $0.dictionary?["node"] } }
        return connection["nodes"]?.array ?? []
    }

    /// Whether an object value is a connection (only connection keys).
    static func isConnection(_ value: Map) -> Bool {
        guard case .dictionary(let d) = value, d["edges"] != nil || d["nodes"] != nil else { return false }
        return d.keys.allSatisfy { $0 == "edges" || $0 == "nodes" || $0 == "pageInfo" }
    }

    /// `node`'s line first, then its descendants' lines (each after its own parent).
    static func flatten(_ node: Map, parentID: String?, into lines: inout [[UInt8]]) {
        var nested: [Map] = []
        guard var object = strip(node, nested: &nested).object else { return }
        if let parentID { object["__parentId"] = .string(parentID) }
        lines.append(JSONValue.object(object).serialized())
        let id = object["id"]?.string
        for connection in nested {
            for child in nodes(ofConnection: connection) { flatten(child, parentID: id, into: &lines) }
        }
    }

    /// The value as JSON with every nested connection taken out (collected in `nested`).
    static func strip(_ value: Map, nested: inout [Map]) -> JSONValue {
        guard case .dictionary(let d) = value else { return ShopifyShop.json(value) }
        var out: [String: JSONValue] = [:]
        for (key, field) in d {
            if isConnection(field) {
                nested.append(field)
            } else {
                out[key] = strip(field, nested: &nested)
            }
        }
        return .object(out)
    }
}

extension ShopifyBulkResultWriter.Output {
    mutating func append(_ line: [UInt8]) {
        jsonl.append(contentsOf: line)
        jsonl.append(UInt8(ascii: "\n"))
    }
}
