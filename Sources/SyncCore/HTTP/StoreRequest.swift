import Foundation

/// One HTTP request to a store, as a value.
///
/// The engine and the connectors never touch sockets: they describe the work as `StoreRequest`
/// values, and a transport (URLSession in production, an emulator's handler in tests and the
/// simulator) turns each into a ``StoreResponse``. `path` is absolute from the site's origin
/// (`/admin/api/2024-10/customers.json`, `/wp-json/wc/v3/customers`); the query keeps its order
/// because signatures (OAuth 1.0a) depend on exact parameters.
public struct StoreRequest: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case get = "GET", post = "POST", put = "PUT", delete = "DELETE", patch = "PATCH"
    }

    public var method: Method
    public var path: String
    public var query: [QueryItem]
    public var headers: HeaderFields
    public var body: Data
    /// A POST that changes nothing in the store (a GraphQL query): sending it again after a
    /// timeout, a lost connection or a 5xx is safe, so the client retries it like a GET. A POST
    /// that writes (a REST create, a GraphQL mutation) is in doubt instead and is not resent blindly.
    public var repeatsSafely = false

    public init(method: Method, path: String, query: [QueryItem] = [], headers: HeaderFields = HeaderFields(), body: Data = Data()) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of query parameter `name`.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// `path?query`, percent-encoded as RFC 3986 unreserved characters require.
    public var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(QueryItem.percentEncode($0.name))=\(QueryItem.percentEncode($0.value))" }.joined(separator: "&")
    }
}

/// A query parameter; order is significant.
public struct QueryItem: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~` is escaped (PHP `rawurlencode`).
    public static func percentEncode(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF")
                out.append("%")
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
        return out
    }

    /// Decodes `%XX` escapes and, when `plusIsSpace`, `+` as space (form encoding).
    public static func percentDecode(_ s: String, plusIsSpace: Bool = true) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.first {
            it = it.dropFirst()
            if b == UInt8(ascii: "%"), it.count >= 2,
               let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else if b == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(0x20)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `a=1&b=x%20y` into items, in order.
    public static func parseQuery(_ query: Substring) -> [QueryItem] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(String(parts[0]))
            let value = parts.count > 1 ? percentDecode(String(parts[1])) : ""
            return QueryItem(name, value)
        }
    }
}

/// One HTTP response from a store, as a value.
public struct StoreResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HeaderFields
    public var body: Data

    public init(status: Int, headers: HeaderFields = HeaderFields(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response with `Content-Type: application/json; charset=utf-8`.
    public static func json(_ status: Int, _ value: JSONValue, headers: HeaderFields = HeaderFields()) -> StoreResponse {
        var h = headers
        h["Content-Type"] = "application/json; charset=utf-8"
        return StoreResponse(status: status, headers: h, body: value.jsonData)
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
