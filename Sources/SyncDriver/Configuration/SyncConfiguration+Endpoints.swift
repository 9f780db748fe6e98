import Connectors
import Foundation
import Logging
import SyncCore
import SyncEngine

extension SyncConfiguration.Store {
    /// The environment variables this store's credentials are read from, as the advice names them.
    package var credentialVariables: String {
        switch kind {
        case .shopify:
            if let clientIDEnv, let clientSecretEnv { "\(clientIDEnv) and \(clientSecretEnv)" }
            else { accessTokenEnv ?? apiKeyEnv ?? "the variable stores[].access_token_env names" }
        case .woocommerce: "\(consumerKeyEnv ?? "consumer_key_env") and \(consumerSecretEnv ?? "consumer_secret_env")"
        }
    }

    /// The endpoint for this store, with secrets read from the environment variables the file names.
    ///
    /// A missing variable is an error naming the variable and the key; the secret itself is never
    /// printed or logged (the credential types redact themselves).
    public func endpoint(environment: [String: String], clock: any WallClock, seed: UInt64, logger: Logger) throws -> StoreEndpoint {
        func secret(_ variable: String?, _ key: String) throws -> String {
            guard let variable else { throw ConfigurationError(key: "\(name).\(key)", message: "is missing") }
            guard let value = environment[variable], !value.isEmpty else {
                throw ConfigurationError(key: "\(name).\(key)",
                                         message: "names the environment variable \(variable), which is not set; export it before running oorden-sync")
            }
            return value
        }
        if allowInsecureHTTP, url.lowercased().hasPrefix("http://"), let host = URLComponents(string: url)?.host, !StoreURL.isLoopback(host) {
            logger.warning("allow_insecure_http: this store's credentials travel in clear text; use it only in a test rig",
                           metadata: ["store": "\(name)", "host": "\(host)"])
        }
        switch kind {
        case .shopify:
            let credentials: ShopifyCredentials
            if clientIDEnv != nil || clientSecretEnv != nil {
                credentials = .tokenProvider(ShopifyClientCredentialsGrant(
                    transport: URLSessionTransport(origin: url, timeoutSeconds: Double(timeoutSeconds),
                                                   deadlineSeconds: Double(requestDeadlineSeconds), logger: logger),
                    clientID: try secret(clientIDEnv, "client_id_env"), clientSecret: try secret(clientSecretEnv, "client_secret_env"),
                    variables: .init(clientID: clientIDEnv ?? "", clientSecret: clientSecretEnv ?? ""), clock: clock))
            } else if accessTokenEnv != nil {
                credentials = .accessToken(try secret(accessTokenEnv, "access_token_env"))
            } else {
                credentials = .privateApp(apiKey: try secret(apiKeyEnv, "api_key_env"), password: try secret(passwordEnv, "password_env"))
            }
            let client = StoreClient.shopify(origin: url, credentials: credentials, leakPerSecond: callsPerSecond, timeoutSeconds: Double(timeoutSeconds),
                                             deadlineSeconds: Double(requestDeadlineSeconds), clock: clock, seed: seed, logger: logger)
            var endpoint = StoreEndpoint(link: name, kind: .shopify, transport: client, shopify: ShopifyAPI(version: apiVersion),
                                         finalizeOn: finalizeOn.map(FinalizeRule.init(parsing:)))
            if shopifyAPI == .graphQL {
                var graphQL = ShopifyGraphQLEndpoint(version: apiVersion)
                graphQL.bulkReads = bulkReads
                endpoint.shopifyGraphQL = graphQL
            }
            return endpoint
        case .woocommerce:
            let mode: WooCommerceCredentials.Mode
            switch auth {
            case "basic": mode = .basic
            case "query": mode = .queryString
            case "oauth1": mode = .oauth1()
            default: mode = WooCommerceCredentials.defaultMode(forSiteURL: url)
            }
            let credentials = WooCommerceCredentials(consumerKey: try secret(consumerKeyEnv, "consumer_key_env"),
                                                     consumerSecret: try secret(consumerSecretEnv, "consumer_secret_env"), mode: mode)
            let client = StoreClient.wooCommerce(origin: url, credentials: credentials, timeoutSeconds: Double(timeoutSeconds),
                                                 deadlineSeconds: Double(requestDeadlineSeconds), clock: clock, seed: seed, logger: logger)
            return StoreEndpoint(link: name, kind: .woocommerce, transport: client, finalizeOn: finalizeOn.map(FinalizeRule.init(parsing:)))
        }
    }
}
