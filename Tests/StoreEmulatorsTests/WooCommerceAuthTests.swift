import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct WooCommerceAuthTests {
    let url = "http://127.0.0.1:8082/wp-json/wc/v3/customers"

    func error(_ response: StoreResponse) -> (code: String?, message: String?) {
        let json = try? JSONValue.parse(response.body)
        return (json?["code"]?.string, json?["message"]?.string)
    }

    @Test func testHMACImplementationMatchesKnownVectors() {
        // FIPS 180 "abc" vectors, so the signature checks below rest on a verified hash.
        let abc = Array("abc".utf8)
        #expect(Data(TestHMAC.sha256(abc)).base64EncodedString() == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
        #expect(Data(TestHMAC.sha1(abc)).base64EncodedString() == "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
        // RFC 4231 test case 2.
        #expect(Data(TestHMAC.hmac(TestHMAC.sha256, key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))).map { String(format: "%02x", $0) }.joined()
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func basicAuthWorksWhenHTTPSIsAssumed() {
        let site = WooTestSite(assumeHTTPS: true)
        let response = site.send(.get, "customers")
        #expect(response.status == 200)
        #expect(response.headers["X-WP-Total"] == "0")
    }

    @Test func queryStringKeysAreCheckedFirst() {
        let site = WooTestSite(assumeHTTPS: true)
        let c = site.woo.credentials
        let ok = site.woo.handle(StoreRequest(method: .get, path: "/wp-json/wc/v3/customers",
                                              query: [QueryItem("consumer_key", c.consumerKey), QueryItem("consumer_secret", c.consumerSecret)])).response
        #expect(ok?.status == 200)
        // Query keys win over a valid Basic header: a wrong query secret fails.
        let bad = site.woo.handle(StoreRequest(method: .get, path: "/wp-json/wc/v3/customers",
                                               query: [QueryItem("consumer_key", c.consumerKey), QueryItem("consumer_secret", "cs_wrong")],
                                               headers: site.basicAuth)).response!
        #expect(bad.status == 401)
        #expect(error(bad).code == "woocommerce_rest_authentication_error")
        #expect(error(bad).message == "Consumer secret is invalid.")
        #expect(bad.body == Data(#"{"code":"woocommerce_rest_authentication_error","data":{"status":401},"message":"Consumer secret is invalid."}"#.utf8))
    }

    @Test func basicAuthIsRefusedOverPlainHTTP() {
        let site = WooTestSite(assumeHTTPS: false)
        let response = site.send(.get, "customers")
        #expect(response.status == 401)
        #expect(error(response).code == "woocommerce_rest_cannot_view")
        #expect(error(response).message == "Sorry, you cannot list resources.")
        let create = site.send(.post, "customers", json: ["email": "a@b.mx"])
        #expect(create.status == 401)
        #expect(error(create).code == "woocommerce_rest_cannot_create")
        #expect(site.woo.customers().isEmpty)
    }

    func oauthRequest(_ site: WooTestSite, method: String, nonce: String, timestamp: Int64? = nil, extra: [QueryItem] = [QueryItem("per_page", "5")]) -> StoreRequest {
        let c = site.woo.credentials
        let ts = timestamp ?? site.clock.nowMilliseconds() / 1000
        let query = TestOAuth.signedQuery(method: "GET", url: url, extra: extra, key: c.consumerKey, secret: c.consumerSecret,
                                          timestamp: ts, nonce: nonce, signatureMethod: method)
        return StoreRequest(method: .get, path: "/wp-json/wc/v3/customers", query: query)
    }

    @Test(arguments: ["HMAC-SHA256", "HMAC-SHA1"])
    func oauthSignatureIsAccepted(method: String) throws {
        let site = WooTestSite(assumeHTTPS: false)
        try site.woo.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: "López")
        let response = try #require(site.woo.handle(oauthRequest(site, method: method, nonce: "n-\(method)")).response)
        #expect(response.status == 200)
        #expect(site.body(response).array?.count == 1)
    }

    @Test func oauthSignatureWithSpecialCharactersAndHeader() throws {
        let site = WooTestSite(assumeHTTPS: false)
        let c = site.woo.credentials
        let ts = site.clock.nowMilliseconds() / 1000
        let extra = [QueryItem("email", "josé+test@example.mx"), QueryItem("search", "a b&c")]
        let signed = TestOAuth.signedQuery(method: "GET", url: url, extra: extra, key: c.consumerKey, secret: c.consumerSecret,
                                           timestamp: ts, nonce: "hdr1", signatureMethod: "HMAC-SHA256")
        let header = "OAuth " + signed.filter { $0.name.hasPrefix("oauth_") }.map { "\($0.name)=\"\(TestOAuth.encode($0.value))\"" }.joined(separator: ", ")
        let request = StoreRequest(method: .get, path: "/wp-json/wc/v3/customers", query: extra, headers: ["Authorization": header])
        let response = try #require(site.woo.handle(request).response)
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
    }

    @Test func wrongSignatureIsRefusedWithTheExactMessage() throws {
        let site = WooTestSite(assumeHTTPS: false)
        var request = oauthRequest(site, method: "HMAC-SHA256", nonce: "abc")
        request.query = request.query.map { $0.name == "per_page" ? QueryItem("per_page", "6") : $0 }
        let response = try #require(site.woo.handle(request).response)
        #expect(response.status == 401)
        #expect(error(response).code == "woocommerce_rest_authentication_error")
        #expect(error(response).message == "Invalid signature - provided signature does not match.")
    }

    @Test func replayedNonceIsRefused() throws {
        let site = WooTestSite(assumeHTTPS: false)
        let request = oauthRequest(site, method: "HMAC-SHA256", nonce: "once")
        #expect(site.woo.handle(request).response?.status == 200)
        site.clock.advance(by: 60_000)
        let replay = try #require(site.woo.handle(request).response)
        #expect(replay.status == 401)
        #expect(error(replay).message == "Invalid nonce - nonce has already been used.")
        // A new nonce with the same timestamp still works.
        let fresh = oauthRequest(site, method: "HMAC-SHA256", nonce: "twice", timestamp: WooTestSite.start / 1000 + 1)
        #expect(site.woo.handle(fresh).response?.status == 200)
    }

    @Test func staleOrFutureTimestampIsRefused() throws {
        let site = WooTestSite(assumeHTTPS: false)
        let now = site.clock.nowMilliseconds() / 1000
        for ts in [now - 15 * 60 - 1, now + 15 * 60 + 1] {
            let response = try #require(site.woo.handle(oauthRequest(site, method: "HMAC-SHA1", nonce: "ts\(ts)", timestamp: ts)).response)
            #expect(response.status == 401)
            #expect(error(response).message == "Invalid timestamp.")
        }
        #expect(site.woo.handle(oauthRequest(site, method: "HMAC-SHA1", nonce: "edge", timestamp: now - 15 * 60)).response?.status == 200)
    }

    @Test func timestampIsCheckedAgainstTheSkewedSiteClock() throws {
        let site = WooTestSite(assumeHTTPS: false)
        site.woo.clockSkewMilliseconds = 20 * 60_000
        let response = try #require(site.woo.handle(oauthRequest(site, method: "HMAC-SHA256", nonce: "skew")).response)
        #expect(error(response).message == "Invalid timestamp.")
    }

    @Test func missingOAuthParameterAndUnknownKey() throws {
        let site = WooTestSite(assumeHTTPS: false)
        var request = oauthRequest(site, method: "HMAC-SHA256", nonce: "m")
        request.query.removeAll { $0.name == "oauth_nonce" }
        let missing = try #require(site.woo.handle(request).response)
        #expect(error(missing).code == "woocommerce_rest_authentication_missing_parameter")
        #expect(error(missing).message == "Missing OAuth parameter oauth_nonce")
        var unknown = oauthRequest(site, method: "HMAC-SHA256", nonce: "u")
        unknown.query = unknown.query.map { $0.name == "oauth_consumer_key" ? QueryItem($0.name, "ck_nope") : $0 }
        #expect(error(site.woo.handle(unknown).response!).message == "Consumer key is invalid.")
    }

    @Test func readOnlyKeyCannotWrite() {
        let site = WooTestSite(permissions: .read)
        #expect(site.send(.get, "customers").status == 200)
        let response = site.send(.post, "customers", json: ["email": "x@y.mx"])
        #expect(response.status == 401)
        #expect(error(response).message == "The API key provided does not have write permissions.")
        let writeOnly = WooTestSite(permissions: .write)
        #expect(error(writeOnly.send(.get, "customers")).message == "The API key provided does not have read permissions.")
    }
}
