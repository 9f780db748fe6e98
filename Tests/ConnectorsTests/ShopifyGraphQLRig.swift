import Connectors
import Foundation
import StoreEmulators
import SyncCore

/// One emulated shop over loopback HTTP, read and written through the GraphQL platform, with the
/// REST platform on the same shop as the oracle; one manual clock for the client, its sleeper and
/// the emulator.
struct ShopifyGraphQLRig {
    static let start: Int64 = 1_795_964_405_000

    let reader: ShopifyGraphQLReader
    let platform: ShopifyGraphQLPlatform
    let rest: ShopifyRESTPlatform
    let emulator: ShopifyEmulator
    let clock: ManualClock
    let client: ShopifyGraphQLClient

    /// The GraphQL platform reading complete scans by bulk export, results downloaded over loopback HTTP.
    func bulkPlatform(journal: (any BulkReadJournal)? = nil, directory: URL = FileManager.default.temporaryDirectory) -> ShopifyGraphQLPlatform {
        ShopifyGraphQLPlatform(client: client, store: "tienda", clock: clock,
                               bulk: ShopifyBulkReads(downloader: URLSessionBulkDownloader(), journal: journal, directory: directory))
    }

    static func with(customers: Int = 0, products: Int = 0, orders: Int = 0,
                     configure: (inout ShopifyEmulatorConfiguration) -> Void = { _ in },
                     _ body: (ShopifyGraphQLRig) async throws -> Void) async throws {
        let clock = ManualClock(milliseconds: start)
        var configuration = ShopifyEmulatorConfiguration()
        configuration.rateLimitEnabled = false
        configure(&configuration)
        let emulator = ShopifyEmulator(configuration: configuration, seed: 41, clock: clock)
        emulator.seed(customers: customers, products: products, orders: orders)
        let server = EmulatorServer(emulator: emulator, logger: testLogger())
        let port = try await server.start()
        let origin = "http://127.0.0.1:\(port)"
        let client = StoreClient(transport: URLSessionTransport(origin: origin, timeoutSeconds: 30, logger: testLogger()),
                                 credentials: .shopify(.accessToken(emulator.credentials.accessToken)), siteURL: origin,
                                 clock: clock, random: SeededRandom(seed: 5), sleeper: ManualClockSleeper(clock: clock), logger: testLogger())
        let transport = ClientTransport(client: client)
        let graphql = ShopifyGraphQLClient(transport: transport, version: "2026-10", clock: clock, sleeper: ManualClockSleeper(clock: clock))
        let rig = ShopifyGraphQLRig(
            reader: ShopifyGraphQLReader(client: graphql, store: "tienda", clock: clock),
            platform: ShopifyGraphQLPlatform(client: graphql, store: "tienda", clock: clock),
            rest: ShopifyRESTPlatform(api: ShopifyAPI(version: configuration.apiVersion), store: "tienda", transport: transport, clock: clock),
            emulator: emulator, clock: clock, client: graphql)
        do {
            try await body(rig)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
