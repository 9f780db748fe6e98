import Connectors
import SyncDriver

/// What to do about a store that fails, in the words of the configuration file: `doctor` and
/// `sync --once` give the same advice, naming the keys and environment variables to fix.
extension SyncConfiguration.Store {
    /// How to get credentials the store accepts, naming the variables the file says hold them.
    var credentialsFix: String {
        "\(kind.recordFormat.credentialsAdvice) \(credentialVariables)."
    }

    /// How to give the credentials the permissions a pass needs.
    var permissionsFix: String { kind.recordFormat.permissionsAdvice }

    /// What to do about `failure` of this store, configured as `stores[index]` of the file at
    /// `configPath`. Every answer ends the same way: nothing is lost, the next pass tries again.
    func fix(for failure: StoreFailure, index: Int, configPath: String) -> String {
        let key = "stores[\(index)]"
        let versionHint = kind.recordFormat.hasAPIVersion ? " and \(key).api_version (\(apiVersion))" : ""
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
