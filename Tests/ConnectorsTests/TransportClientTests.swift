import Connectors
import Foundation
import SyncCore
import Testing

@Suite("StoreClient retries and errors (scripted transport, simulated time)")
struct TransportClientTests {
    let start: Int64 = 1_795_964_405_000

    private func client(
        _ transport: ScriptedTransport, credentials: StoreCredentials = .shopify(.accessToken("shpat_secret")),
        policy: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelayMilliseconds: 500, maxDelayMilliseconds: 4_000),
        pacer: ShopifyRateLimitPacer? = nil, seed: UInt64 = 1
    ) -> (StoreClient, ManualClockSleeper) {
        let clock = ManualClock(milliseconds: start)
        let sleeper = ManualClockSleeper(clock: clock)
        let c = StoreClient(
            transport: transport, credentials: credentials, siteURL: "http://127.0.0.1:8082", retryPolicy: policy,
            pacer: pacer, clock: clock, random: SeededRandom(seed: seed), sleeper: sleeper, logger: testLogger())
        return (c, sleeper)
    }

    private static func json(_ status: Int, _ text: String, _ headers: [(String, String)] = []) -> ScriptedTransport.Step {
        .respond(StoreResponse(status: status, headers: HeaderFields(headers), body: Data(text.utf8)))
    }

    @Test("503, 503, then 200: succeeds after two jittered retries")
    func retriesServerErrors() async throws {
        let transport = ScriptedTransport([Self.json(503, ""), Self.json(503, ""), Self.json(200, #"{"shop":{}}"#)])
        let (client, sleeper) = client(transport)
        let response = try await client.send(StoreRequest(method: .get, path: "/admin/api/2024-10/shop.json"))
        #expect(response.status == 200)
        #expect(transport.requests.count == 3)
        let sleeps = sleeper.sleeps
        #expect(sleeps.count == 2)
        #expect((250...500).contains(sleeps[0]))     // equal jitter of 500 ms
        #expect((500...1_000).contains(sleeps[1]))   // equal jitter of 1000 ms
        let stats = await client.statistics
        #expect(stats.attempts == 3 && stats.retries == 2)
    }

    @Test("the same seed gives the same backoff; retries stay under the cap")
    func backoffIsDeterministicAndBounded() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelayMilliseconds: 100, maxDelayMilliseconds: 1_000)
        var a = SeededRandom(seed: 9), b = SeededRandom(seed: 9)
        let first = (1...10).map { policy.backoffMilliseconds(retry: $0, random: &a) }
        let second = (1...10).map { policy.backoffMilliseconds(retry: $0, random: &b) }
        #expect(first == second)
        #expect(first.allSatisfy { $0 <= 1_000 })
        #expect(first[9] >= 500)   // capped at 1000, jitter keeps at least half
        #expect(first[0] <= 100)
    }

    @Test("429 with Retry-After: 2.0 waits exactly 2 s, then succeeds")
    func honorsDecimalRetryAfter() async throws {
        let transport = ScriptedTransport([
            Self.json(429, #"{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}"#, [("Retry-After", "2.0")]),
            Self.json(200, "{}"),
        ])
        let (client, sleeper) = client(transport)
        _ = try await client.send(StoreRequest(method: .get, path: "/admin/api/2024-10/customers.json"))
        #expect(sleeper.sleeps == [2_000])
        #expect(await client.statistics.rateLimitedResponses == 1)
    }

    @Test("Retry-After as an HTTP date is measured from the injected clock")
    func honorsHTTPDateRetryAfter() async throws {
        let date = ISO8601Time.httpDate(start + 5_000)
        let transport = ScriptedTransport([Self.json(503, "", [("Retry-After", date)]), Self.json(200, "{}")])
        let (client, sleeper) = client(transport)
        _ = try await client.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/orders"))
        #expect(sleeper.sleeps == [5_000])
    }

    @Test("Retry-After parsing", arguments: [
        ("2", Int64(2_000)), ("2.0", 2_000), ("0.25", 250), ("0.0001", 1), (" 3 ", 3_000),
    ])
    func retryAfterValues(_ text: String, _ expected: Int64) {
        #expect(RetryAfter.milliseconds(text, nowMilliseconds: 0) == expected)
    }

    @Test("unreadable Retry-After values are ignored", arguments: ["", "soon", "-1", "1e3", "2.", ".5"])
    func retryAfterGarbage(_ text: String) {
        #expect(RetryAfter.milliseconds(text, nowMilliseconds: 0) == nil)
    }

    @Test("422 is permanent: not retried, carries Shopify's field messages")
    func validationNotRetried() async throws {
        let transport = ScriptedTransport([Self.json(422, #"{"errors":{"email":["has already been taken"],"phone":["is invalid"]}}"#)])
        let (client, sleeper) = client(transport)
        let error = try await #require(throws: StoreAPIError.self) {
            try await client.send(StoreRequest(method: .post, path: "/admin/api/2024-10/customers.json", body: Data("{}".utf8)))
        }
        #expect(error.code == .validation)
        #expect(error.status == 422)
        #expect(error.storeMessage == "email: has already been taken; phone: is invalid")
        #expect(error.fieldErrors["email"] == ["has already been taken"])
        #expect(error.method == .post && error.path == "/admin/api/2024-10/customers.json")
        #expect(transport.requests.count == 1)
        #expect(sleeper.sleeps.isEmpty)
    }

    @Test("a WooCommerce 400 carries its code and message")
    func wooValidation() async throws {
        let body = #"{"code":"product_invalid_sku","message":"Invalid or duplicated SKU.","data":{"status":400}}"#
        let transport = ScriptedTransport([Self.json(400, body)])
        let (client, _) = client(transport, credentials: .wooCommerce(Connectors.WooCommerceCredentials(consumerKey: "ck_1", consumerSecret: "cs_1", mode: .basic)))
        let error = try await #require(throws: StoreAPIError.self) {
            try await client.send(StoreRequest(method: .post, path: "/wp-json/wc/v3/products"))
        }
        #expect(error.code == .validation)
        #expect(error.storeMessage == "Invalid or duplicated SKU.")
        #expect(error.storeErrorCode == "product_invalid_sku")
        #expect(transport.requests.count == 1)
    }

    @Test("timeouts are retried; the error after the last attempt is a timeout")
    func timeoutsRetriedThenGiveUp() async throws {
        let transport = ScriptedTransport([.fail(.timeout), .fail(.timeout), .fail(.timeout)])
        let (client, sleeper) = client(transport, policy: RetryPolicy(maxAttempts: 3, baseDelayMilliseconds: 100))
        let error = try await #require(throws: StoreAPIError.self) {
            try await client.send(StoreRequest(method: .get, path: "/admin/api/2024-10/orders.json"))
        }
        #expect(error.code == .timeout)
        #expect(error.message.contains("gave up after 3 attempts"))
        #expect(transport.requests.count == 3)
        #expect(sleeper.sleeps.count == 2)
    }

    @Test("a POST that writes is in doubt after a 503 and not resent; a GraphQL query (a POST that repeats safely) is retried")
    func postsRepeatOnlyWhenSafe() async throws {
        let write = ScriptedTransport([Self.json(503, ""), Self.json(200, "{}")])
        let (writer, _) = client(write)
        let mutation = GraphQLOperation(name: "CustomerCreate", query: "mutation CustomerCreate { customerCreate(input: {}) { userErrors { message } } }")
        let refused = try await #require(throws: StoreAPIError.self) {
            try await writer.send(StoreRequest(method: .post, path: "/admin/api/2026-10/graphql.json", body: mutation.body.jsonData))
        }
        #expect(refused.code == .server && StoreClient.isInDoubt(refused.method, refused))
        #expect(write.requests.count == 1, "a write answered 503 may have been applied: not sent again")

        let read = ScriptedTransport([Self.json(503, ""), .fail(.timeout), Self.json(200, #"{"data":{}}"#)])
        let (reader, _) = client(read)
        var query = StoreRequest(method: .post, path: "/admin/api/2026-10/graphql.json")
        query.repeatsSafely = true
        #expect(try await reader.send(query).status == 200)
        #expect(read.requests.count == 3)
        #expect(!GraphQLOperation(name: "Shop", query: "  query Shop { shop { name } }").isMutation)
        #expect(mutation.isMutation)
    }

    @Test("401 is not retried and keeps the store's message; errors never contain secrets")
    func unauthorized() async throws {
        let transport = ScriptedTransport([Self.json(401, #"{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"#)])
        let (client, _) = client(transport, credentials: .shopify(.accessToken("shpat_topsecret")))
        let error = try await #require(throws: StoreAPIError.self) {
            try await client.send(StoreRequest(method: .get, path: "/admin/api/2024-10/shop.json"))
        }
        #expect(error.code == .unauthorized)
        #expect(error.storeMessage == "[API] Invalid API key or access token (unrecognized login or wrong password)")
        #expect(!"\(error)".contains("shpat_topsecret"))
        #expect(transport.requests.count == 1)
        #expect(transport.requests[0].headers["X-Shopify-Access-Token"] == "shpat_topsecret")
    }

    @Test("query-string secrets are kept out of errors")
    func querySecretsNotInErrors() async throws {
        let transport = ScriptedTransport([Self.json(404, #"{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}"#)])
        let credentials = Connectors.WooCommerceCredentials(consumerKey: "ck_key", consumerSecret: "cs_verysecret", mode: .queryString)
        let (client, _) = client(transport, credentials: .wooCommerce(credentials))
        let error = try await #require(throws: StoreAPIError.self) {
            try await client.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/nothing"))
        }
        #expect(error.code == .notFound)
        #expect(transport.requests[0].queryValue("consumer_secret") == "cs_verysecret")
        #expect(!error.description.contains("cs_verysecret"))
        #expect(!error.path.contains("?"))
    }

    @Test("every attempt is signed afresh: OAuth nonces differ between retries")
    func resignsOnRetry() async throws {
        let transport = ScriptedTransport([Self.json(503, ""), Self.json(200, "[]")])
        let credentials = Connectors.WooCommerceCredentials(consumerKey: "ck_k", consumerSecret: "cs_s", mode: .oauth1())
        let (client, _) = client(transport, credentials: .wooCommerce(credentials))
        _ = try await client.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/customers", query: [QueryItem("page", "1")]))
        let requests = transport.requests
        #expect(requests.count == 2)
        let nonces = requests.compactMap { $0.queryValue("oauth_nonce") }
        #expect(nonces.count == 2 && nonces[0] != nonces[1])
        #expect(requests.allSatisfy { r in r.query.filter { $0.name == "oauth_signature" }.count == 1 })
        #expect(requests[1].query.first?.name == "page")
    }

    @Test("the client paces from the Shopify header: a full bucket delays the next call")
    func clientPaces() async throws {
        let full = [("X-Shopify-Shop-Api-Call-Limit", "40/40")]
        let transport = ScriptedTransport([Self.json(200, "{}", full), Self.json(200, "{}")])
        let (client, sleeper) = client(transport, pacer: ShopifyRateLimitPacer(leakPerSecond: 2))
        _ = try await client.send(StoreRequest(method: .get, path: "/admin/api/2024-10/shop.json"))
        #expect(sleeper.sleeps.isEmpty)
        _ = try await client.send(StoreRequest(method: .get, path: "/admin/api/2024-10/shop.json"))
        #expect(sleeper.sleeps == [1_000])
        #expect(await client.statistics.pacingDelayMilliseconds == 1_000)
    }
}

@Suite("Store error bodies")
struct TransportErrorBodyTests {
    @Test("Shopify string, array and object forms; WooCommerce; plain text")
    func parses() {
        #expect(StoreErrorBody.parse(Data(#"{"errors":"Not Found"}"#.utf8)).message == "Not Found")
        #expect(StoreErrorBody.parse(Data(#"{"errors":["a","b"]}"#.utf8)).message == "a; b")
        #expect(StoreErrorBody.parse(Data(#"{"errors":{"base":["Order is locked"]}}"#.utf8)).message == "Order is locked")
        let woo = StoreErrorBody.parse(Data(#"{"code":"woocommerce_rest_authentication_error","message":"Invalid nonce - nonce has already been used.","data":{"status":401}}"#.utf8))
        #expect(woo.message == "Invalid nonce - nonce has already been used.")
        #expect(woo.code == "woocommerce_rest_authentication_error")
        #expect(StoreErrorBody.parse(Data("Service Unavailable\n".utf8)).message == "Service Unavailable")
        #expect(StoreErrorBody.parse(Data()).message == nil)
    }

    @Test("status classification")
    func classification() {
        func code(_ status: Int) -> StoreAPIError.Code {
            StoreAPIError.from(response: StoreResponse(status: status), method: .get, path: "/x", nowMilliseconds: 0).code
        }
        #expect(code(401) == .unauthorized)
        #expect(code(403) == .forbidden)
        #expect(code(404) == .notFound)
        #expect(code(400) == .validation)
        #expect(code(422) == .validation)
        #expect(code(409) == .clientError)
        #expect(code(429) == .rateLimited)
        #expect(code(502) == .server)
        #expect(StoreAPIError.from(response: StoreResponse(status: 503), method: .get, path: "/x", nowMilliseconds: 0).isRetryable)
        #expect(!StoreAPIError.from(response: StoreResponse(status: 422), method: .get, path: "/x", nowMilliseconds: 0).isRetryable)
    }
}
