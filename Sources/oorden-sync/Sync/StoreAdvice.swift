import SyncDriver

/// What to do about a store that fails, in the words of the configuration file: `doctor` and
/// `sync --once` give the same advice, naming the keys and environment variables to fix.
extension SyncConfiguration.Store {
    /// How to get credentials the store accepts, naming the variables the file says hold them.
    var credentialsFix: String {
        switch kind {
        case .shopify:
            "Create an Admin API access token for the app (Settings > Apps and sales channels > Develop apps) and export it in \(accessTokenEnv ?? apiKeyEnv ?? "the variable stores[].access_token_env names")."
        case .woocommerce:
            "Create a REST API key with Read/Write permission (WooCommerce > Settings > Advanced > REST API) and export it in \(consumerKeyEnv ?? "consumer_key_env") and \(consumerSecretEnv ?? "consumer_secret_env")."
        }
    }

    /// How to give the credentials the permissions a pass needs.
    var permissionsFix: String {
        switch kind {
        case .shopify:
            "Give the app the scopes read/write_customers, read/write_products, read/write_orders, read/write_inventory and reinstall it."
        case .woocommerce:
            "Edit the REST API key (WooCommerce > Settings > Advanced > REST API) and give it Read/Write permission, for a user who can manage WooCommerce."
        }
    }

    /// What to do about `failure` of this store, configured as `stores[index]` of the file at
    /// `configPath`. Every answer ends the same way: nothing is lost, the next pass tries again.
    func fix(for failure: StoreFailure, index: Int, configPath: String) -> String {
        let key = "stores[\(index)]"
        let versionHint = kind == .shopify ? " and \(key).api_version (\(apiVersion))" : ""
        let what: String
        switch failure.kind {
        case .credentialsMissing:
            what = "Add the key the message names to \(configPath), or export the variable it names (the file names the variable; the secret is never in the file). \(credentialsFix)"
        case .unreachable:
            what = "Check \(key).url (\(url)) in \(configPath): it must be the store's origin, reachable from this machine; and check that the store is up."
        case .unauthorized:
            what = "The store refused the credentials. \(credentialsFix)"
        case .forbidden:
            what = "The credentials lack a permission. \(permissionsFix)"
        case .notFound:
            what = "\(url) answers, but not as the store's API: check \(key).url\(versionHint) in \(configPath)."
        case .storeFailing:
            what = "The store is failing or over its rate limit, even after retries; if it persists, check the store's status page or hosting."
        case .unexpectedResponse:
            what = "What answered at \(url) is not the store's API: check \(key).url\(versionHint) in \(configPath)."
        case .refused:
            what = "Run `oorden-sync doctor --config \(configPath)` to see which check fails."
        }
        return what + " The other stores were synced; this one is tried again on the next pass, and its pending writes wait."
    }
}
