import Foundation

/// A store's `url`: an origin, over HTTPS unless the store is on this machine.
///
/// The store client sends the Shopify access token, WooCommerce Basic credentials or (with
/// `auth: query`) the WooCommerce consumer secret with every request, so plain `http://` to another
/// machine would put them on the wire in clear text. It is accepted for loopback addresses
/// (127.0.0.0/8, `localhost`, `::1`) — local emulators and tunnels — and, for test rigs only, when
/// the store sets `allow_insecure_http`. The client appends API paths to the URL, so a query or user
/// info in it would be wrong or would leak; each is refused naming what to remove. A path is refused
/// too — except the WordPress site path of a WooCommerce store installed in a folder
/// (`https://ejemplo.mx/tienda`, `sitePath`), which is where its REST API lives; an API or admin
/// address pasted instead (`…/wp-json/…`, `…/wp-admin`) is still refused.
enum StoreURL {
    /// The URL without trailing slashes, or a ``ConfigurationError`` for `key` saying what to change.
    static func validate(_ raw: String, allowInsecureHTTP: Bool, sitePath: Bool = false, key: String) throws -> String {
        var url = raw
        while url.hasSuffix("/") { url.removeLast() }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = parts.host, !host.isEmpty
        else {
            throw ConfigurationError(key: key, message: "must be the store's origin starting with https://, such as https://tienda.mx")
        }
        if parts.user != nil || parts.password != nil {
            throw ConfigurationError(key: key, message: "contains user info (the part before '@'); remove it — credentials belong in the environment variables the *_env keys name")
        }
        let pastedAPI = ["/wp-json", "/wp-admin", "/admin"].contains { parts.path.lowercased().contains($0) }
        if !parts.path.isEmpty, !sitePath || pastedAPI {
            throw ConfigurationError(key: key, message: "has the path \(parts.path); remove it and give only the origin, such as \(scheme)://\(hostAndPort(parts))")
        }
        if parts.query != nil {
            throw ConfigurationError(key: key, message: "has a query (the part from '?'); remove it — credentials belong in the environment variables the *_env keys name")
        }
        if parts.fragment != nil {
            throw ConfigurationError(key: key, message: "has a fragment (the part from '#'); remove it")
        }
        if scheme == "http", !allowInsecureHTTP, !isLoopback(host) {
            throw ConfigurationError(key: key, message: """
                uses plain http:// to \(host), which is not this machine: the store's access token, password or consumer secret \
                would travel in clear text. Use https://\(hostAndPort(parts)) (plain http:// is accepted only for 127.0.0.0/8, \
                localhost and ::1; a test rig may set "allow_insecure_http": true on this store)
                """)
        }
        return url
    }

    /// Whether `host` is this machine: 127.0.0.0/8, `localhost` or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    static func hostAndPort(_ parts: URLComponents) -> String {
        let host = parts.host.map { $0.contains(":") && !$0.hasPrefix("[") ? "[\($0)]" : $0 } ?? ""
        return parts.port.map { "\(host):\($0)" } ?? host
    }
}
