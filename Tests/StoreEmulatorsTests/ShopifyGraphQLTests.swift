import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import StoreEmulators
import SyncCore
import Testing

extension ShopifyHarness {
    /// Sends a GraphQL request to `graphql.json` through the pure handler.
    func graphQL(_ query: String, variables: JSONValue = [:]) -> Reply {
        send(.post, "graphql.json", body: ["query": .string(query), "variables": variables])
    }
}

@Suite struct ShopifyGraphQLTests {
    @Test func aliasesVariablesAndFragmentsRunThroughTheExecutor() throws {
        let h = ShopifyHarness()
        let c = try h.shop.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: "Ruiz")
        let id = try #require(c["id"]?.int)
        let r = h.graphQL("""
            query One($id: ID!, $missing: ID!) {
              who: customer(id: $id) { ...Person }
              nobody: customer(id: $missing) { id }
              shop { name currencyCode ianaTimezone }
            }
            fragment Person on Customer { id mail: email firstName }
            """, variables: ["id": .string("gid://shopify/Customer/\(id)"), "missing": "gid://shopify/Customer/1"])
        #expect(r.status == 200)
        #expect(r.json["errors"] == nil)
        #expect(r.json["data"]?["who"]?["id"] == .string("gid://shopify/Customer/\(id)"))
        #expect(r.json["data"]?["who"]?["mail"] == "ana@example.mx")
        #expect(r.json["data"]?["nobody"] == .null)
        #expect(r.json["data"]?["shop"]?["currencyCode"] == "MXN")
    }

    @Test func pagingVisitsEveryRecordOnceAndFiltersByUpdatedAt() throws {
        let h = ShopifyHarness()
        h.shop.seed(customers: 23, products: 12, orders: 9)
        for (root, count) in [("customers", 23), ("products", 12), ("orders", 9)] {
            var seen: [String] = [], after: JSONValue = .null
            while true {
                let r = h.graphQL("query P($after: String) { \(root)(first: 5, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }",
                                  variables: ["after": after])
                let conn = try #require(r.json["data"]?[root])
                seen += conn["edges"]?.array?.compactMap { $0["node"]?["id"]?.string } ?? []
                guard conn["pageInfo"]?["hasNextPage"]?.bool == true else { break }
                after = conn["pageInfo"]?["endCursor"] ?? .null
            }
            #expect(seen.count == count)
            #expect(Set(seen).count == count)
        }
        h.clock.advance(by: 60_000)
        let cutoff = ISO8601Time.format(h.shop.storeNowMilliseconds - 1000, offsetMinutes: 0)
        let first = try #require(h.shop.customers().first?["id"]?.int)
        _ = try h.shop.updateCustomer(id: first, ["note": "changed"])
        let r = h.graphQL("{ customers(first: 50, query: \"updated_at:>'\(cutoff)'\") { nodes { id note } } }")
        #expect(r.json["data"]?["customers"]?["nodes"]?.array?.map { $0["id"] } == [.string("gid://shopify/Customer/\(first)")])
    }

    @Test func costFollowsShopifyRulesAndTheBucketThrottles() throws {
        let h = ShopifyHarness { $0.graphQLMaximumAvailable = 100; $0.graphQLRestoreRate = 100 }
        h.shop.seed(customers: 60, products: 0, orders: 0)
        // customers(first: 50) { nodes { id } } = connection 2 + 50 × (node object 1, id scalar 0) = 52.
        let q = "{ customers(first: 50) { nodes { id } } }"
        let one = h.graphQL(q)
        #expect(one.json["extensions"]?["cost"]?["requestedQueryCost"] == 52)
        #expect(one.json["extensions"]?["cost"]?["actualQueryCost"] == 52)
        #expect(one.json["extensions"]?["cost"]?["throttleStatus"]?["currentlyAvailable"] == 48)
        let two = h.graphQL(q)
        #expect(two.json["errors"]?[0]?["message"] == "Throttled")
        #expect(two.json["errors"]?.array?.first?["extensions"]?["code"] == "THROTTLED")
        #expect(two.json["extensions"]?["cost"]?["throttleStatus"]?["currentlyAvailable"] == 48)
        h.clock.advance(by: 40)  // (52 − 48) points at 100 points/s
        let three = h.graphQL(q)
        #expect(three.json["errors"] == nil)
        #expect(three.json["extensions"]?["cost"]?["throttleStatus"]?["currentlyAvailable"] == 0)
    }

    @Test func actualCostCountsWhatCameBack() throws {
        let h = ShopifyHarness()
        h.shop.seed(customers: 3, products: 0, orders: 0)
        // requested: customers 2 + 10 × (node 1 + defaultAddress 1) = 22; shop 1 → 23.
        // actual: 2 + 3 × 2 = 8 for the customers; shop 1 → 9 (a null address still costs its 1).
        let r = h.graphQL("{ customers(first: 10) { edges { cursor node { id defaultAddress { city } } } pageInfo { hasNextPage } } shop { name } }")
        #expect(r.json["extensions"]?["cost"]?["requestedQueryCost"] == 23)
        #expect(r.json["extensions"]?["cost"]?["actualQueryCost"] == 9)
        #expect(r.json["extensions"]?["cost"]?["throttleStatus"]?["currentlyAvailable"] == 1991)
        let big = h.graphQL("{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }")
        #expect(big.json["errors"]?.array?.first?["extensions"]?["code"] == "MAX_COST_EXCEEDED")
        let tooMany = h.graphQL("{ customers(first: 251) { nodes { id } } }")
        #expect(tooMany.json["errors"]?.array?.first?["message"]?.string?.contains("250") == true)
    }

    @Test func syntaxErrorsCarryMessagesAndLocations() throws {
        let h = ShopifyHarness()
        let r = h.graphQL("{ shop { name }")
        #expect(r.status == 200)
        let e = try #require(r.json["errors"]?.array?.first)
        #expect(e["message"]?.string?.isEmpty == false)
        #expect(e["locations"]?.array?.first?["line"] == 1)
        let v = h.graphQL("{ shop { nope } }")
        #expect(v.json["errors"]?.array?.first?["message"]?.string?.contains("nope") == true)
    }

    @Test func restAndGraphQLShareTheShopOverLoopback() async throws {
        let h = ShopifyHarness()
        let server = EmulatorServer(emulator: h.shop, logger: Logger(label: "test.shopify.graphql"))
        let port = try await server.start()
        func post(_ path: String, _ body: JSONValue) async throws -> JSONValue {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/admin/api/2026-10/\(path)")!)
            request.httpMethod = "POST"
            request.setValue(h.shop.credentials.accessToken, forHTTPHeaderField: "X-Shopify-Access-Token")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body.jsonData
            let (data, _) = try await URLSession.shared.data(for: request)
            return try JSONValue.parse(data)
        }
        let created = try await post("products.json", ["product": ["title": "Mole", "variants": [["sku": "MOLE-1", "price": "99.00"]]]])
        let pid = try #require(created["product"]?["id"]?.int)
        let item = try #require(created["product"]?["variants"]?[0]?["inventory_item_id"]?.int)
        _ = try await post("inventory_levels/set.json", ["location_id": .integer(h.shop.configuration.primaryLocationID), "inventory_item_id": .integer(item), "available": 7])
        let r = try await post("graphql.json", ["query": .string("""
            { products(first: 5, query: "sku:MOLE-1") { nodes { id title variants(first: 5) { nodes { sku price
                inventoryItem { inventoryLevel(locationId: "gid://shopify/Location/\(h.shop.configuration.primaryLocationID)") { quantities(names: ["available"]) { name quantity } } } } } } } }
            """)])
        let product = try #require(r["data"]?["products"]?["nodes"]?[0])
        #expect(product["id"] == .string("gid://shopify/Product/\(pid)"))
        let variant = try #require(product["variants"]?["nodes"]?[0])
        #expect(variant["price"] == "99.00")
        #expect(variant["inventoryItem"]?["inventoryLevel"]?["quantities"]?[0]?["quantity"] == 7)
        let noAuth = try await {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/admin/api/2026-10/graphql.json")!)
            request.httpMethod = "POST"
            request.httpBody = Data(#"{"query":"{ shop { name } }"}"#.utf8)
            return try await URLSession.shared.data(for: request).1 as? HTTPURLResponse
        }()
        #expect(noAuth?.statusCode == 401)
        await server.stop()
    }
}
