import Connectors
import SyncCore
import SyncEngine

/// How the driver reaches one connected store.
///
/// `transport` is normally a ``StoreClient`` (it signs, paces and retries); the simulator passes a
/// client over an in-process emulator. The link name must be a store connected in the engine.
public struct StoreEndpoint: Sendable {
    public var link: String
    public var kind: StoreKind
    public var transport: any StoreTransport
    public var shopify: ShopifyAPI
    public var wooCommerce: WooCommerceAPI
    /// When an order of this store is finalized (its sale registered in Oorden).
    public var finalizeOn: FinalizeRule
    /// A Shopify store reached through the GraphQL Admin API: its version and query-cost pacer;
    /// `nil` for REST (and for WooCommerce).
    public var shopifyGraphQL: ShopifyGraphQLEndpoint? = nil

    public init(link: String, kind: StoreKind, transport: any StoreTransport,
                shopify: ShopifyAPI = ShopifyAPI(), wooCommerce: WooCommerceAPI = WooCommerceAPI(), finalizeOn: FinalizeRule? = nil) {
        self.link = link
        self.kind = kind
        self.transport = transport
        self.shopify = shopify
        self.wooCommerce = wooCommerce
        self.finalizeOn = finalizeOn ?? FinalizeRule(parsing: kind.recordFormat.defaultFinalizeOn)
    }
}

extension StoreEndpoint {
    /// This store's API as a ``StorePlatform`` over `transport` (the driver passes one that observes
    /// the store's clock; `doctor` the endpoint's own): the one place that picks the conformance.
    package func platform(over transport: (any StoreTransport)? = nil, clock: any WallClock, bulkJournal: (any BulkReadJournal)? = nil) -> any StorePlatform {
        switch kind {
        case .shopify:
            if let graphQL = shopifyGraphQL {
                ShopifyGraphQLPlatform(client: ShopifyGraphQLClient(transport: transport ?? self.transport, version: graphQL.version, pacer: graphQL.pacer,
                                                                    clock: clock, sleeper: graphQL.sleeper),
                                       store: link, clock: clock,
                                       bulk: graphQL.bulkReads ? ShopifyBulkReads(downloader: graphQL.bulkDownloader, journal: bulkJournal, directory: graphQL.bulkDirectory) : nil,
                                       locations: graphQL.locations)
            } else {
                ShopifyRESTPlatform(api: shopify, store: link, transport: transport ?? self.transport, clock: clock)
            }
        case .woocommerce: WooCommercePlatform(api: wooCommerce, store: link, transport: transport ?? self.transport, clock: clock)
        }
    }
}

extension StoreClient: StoreTransport {}
