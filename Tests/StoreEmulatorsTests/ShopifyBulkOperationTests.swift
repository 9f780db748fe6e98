import Foundation
import StoreEmulators
import SyncCore
import Testing

extension ShopifyHarness {
    /// GraphQL on a chosen API version (bulk concurrency depends on it).
    func graphQL(version: String, _ query: String, variables: JSONValue = [:]) -> Reply {
        send(.post, "/admin/api/\(version)/graphql.json", body: ["query": .string(query), "variables": variables])
    }

    /// Starts a bulk query; the payload (`bulkOperation`, `userErrors`).
    func startBulk(_ query: String, version: String = "2026-10") -> JSONValue {
        graphQL(version: version, "mutation Run($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id status url objectCount } userErrors { field message code } } }",
                variables: ["q": .string(query)]).json["data"]?["bulkOperationRunQuery"] ?? .null
    }

    /// One status read of operation `id`.
    func bulkStatus(_ id: String) -> JSONValue {
        graphQL(version: "2026-10", "query S($id: ID!) { bulkOperation(id: $id) { id status errorCode url objectCount rootObjectCount fileSize query completedAt } }",
                variables: ["id": .string(id)]).json["data"]?["bulkOperation"] ?? .null
    }

    /// The result file's lines, downloaded from the operation's URL with no credentials.
    func bulkLines(_ url: String) throws -> [JSONValue] {
        let path = try #require(URL(string: url)?.path)
        let r = send(.get, path, headers: HeaderFields())
        try #require(r.status == 200, "download answered \(r.status)")
        return try String(decoding: r.raw, as: UTF8.self).split(separator: "\n").map { try JSONValue.parse(String($0)) }
    }
}

@Suite("Shopify emulator: bulk query operations")
struct ShopifyBulkOperationTests {
    static let products = "{ products { edges { node { id title variants { edges { node { id sku } } } } } } }"

    @Test("an export walks CREATED → RUNNING → COMPLETED as it is polled; every product and variant is a line, variants by __parentId, some before their product")
    func exportFlattensNestedConnections() throws {
        let h = ShopifyHarness()
        for p in 0..<7 {
            try h.createProduct(title: "Producto \(p)", variants: (0...(p % 3)).map { ("V\($0)", "SKU-\(p)-\($0)", "10.00", 1) })
        }
        let started = h.startBulk(Self.products)
        #expect(started["userErrors"]?.array == [])
        let id = try #require(started["bulkOperation"]?["id"]?.string)
        #expect(started["bulkOperation"]?["status"] == "CREATED")
        #expect(started["bulkOperation"]?["url"] == .null, "no file before it completes")
        #expect(h.bulkStatus(id)["status"] == "RUNNING")
        let done = h.bulkStatus(id)
        #expect(done["status"] == "COMPLETED")
        #expect(done["query"]?.string == Self.products)
        let lines = try h.bulkLines(try #require(done["url"]?.string))

        let shopProducts = h.shop.products()
        let productIDs = shopProducts.compactMap { $0["id"]?.int }.map { "gid://shopify/Product/\($0)" }
        let roots = lines.filter { $0["__parentId"] == nil }
        #expect(roots.compactMap { $0["id"]?.string }.sorted() == productIDs.sorted())
        #expect(roots.allSatisfy { $0["variants"] == nil }, "the nested connection is not inside its parent's line")
        var expected: [String: String] = [:]
        for p in shopProducts {
            for v in p["variants"]?.array ?? [] { expected[v["sku"]?.string ?? ""] = "gid://shopify/Product/\(p["id"]?.int ?? 0)" }
        }
        let children = lines.filter { $0["__parentId"] != nil }
        #expect(Dictionary(uniqueKeysWithValues: children.compactMap { c in c["sku"]?.string.map { ($0, c["__parentId"]?.string ?? "") } }) == expected)
        #expect(children.count == expected.count, "each variant once")
        let position = Dictionary(uniqueKeysWithValues: lines.enumerated().compactMap { i, l in l["id"]?.string.map { ($0, i) } })
        #expect(children.contains { (position[$0["__parentId"]?.string ?? ""] ?? 0) > (position[$0["id"]?.string ?? ""] ?? 0) },
                "ungrouped: some child comes before its parent, so a client must join by __parentId")
        #expect(done["objectCount"] == .string(String(lines.count)), "UnsignedInt64 counts come as strings")
        #expect(done["rootObjectCount"] == .string(String(roots.count)))
        #expect(h.shop.bulkOperationsRun == 1)
    }

    @Test("the export shows the shop as it was when the operation was created, whatever changes while it runs")
    func exportIsASnapshotAtCreation() throws {
        let h = ShopifyHarness()
        let c = try h.shop.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: "Ruiz")
        let id = try #require(h.startBulk("{ customers { nodes { id firstName } } }")["bulkOperation"]?["id"]?.string)
        h.clock.advance(by: 1_000)
        _ = try h.shop.updateCustomer(id: try #require(c["id"]?.int), ["first_name": "Anita"])
        _ = try h.shop.createCustomer(email: "luis@example.mx", firstName: "Luis", lastName: "Paz")
        _ = h.bulkStatus(id)
        let lines = try h.bulkLines(try #require(h.bulkStatus(id)["url"]?.string))
        #expect(lines.map { $0["firstName"] } == ["Ana"])
    }

    @Test("queries that cannot run in bulk are refused with INVALID user errors on `query`, and nothing starts")
    func badBulkQueriesAreRefused() throws {
        let h = ShopifyHarness()
        let cases: [(String, String)] = [
            ("{ shop { name } }", "at least one connection"),
            ("mutation { customerCreate(input: {email: \"a@b.mx\"}) { userErrors { message } } }", "query operations"),
            ("{ products { edges { node { title variants { edges { node { id } } } } } } }", "must select the 'id' field"),
            ("{ customers { nodes { id nickname } } }", "Invalid bulk query"),
            ("{ customers { nodes { id ", "Invalid bulk query"),
        ]
        for (query, says) in cases {
            let payload = h.startBulk(query)
            let error = try #require(payload["userErrors"]?.array?.first, "refused: \(query)")
            #expect(error["code"] == "INVALID")
            #expect(error["field"] == ["query"])
            #expect(error["message"]?.string?.contains(says) == true, "\(error["message"] ?? .null) says \(says)")
            #expect(payload["bulkOperation"] == .null)
        }
        #expect(h.shop.bulkOperationsRun == 0)
    }

    @Test("one export at a time before API 2026-01 (OPERATION_IN_PROGRESS), five from 2026-01 (then LIMIT_REACHED)")
    func concurrencyFollowsTheAPIVersion() throws {
        let old = ShopifyHarness()
        _ = old.startBulk("{ customers { nodes { id } } }", version: "2025-10")
        let refused = try #require(old.startBulk("{ products { nodes { id } } }", version: "2025-10")["userErrors"]?.array?.first)
        #expect(refused["code"] == "OPERATION_IN_PROGRESS")
        #expect(refused["message"]?.string?.contains("already in progress") == true)

        let new = ShopifyHarness()
        for _ in 0..<5 { #expect(new.startBulk("{ customers { nodes { id } } }")["userErrors"]?.array == []) }
        let sixth = try #require(new.startBulk("{ customers { nodes { id } } }")["userErrors"]?.array?.first)
        #expect(sixth["code"] == "LIMIT_REACHED")
        #expect(new.shop.bulkOperationsUnderWay == 5)
    }

    @Test("a planned failure ends the export FAILED with its error code and no file")
    func failedExport() throws {
        let h = ShopifyHarness()
        _ = try h.shop.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: "Ruiz")
        h.shop.failNextBulkOperations(errorCode: "TIMEOUT")
        let id = try #require(h.startBulk("{ customers { nodes { id } } }")["bulkOperation"]?["id"]?.string)
        _ = h.bulkStatus(id)
        let failed = h.bulkStatus(id)
        #expect(failed["status"] == "FAILED")
        #expect(failed["errorCode"] == "TIMEOUT")
        #expect(failed["url"] == .null)
        let next = try #require(h.startBulk("{ customers { nodes { id } } }")["bulkOperation"]?["id"]?.string)
        _ = h.bulkStatus(next)
        #expect(h.bulkStatus(next)["status"] == "COMPLETED", "one failure planned, one spent")
    }

    @Test("a result expires 7 days after completion: EXPIRED, no url, and the old link answers 403; an unknown link 404")
    func resultsExpire() throws {
        let h = ShopifyHarness()
        _ = try h.shop.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: "Ruiz")
        let id = try #require(h.startBulk("{ customers { nodes { id } } }")["bulkOperation"]?["id"]?.string)
        _ = h.bulkStatus(id)
        let url = try #require(h.bulkStatus(id)["url"]?.string)
        h.clock.advance(by: 7 * 86_400_000 - 1_000)
        #expect(h.send(.get, try #require(URL(string: url)?.path), headers: HeaderFields()).status == 200, "still there a second before")
        h.clock.advance(by: 1_000)
        let expired = h.bulkStatus(id)
        #expect(expired["status"] == "EXPIRED")
        #expect(expired["url"] == .null)
        #expect(h.send(.get, try #require(URL(string: url)?.path), headers: HeaderFields()).status == 403)
        #expect(h.send(.get, "/bulk-results/0123.jsonl", headers: HeaderFields()).status == 404)
    }

    @Test("currentBulkOperation is the latest export; a running one can be cancelled, a finished one cannot")
    func currentAndCancel() throws {
        let h = ShopifyHarness()
        let first = try #require(h.startBulk("{ customers { nodes { id } } }")["bulkOperation"]?["id"]?.string)
        let cancel = "mutation C($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { message } } }"
        let cancelled = h.graphQL(version: "2026-10", cancel, variables: ["id": .string(first)]).json["data"]?["bulkOperationCancel"]
        #expect(cancelled?["bulkOperation"]?["status"] == "CANCELING")
        #expect(h.bulkStatus(first)["status"] == "CANCELED")
        let second = try #require(h.startBulk("{ products { nodes { id } } }")["bulkOperation"]?["id"]?.string)
        let current = h.graphQL(version: "2026-10", "{ currentBulkOperation(type: QUERY) { id status query } }").json["data"]?["currentBulkOperation"]
        #expect(current?["id"]?.string == second)
        #expect(current?["query"] == "{ products { nodes { id } } }")
        _ = h.bulkStatus(second)
        let again = h.graphQL(version: "2026-10", cancel, variables: ["id": .string(second)]).json["data"]?["bulkOperationCancel"]
        #expect(again?["userErrors"]?.array?.first?["message"]?.string?.contains("cannot be canceled") == true)
    }
}
