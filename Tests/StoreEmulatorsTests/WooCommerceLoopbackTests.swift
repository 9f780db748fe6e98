import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import StoreEmulators
import SyncCore
import Testing

@Suite struct WooCommerceLoopbackTests {
    func get(_ url: String, headers: [String: String] = [:]) async throws -> (Int, [AnyHashable: Any], Data) {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.timeoutInterval = 10
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.allHeaderFields, data)
    }

    @Test func servesBasicAndOAuthOverLoopback() async throws {
        let site = WooTestSite(seed: 11, assumeHTTPS: false)
        try site.woo.seed(customers: 5, products: 2, orders: 0)
        let server = EmulatorServer(emulator: site.woo, logger: Logger(label: "test.woocommerce.loopback"))
        let port = try await server.start()
        defer { Task { await server.stop() } }
        var config = site.woo.configuration
        config.siteURL = "http://127.0.0.1:\(port)"
        site.woo.configuration = config
        let c = site.woo.credentials
        let base = "http://127.0.0.1:\(port)/wp-json/wc/v3/customers"
        let basic = "Basic " + Data("\(c.consumerKey):\(c.consumerSecret)".utf8).base64EncodedString()

        // Plain HTTP: Basic is ignored, as WooCommerce does.
        let (refused, _, refusedBody) = try await get(base + "?per_page=2", headers: ["Authorization": basic])
        #expect(refused == 401)
        #expect(try JSONValue.parse(refusedBody)["code"]?.string == "woocommerce_rest_cannot_view")

        // OAuth 1.0a signed against siteURL + path.
        let query = TestOAuth.signedQuery(method: "GET", url: base, extra: [QueryItem("per_page", "2")], key: c.consumerKey, secret: c.consumerSecret,
                                          timestamp: site.clock.nowMilliseconds() / 1000, nonce: "loopback-1", signatureMethod: "HMAC-SHA256")
        let target = base + "?" + query.map { "\(TestOAuth.encode($0.name))=\(TestOAuth.encode($0.value))" }.joined(separator: "&")
        let (status, headers, body) = try await get(target)
        #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
        let lowered = Dictionary(uniqueKeysWithValues: headers.map { (String(describing: $0.key).lowercased(), String(describing: $0.value)) })
        #expect(lowered["x-wp-total"] == "5")
        #expect(lowered["x-wp-totalpages"] == "3")
        #expect(try JSONValue.parse(body).array?.count == 2)

        // Behind a TLS-terminating proxy the same Basic request succeeds.
        config.assumeHTTPS = true
        site.woo.configuration = config
        let (ok, _, okBody) = try await get(base + "?per_page=2", headers: ["Authorization": basic])
        #expect(ok == 200)
        #expect(try JSONValue.parse(okBody).array?.count == 2)
        await server.stop()
    }
}
