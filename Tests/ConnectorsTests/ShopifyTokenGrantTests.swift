import Connectors
import Foundation
import StoreEmulators
import SyncCore
import Testing

/// Expiring Admin API tokens over real loopback HTTP: the client-credentials grant against the
/// Shopify emulator's `POST /admin/oauth/access_token`, and a host's own token provider.
@Suite struct ShopifyTokenGrantTests {
    static let start: Int64 = 1_795_964_405_000
    static let variables = ShopifyClientCredentialsGrant.Variables(clientID: "SHOPIFY_CLIENT_ID", clientSecret: "SHOPIFY_CLIENT_SECRET")

    struct Harness {
        let clock: ManualClock
        let emulator: ShopifyEmulator
        let origin: String

        func grant(secret: String? = nil) -> ShopifyClientCredentialsGrant {
            ShopifyClientCredentialsGrant(
                transport: URLSessionTransport(origin: origin, timeoutSeconds: 30, logger: testLogger()),
                clientID: emulator.credentials.clientID, clientSecret: secret ?? emulator.credentials.clientSecret,
                variables: ShopifyTokenGrantTests.variables, clock: clock)
        }

        func client(_ credentials: Connectors.ShopifyCredentials) -> StoreClient {
            StoreClient(transport: URLSessionTransport(origin: origin, timeoutSeconds: 30, logger: testLogger()),
                        credentials: .shopify(credentials), siteURL: origin, clock: clock, random: SeededRandom(seed: 5),
                        sleeper: ManualClockSleeper(clock: clock), logger: testLogger())
        }

        var grantRequests: Int { emulator.requestCount(method: .post, path: ShopifyClientCredentialsGrant.path) }
        var shopPath: String { "\(emulator.apiPath)/shop.json" }
        func shop() -> StoreRequest { StoreRequest(method: .get, path: shopPath) }
    }

    static func withShop(lifetimeSeconds: Int64 = 86_399, customers: Int = 0, _ body: (Harness) async throws -> Void) async throws {
        let clock = ManualClock(milliseconds: start)
        var configuration = ShopifyEmulatorConfiguration()
        configuration.rateLimitEnabled = false
        configuration.tokenLifetimeSeconds = lifetimeSeconds
        let emulator = ShopifyEmulator(configuration: configuration, seed: 21, clock: clock)
        if customers > 0 { emulator.seed(customers: customers, products: 0, orders: 0) }
        let server = EmulatorServer(emulator: emulator, logger: testLogger())
        let port = try await server.start()
        do {
            try await body(Harness(clock: clock, emulator: emulator, origin: "http://127.0.0.1:\(port)"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func theGrantsTokenSignsRequestsAndIsReusedUntilNearItsExpiry() async throws {
        try await Self.withShop(lifetimeSeconds: 100) { h in
            let grant = h.grant()
            let client = h.client(.tokenProvider(grant))
            let status1 = try await client.send(h.shop()).status
            #expect(status1 == 200)
            let status2 = try await client.send(h.shop()).status
            #expect(status2 == 200)
            #expect(h.grantRequests == 1)
            #expect(await grant.grantedScopes.contains("read_customers"))

            // 100 s tokens are replaced 10 s (a tenth of their life) before they run out.
            h.clock.advance(by: 89_000)
            let status3 = try await client.send(h.shop()).status
            #expect(status3 == 200)
            #expect(h.grantRequests == 1)
            h.clock.advance(by: 2_000)
            let status4 = try await client.send(h.shop()).status
            #expect(status4 == 200)
            #expect(h.grantRequests == 2)
            #expect(h.emulator.tokensIssued == 2)
        }
    }

    @Test func anExpiredTokenAnswered401IsRenewedOnceAndTheRequestSentAgain() async throws {
        try await Self.withShop(lifetimeSeconds: 100) { h in
            let client = h.client(.tokenProvider(h.grant()))
            let status5 = try await client.send(h.shop()).status
            #expect(status5 == 200)
            // The shop's clock runs 101 s ahead: the token the grant still holds as good is expired there.
            h.emulator.clockSkewMilliseconds = 101_000
            let response = try await client.send(h.shop())
            #expect(response.status == 200)
            #expect(h.grantRequests == 2)
            #expect(h.emulator.requestCount(method: .get, path: h.shopPath) == 3)  // 200, 401, 200
        }
    }

    @Test func twentyWaitingRequestsShareOneGrantRequest() async throws {
        try await Self.withShop { h in
            let client = h.client(.tokenProvider(h.grant()))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await client.send(h.shop()).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 20))
            #expect(h.grantRequests == 1)
        }
    }

    @Test func aWrongClientSecretSaysWhichVariableToFixAndNeverShowsTheSecret() async throws {
        try await Self.withShop { h in
            let wrong = "shpss_not-the-secret"
            let client = h.client(.tokenProvider(h.grant(secret: wrong)))
            let error = await #expect(throws: StoreAPIError.self) { try await client.send(h.shop()) }
            #expect(error?.code == .unauthorized)
            #expect(error?.message.contains("SHOPIFY_CLIENT_SECRET") == true)
            #expect(error?.message.contains("SHOPIFY_CLIENT_ID") == true)
            #expect(error?.message.contains(wrong) == false)
            #expect(error.map { "\($0)" }?.contains(wrong) == false)
            // The Admin API was never asked without a token.
            #expect(h.emulator.requestCount(method: .get, path: h.shopPath) == 0)
        }
    }

    @Test func aTokenExpiringMidReadIsReplacedAndEveryPageIsRead() async throws {
        try await Self.withShop(lifetimeSeconds: 60, customers: 600) { h in
            let client = h.client(.tokenProvider(h.grant()))
            let platform = ShopifyRESTPlatform(api: ShopifyAPI(version: h.emulator.configuration.apiVersion), store: "tienda",
                                               transport: ClientTransport(client: client), clock: h.clock)
            var ids: [String] = []
            try await platform.readContacts(since: nil, countTotal: false) { page in
                ids += page.items.compactMap(\.json.recordID)
                h.clock.advance(by: 40_000)  // past the 54 s refresh point every second page
            }
            #expect(ids.count == 600 && Set(ids).count == 600)
            #expect(h.grantRequests >= 2)
            #expect(h.emulator.requestCount(method: .get, path: "\(h.emulator.apiPath)/customers.json") >= 3)
        }
    }

    @Test func aHostsOwnProviderIsAskedAndToldOnceWhenItsTokenIsRefused() async throws {
        try await Self.withShop { h in
            let good = HostTokens(tokens: [h.emulator.credentials.accessToken])
            let status6 = try await h.client(.tokenProvider(good)).send(h.shop()).status
            #expect(status6 == 200)
            #expect(await good.rejected == [])

            // A provider whose every token is refused: asked twice, told once, then the 401 stands.
            let stale = HostTokens(tokens: ["shpat_revoked_1", "shpat_revoked_2", "shpat_revoked_3"])
            let error = await #expect(throws: StoreAPIError.self) { try await h.client(.tokenProvider(stale)).send(h.shop()) }
            #expect(error?.code == .unauthorized)
            #expect(await stale.rejected == ["shpat_revoked_1"])
            #expect(await stale.asked == 2)
        }
    }

    @Test func credentialsWithAProviderPrintNoSecret() {
        let provider = HostTokens(tokens: ["shpat_secret_value"])
        let credentials = Connectors.ShopifyCredentials.tokenProvider(provider)
        #expect("\(credentials)" == "ShopifyCredentials.tokenProvider(<redacted>)")
        #expect(credentials == .tokenProvider(provider))
        #expect(credentials != .tokenProvider(HostTokens(tokens: ["shpat_secret_value"])))
        #expect(ShopifyClientCredentialsGrant.refreshMargin(lifetimeMilliseconds: 86_399_000) == 300_000)
    }
}

/// The client as a platform's transport (the driver's conformance lives in SyncDriver).
struct ClientTransport: StoreTransport {
    let client: StoreClient
    func send(_ request: StoreRequest) async throws -> StoreResponse { try await client.send(request) }
}

/// An embedding host's token source: hands out its tokens in turn, moving on when one is refused.
actor HostTokens: ShopifyAccessTokenProvider {
    private let tokens: [String]
    private var index = 0
    private(set) var asked = 0
    private(set) var rejected: [String] = []

    init(tokens: [String]) { self.tokens = tokens }

    func accessToken() async throws -> String {
        asked += 1
        return tokens[min(index, tokens.count - 1)]
    }

    func tokenRejected(_ token: String) async {
        rejected.append(token)
        index += 1
    }
}
