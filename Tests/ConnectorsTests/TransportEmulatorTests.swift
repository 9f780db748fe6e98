import Connectors
import Foundation
import Logging
import StoreEmulators
import SyncCore
import Testing

/// StoreClient ↔ URLSessionTransport ↔ real loopback HTTP ↔ EmulatorServer ↔ the store emulators.
@Suite("StoreClient against the emulators over loopback HTTP")
struct TransportEmulatorTests {
    static let fastRetries = RetryPolicy(maxAttempts: 4, baseDelayMilliseconds: 20, maxDelayMilliseconds: 200)

    private static func serve(_ emulator: any StoreEmulator, holdSeconds: Double = 30) async throws -> (EmulatorServer, String) {
        var configuration = EmulatorServer.Configuration()
        configuration.timeoutHoldSeconds = holdSeconds
        let server = EmulatorServer(emulator: emulator, configuration: configuration, logger: testLogger())
        let port = try await server.start()
        return (server, "http://127.0.0.1:\(port)")
    }

    private static func shopifyClient(
        origin: String, credentials: Connectors.ShopifyCredentials, leakPerSecond: Int = 2, timeoutSeconds: Double = 30,
        policy: RetryPolicy = fastRetries
    ) -> StoreClient {
        StoreClient(
            transport: URLSessionTransport(origin: origin, timeoutSeconds: timeoutSeconds, logger: testLogger()),
            credentials: .shopify(credentials), siteURL: origin, retryPolicy: policy,
            pacer: ShopifyRateLimitPacer(leakPerSecond: leakPerSecond), clock: SystemWallClock(),
            random: SeededRandom(seed: 3), logger: testLogger())
    }

    // A slow leak, so the burst outruns it even on a heavily loaded machine and the pacer must act.
    @Test("a burst of 60 calls from 6 tasks against a 10-call bucket leaking 4/s: the caller and the store see no 429")
    func burstWithoutRateLimit() async throws {
        var configuration = ShopifyEmulatorConfiguration()
        configuration.bucketSize = 10
        configuration.leakPerSecond = 4
        let shop = ShopifyEmulator(configuration: configuration, seed: 11, clock: SystemWallClock())
        let (server, origin) = try await Self.serve(shop)
        let client = Self.shopifyClient(
            origin: origin, credentials: .accessToken(shop.credentials.accessToken), leakPerSecond: 4, policy: .none)
        let ok = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var done = 0
                    for _ in stride(from: worker, to: 60, by: 6) {
                        if let response = try? await client.send(StoreRequest(method: .get, path: "\(shop.apiPath)/shop.json")),
                           response.status == 200 { done += 1 }
                    }
                    return done
                }
            }
            return await group.reduce(0, +)
        }
        await server.stop()
        #expect(ok == 60)
        #expect(await client.statistics.rateLimitedResponses == 0)
        #expect(await client.statistics.attempts == 60)
        #expect(shop.rateLimitedResponses == 0)
        #expect(await client.statistics.pacingDelayMilliseconds > 0)
    }

    @Test("a wrong Shopify token surfaces Shopify's own message")
    func wrongShopifyToken() async throws {
        let shop = ShopifyEmulator(seed: 12, clock: SystemWallClock())
        let (server, origin) = try await Self.serve(shop)
        let client = Self.shopifyClient(origin: origin, credentials: .accessToken("shpat_wrong"))
        let error = await #expect(throws: StoreAPIError.self) {
            try await client.send(StoreRequest(method: .get, path: "\(shop.apiPath)/customers.json"))
        }
        await server.stop()
        #expect(error?.code == .unauthorized)
        #expect(error?.status == 401)
        #expect(error?.storeMessage == "[API] Invalid API key or access token (unrecognized login or wrong password)")
        #expect(await client.statistics.attempts == 1)
    }

    @Test("legacy private-app Basic credentials are accepted")
    func privateApp() async throws {
        let shop = ShopifyEmulator(seed: 13, clock: SystemWallClock())
        let (server, origin) = try await Self.serve(shop)
        let client = Self.shopifyClient(origin: origin, credentials: .privateApp(apiKey: shop.credentials.apiKey, password: shop.credentials.password))
        let response = try await client.send(StoreRequest(method: .get, path: "\(shop.apiPath)/shop.json"))
        await server.stop()
        #expect(try JSONValue.parse(response.body)["shop"]?["currency"]?.string == "MXN")
    }

    @Test("503 twice, then recovery: the call succeeds after retries")
    func serverErrorsThenRecovery() async throws {
        let shop = ShopifyEmulator(seed: 14, clock: SystemWallClock())
        shop.faults.failNextRequests = 2
        shop.faults.failStatus = 503
        let (server, origin) = try await Self.serve(shop)
        let client = Self.shopifyClient(origin: origin, credentials: .accessToken(shop.credentials.accessToken))
        let response = try await client.send(StoreRequest(method: .get, path: "\(shop.apiPath)/shop.json"))
        await server.stop()
        #expect(response.status == 200)
        #expect(await client.statistics.retries == 2)
        #expect(shop.faults.failNextRequests == 0)
    }

    @Test("an injected 429 with Retry-After is absorbed: the caller sees success")
    func injectedRateLimitAbsorbed() async throws {
        let shop = ShopifyEmulator(seed: 15, clock: SystemWallClock())
        shop.faults.failNextRequests = 1
        shop.faults.failStatus = 429
        shop.faults.failRetryAfterSeconds = 1
        let (server, origin) = try await Self.serve(shop)
        let client = Self.shopifyClient(origin: origin, credentials: .accessToken(shop.credentials.accessToken))
        let response = try await client.send(StoreRequest(method: .get, path: "\(shop.apiPath)/shop.json"))
        await server.stop()
        #expect(response.status == 200)
        let stats = await client.statistics
        #expect(stats.rateLimitedResponses == 1)
        #expect(stats.retryDelayMilliseconds == 1_000)
    }

    @Test("a 422 is not retried and carries Shopify's field message")
    func validationNotRetried() async throws {
        let shop = ShopifyEmulator(seed: 16, clock: SystemWallClock())
        _ = try shop.createCustomer(email: "ana@example.com", firstName: "Ana", lastName: "Ruiz")
        let (server, origin) = try await Self.serve(shop)
        let client = Self.shopifyClient(origin: origin, credentials: .accessToken(shop.credentials.accessToken))
        let body = #"{"customer":{"email":"ana@example.com","first_name":"Ana","last_name":"Ruiz"}}"#
        let error = await #expect(throws: StoreAPIError.self) {
            try await client.send(StoreRequest(
                method: .post, path: "\(shop.apiPath)/customers.json", headers: ["Content-Type": "application/json"], body: Data(body.utf8)))
        }
        await server.stop()
        #expect(error?.code == .validation)
        #expect(error?.status == 422)
        #expect(error?.fieldErrors["email"] == ["has already been taken"])
        #expect(await client.statistics.attempts == 1)
        #expect(shop.requestCount(method: .post, path: "\(shop.apiPath)/customers.json") == 1)
    }

    @Test("a timeout is retried and the call then succeeds")
    func timeoutRetried() async throws {
        let shop = ShopifyEmulator(seed: 17, clock: SystemWallClock())
        shop.faults.timeoutNextRequests = 1
        let (server, origin) = try await Self.serve(shop, holdSeconds: 6)
        let client = Self.shopifyClient(origin: origin, credentials: .accessToken(shop.credentials.accessToken), timeoutSeconds: 2)
        let response = try await client.send(StoreRequest(method: .get, path: "\(shop.apiPath)/shop.json"))
        await server.stop()
        #expect(response.status == 200)
        // On a loaded machine a retry can itself time out; what must hold is that the held request was
        // retried and every attempt reached the store (attempts = retries + 1).
        let retries = await client.statistics.retries
        #expect(retries >= 1)
        #expect(shop.requestCount(method: .get, path: "\(shop.apiPath)/shop.json") == retries + 1)
    }

    // MARK: WooCommerce

    private static func woo(seed: UInt64, clock: any WallClock) async throws -> (WooCommerceEmulator, EmulatorServer, String) {
        let site = WooCommerceEmulator(seed: seed, clock: clock, logger: testLogger())
        let (server, origin) = try await serve(site)
        return (site, server, origin)
    }

    private static func wooClient(origin: String, siteURL: String, key: String, secret: String, clock: any WallClock, seed: UInt64) -> StoreClient {
        StoreClient(
            transport: URLSessionTransport(origin: origin, timeoutSeconds: 30, logger: testLogger()),
            credentials: .wooCommerce(Connectors.WooCommerceCredentials(consumerKey: key, consumerSecret: secret, mode: .oauth1())),
            siteURL: siteURL, retryPolicy: fastRetries, clock: clock, random: SeededRandom(seed: seed), logger: testLogger())
    }

    @Test("WooCommerce OAuth 1.0a over plain HTTP is accepted, with SHA-256 and SHA-1")
    func wooOAuthAccepted() async throws {
        let (site, server, origin) = try await Self.woo(seed: 21, clock: SystemWallClock())
        _ = try site.createCustomer(email: "ana@example.com", firstName: "Ana", lastName: "Ruiz")
        let client = Self.wooClient(
            origin: origin, siteURL: site.configuration.siteURL, key: site.credentials.consumerKey,
            secret: site.credentials.consumerSecret, clock: SystemWallClock(), seed: 1)
        let response = try await client.send(StoreRequest(
            method: .get, path: "/wp-json/wc/v3/customers", query: [QueryItem("email", "ana@example.com"), QueryItem("per_page", "10")]))
        #expect(try JSONValue.parse(response.body)[0]?["email"]?.string == "ana@example.com")
        let sha1 = StoreClient(
            transport: URLSessionTransport(origin: origin, timeoutSeconds: 30, logger: testLogger()),
            credentials: .wooCommerce(Connectors.WooCommerceCredentials(
                consumerKey: site.credentials.consumerKey, consumerSecret: site.credentials.consumerSecret, mode: .oauth1(.hmacSHA1))),
            siteURL: site.configuration.siteURL, clock: SystemWallClock(), random: SeededRandom(seed: 2), logger: testLogger())
        let second = try await sha1.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/customers"))
        await server.stop()
        #expect(second.status == 200)
    }

    @Test("a wrong WooCommerce secret surfaces WooCommerce's own signature message")
    func wooWrongSignature() async throws {
        let (site, server, origin) = try await Self.woo(seed: 22, clock: SystemWallClock())
        let client = Self.wooClient(
            origin: origin, siteURL: site.configuration.siteURL, key: site.credentials.consumerKey,
            secret: "cs_not_the_secret", clock: SystemWallClock(), seed: 1)
        let error = await #expect(throws: StoreAPIError.self) {
            try await client.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/orders"))
        }
        await server.stop()
        #expect(error?.code == .unauthorized)
        #expect(error?.storeMessage == "Invalid signature - provided signature does not match.")
        #expect(error?.storeErrorCode == "woocommerce_rest_authentication_error")
        #expect(!(error?.description.contains("cs_not_the_secret") ?? true))
    }

    @Test("a replayed OAuth nonce is refused with WooCommerce's message")
    func wooReplayedNonce() async throws {
        // Two clients seeded alike draw the same nonce: the second request is a replay.
        let clock = ManualClock(milliseconds: SystemWallClock().nowMilliseconds())
        let (site, server, origin) = try await Self.woo(seed: 23, clock: clock)
        let make = {
            Self.wooClient(
                origin: origin, siteURL: site.configuration.siteURL, key: site.credentials.consumerKey,
                secret: site.credentials.consumerSecret, clock: clock, seed: 99)
        }
        _ = try await make().send(StoreRequest(method: .get, path: "/wp-json/wc/v3/products"))
        let error = await #expect(throws: StoreAPIError.self) {
            try await make().send(StoreRequest(method: .get, path: "/wp-json/wc/v3/products"))
        }
        await server.stop()
        #expect(error?.code == .unauthorized)
        #expect(error?.storeMessage == "Invalid nonce - nonce has already been used.")
    }

    @Test("a WooCommerce 503 then recovery, and a 400 that is not retried")
    func wooRetryAndPermanent() async throws {
        let (site, server, origin) = try await Self.woo(seed: 24, clock: SystemWallClock())
        _ = try site.createSimpleProduct(name: "Taza", sku: "TAZA-1", regularPrice: "120.00", stock: 5)
        site.faults.failNextRequests = 1
        site.faults.failStatus = 503
        let client = Self.wooClient(
            origin: origin, siteURL: site.configuration.siteURL, key: site.credentials.consumerKey,
            secret: site.credentials.consumerSecret, clock: SystemWallClock(), seed: 5)
        let list = try await client.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/products"))
        #expect(list.status == 200)
        #expect(await client.statistics.retries == 1)
        let duplicate = #"{"name":"Taza 2","type":"simple","sku":"TAZA-1","regular_price":"99.00"}"#
        let error = await #expect(throws: StoreAPIError.self) {
            try await client.send(StoreRequest(
                method: .post, path: "/wp-json/wc/v3/products", headers: ["Content-Type": "application/json"], body: Data(duplicate.utf8)))
        }
        await server.stop()
        #expect(error?.code == .validation)
        #expect(error?.status == 400)
        #expect(error?.storeErrorCode == "product_invalid_sku")
        #expect(await client.statistics.attempts == 3)
    }
}
