import Foundation
import Testing
@testable import Connectors
@testable import SyncCore

/// Reading a bulk export back: children joined to their parent by `__parentId` wherever they are
/// in the file (since 2026-01 Shopify does not group them), nothing lost, memory by lines not bytes.
@Suite("Shopify bulk result files")
struct ShopifyBulkResultFileTests {
    /// Writes `lines` (joined by `\n`) to a private temporary file; its path.
    static func file(_ lines: [String], _ name: String = #function) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-test-\(getpid())-\(name.filter(\.isLetter)).jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: url)
        return url.path
    }

    static func roots(_ path: String, connections: [String: String] = ["ProductVariant": "variants"], batch: Int = 250) async throws
        -> (nodes: [Result<JSONValue, ShopifyBulkResultError>], batches: [Int]) {
        let file = try ShopifyBulkResultFile(path: path, connections: connections)
        var nodes: [Result<JSONValue, ShopifyBulkResultError>] = []
        var batches: [Int] = []
        try await file.forEachRoot(batch: batch) { page in
            nodes += page
            batches.append(page.count)
        }
        return (nodes, batches)
    }

    static func variantIDs(_ node: Result<JSONValue, ShopifyBulkResultError>) -> [String] {
        ((try? node.get())?["variants"]?["nodes"]?.array ?? []).compactMap { $0["id"]?.string }
    }

    @Test("children before, after and far from their parent are joined under the connection, in file order; the parent key is dropped")
    func ungrouped() async throws {
        let path = try Self.file([
            #"{"id":"gid://shopify/ProductVariant/12","sku":"B-2","__parentId":"gid://shopify/Product/2"}"#,
            #"{"id":"gid://shopify/Product/1","title":"Café"}"#,
            #"{"id":"gid://shopify/ProductVariant/11","sku":"A-1","__parentId":"gid://shopify/Product/1"}"#,
            #"{"id":"gid://shopify/Product/2","title":"Té"}"#,
            #"{"id":"gid://shopify/Product/3","title":"Sin variantes"}"#,
            #"{"id":"gid://shopify/ProductVariant/13","sku":"B-3","__parentId" : "gid://shopify/Product/2"}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (nodes, _) = try await Self.roots(path)
        #expect(nodes.compactMap { try? $0.get()["id"]?.string } == ["gid://shopify/Product/1", "gid://shopify/Product/2", "gid://shopify/Product/3"])
        #expect(nodes.map(Self.variantIDs) == [["gid://shopify/ProductVariant/11"], ["gid://shopify/ProductVariant/12", "gid://shopify/ProductVariant/13"], []])
        let variant = try #require(try nodes[1].get()["variants"]?["nodes"]?[0])
        #expect(variant == ["id": "gid://shopify/ProductVariant/12", "sku": "B-2"])
        #expect(try nodes[2].get()["variants"] == nil)
    }

    @Test("a __parentId inside a string value is not a parent key; blank lines, CRLF and a missing final newline are fine")
    func escapedAndBlank() async throws {
        let path = try Self.file([
            #"{"id":"gid://shopify/Customer/1","note":"says \"__parentId\":\"gid://shopify/Customer/9\" here"}"#, "", "  ",
            #"{"id":"gid://shopify/Customer/2","note":null}"# + "\r",
            #"{"id":"gid://shopify/Customer/3"}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (nodes, _) = try await Self.roots(path, connections: [:])
        #expect(nodes.compactMap { try? $0.get()["id"]?.string } == ["gid://shopify/Customer/1", "gid://shopify/Customer/2", "gid://shopify/Customer/3"])
    }

    @Test("a line that is not JSON, and a child of a type the query did not ask for, come back as failures with what was wrong; the rest is read")
    func failures() async throws {
        let path = try Self.file([
            #"{"id":"gid://shopify/Product/1","title":"Café"}"#,
            #"{"id":"gid://shopify/Product/2", truncated"#,
            #"{"id":"gid://shopify/Product/3","title":"Té"}"#,
            #"{"id":"gid://shopify/Metafield/5","__parentId":"gid://shopify/Product/3"}"#,
            #"{"id":"gid://shopify/Product/4","title":"Mate"}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (nodes, _) = try await Self.roots(path)
        #expect(nodes.count == 4)
        #expect(try nodes[0].get()["title"] == "Café" && nodes[3].get()["title"] == "Mate")
        guard case .failure(.notJSON(let line)) = nodes[1] else { Issue.record("expected notJSON, got \(nodes[1])"); return }
        #expect(line.contains("truncated"))
        #expect(nodes[2] == .failure(.unexpectedChild(parent: "gid://shopify/Product/3", child: "gid://shopify/Metafield/5")))
    }

    @Test("60,000 lines across 1 MiB reads are indexed and handed on in batches, every child joined")
    func large() async throws {
        var lines: [String] = []
        for i in 1...30_000 {
            lines.append(#"{"id":"gid://shopify/Product/\#(i)","title":"Producto \#(i) con un título largo para cruzar lecturas"}"#)
        }
        for i in (1...30_000).reversed() {
            lines.append(#"{"id":"gid://shopify/ProductVariant/\#(i)","sku":"SKU-\#(i)","__parentId":"gid://shopify/Product/\#(i)"}"#)
        }
        let path = try Self.file(lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 > 3 << 20)
        let (nodes, batches) = try await Self.roots(path, batch: 250)
        #expect(batches.count == 120 && batches.allSatisfy { $0 == 250 })
        #expect(nodes.enumerated().allSatisfy { i, node in Self.variantIDs(node) == ["gid://shopify/ProductVariant/\(i + 1)"] })
    }
}
