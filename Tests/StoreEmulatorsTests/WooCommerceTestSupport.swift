import Foundation
import Logging
import StoreEmulators
import SyncCore
import Testing

/// A WooCommerce emulator on a manual clock, with request helpers for the tests.
struct WooTestSite {
    static let start: Int64 = 1_795_964_405_000  // 2026-11-29T15:00:05Z
    let clock: ManualClock
    let woo: WooCommerceEmulator

    init(seed: UInt64 = 42, assumeHTTPS: Bool = true, permissions: WooCommerceEmulatorConfiguration.KeyPermissions = .readWrite, pricesIncludeTax: Bool = false) {
        clock = ManualClock(milliseconds: Self.start)
        var config = WooCommerceEmulatorConfiguration(siteURL: "http://127.0.0.1:8082", assumeHTTPS: assumeHTTPS, keyPermissions: permissions)
        config.pricesIncludeTax = pricesIncludeTax
        woo = WooCommerceEmulator(configuration: config, seed: seed, clock: clock, logger: Logger(label: "test.woocommerce"))
    }

    var basicAuth: HeaderFields {
        let c = woo.credentials
        return ["Authorization": "Basic " + Data("\(c.consumerKey):\(c.consumerSecret)".utf8).base64EncodedString()]
    }

    /// Sends a request with Basic auth (the site must assume HTTPS) and a JSON body.
    func send(_ method: StoreRequest.Method, _ path: String, query: [QueryItem] = [], json: JSONValue? = nil) -> StoreResponse {
        var headers = basicAuth
        if json != nil { headers["Content-Type"] = "application/json" }
        let request = StoreRequest(method: method, path: "/wp-json/wc/v3/" + path, query: query, headers: headers, body: json?.jsonData ?? Data())
        guard let response = woo.handle(request).response else {
            Issue.record("request timed out")
            return StoreResponse(status: 0)
        }
        return response
    }

    func body(_ response: StoreResponse) -> JSONValue {
        (try? JSONValue.parse(response.body)) ?? .null
    }

    /// Sends and parses, expecting `status`.
    func call(_ method: StoreRequest.Method, _ path: String, query: [QueryItem] = [], json: JSONValue? = nil, expect status: Int = 200,
              sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let response = send(method, path, query: query, json: json)
        #expect(response.status == status, "\(method.rawValue) \(path): \(String(decoding: response.body, as: UTF8.self))", sourceLocation: sourceLocation)
        return body(response)
    }
}

func keysOf(_ value: JSONValue?) -> Set<String> { Set(value?.object?.keys.map { $0 } ?? []) }

// MARK: - An independent HMAC-SHA1 / HMAC-SHA256 (FIPS 180-4, RFC 2104) for checking signatures.

enum TestHMAC {
    static func sha256(_ message: [UInt8]) -> [UInt8] {
        let k: [UInt32] = [
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
            0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
            0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
            0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
            0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
            0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        ]
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        for chunk in padded(message) {
            var w = chunk
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w.append(w[i - 16] &+ s0 &+ w[i - 7] &+ s1)
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
        }
        return h.flatMap(bigEndian)
    }

    static func sha1(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
        for chunk in padded(message) {
            var w = chunk
            for i in 16..<80 { w.append(rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1)) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62C1D6)
                }
                let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, rotl(b, 30), a, t)
            }
            for (i, v) in [a, b, c, d, e].enumerated() { h[i] = h[i] &+ v }
        }
        return h.flatMap(bigEndian)
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

    private static func padded(_ message: [UInt8]) -> [[UInt32]] {
        var m = message
        let bitLength = UInt64(message.count) * 8
        m.append(0x80)
        while m.count % 64 != 56 { m.append(0) }
        for i in (0..<8).reversed() { m.append(UInt8(bitLength >> (UInt64(i) * 8) & 0xff)) }
        return stride(from: 0, to: m.count, by: 64).map { start in
            (0..<16).map { i in
                let j = start + i * 4
                return UInt32(m[j]) << 24 | UInt32(m[j + 1]) << 16 | UInt32(m[j + 2]) << 8 | UInt32(m[j + 3])
            }
        }
    }

    static func hmac(_ hash: ([UInt8]) -> [UInt8], key: [UInt8], message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? hash(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        return hash(k.map { $0 ^ 0x5c } + hash(k.map { $0 ^ 0x36 } + message))
    }

    static func hmacSHA256Base64(key: String, message: [UInt8]) -> String {
        Data(hmac(sha256, key: Array(key.utf8), message: message)).base64EncodedString()
    }

    static func hmacSHA1Base64(key: String, message: [UInt8]) -> String {
        Data(hmac(sha1, key: Array(key.utf8), message: message)).base64EncodedString()
    }
}

/// Signs a request the way a WooCommerce OAuth 1.0a client does, written independently of the emulator.
enum TestOAuth {
    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || "-._~".contains(c) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    static func baseString(method: String, url: String, params: [(String, String)]) -> String {
        let encoded: [(key: String, value: String)] = params.map { (key: encode($0.0), value: encode($0.1)) }
        let sorted = encoded.sorted { (a: (key: String, value: String), b: (key: String, value: String)) -> Bool in
            a.key == b.key ? a.value < b.value : a.key < b.key
        }
        let pairs = sorted.map { $0.key + "=" + $0.value }.joined(separator: "&")
        return "\(method)&\(encode(url))&\(encode(pairs))"
    }

    /// The query of a signed request: `extra` plus the oauth_* parameters and the signature.
    static func signedQuery(method: String, url: String, extra: [QueryItem], key: String, secret: String,
                            timestamp: Int64, nonce: String, signatureMethod: String) -> [QueryItem] {
        var params = extra.map { ($0.name, $0.value) }
        params += [("oauth_consumer_key", key), ("oauth_timestamp", String(timestamp)), ("oauth_nonce", nonce), ("oauth_signature_method", signatureMethod)]
        let base = Array(baseString(method: method, url: url, params: params).utf8)
        let signature = signatureMethod == "HMAC-SHA1"
            ? TestHMAC.hmacSHA1Base64(key: secret + "&", message: base)
            : TestHMAC.hmacSHA256Base64(key: secret + "&", message: base)
        return (params + [("oauth_signature", signature)]).map { QueryItem($0.0, $0.1) }
    }
}
