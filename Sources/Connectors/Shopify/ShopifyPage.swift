import Foundation
import SyncCore

/// Cursor paging of Shopify lists through the `Link` response header.
///
/// ```swift
/// // Link: <https://s.myshopify.com/admin/api/2024-10/customers.json?limit=250&page_info=abc>; rel="next"
/// ShopifyPage.nextPageInfo(from: response.headers)   // "abc"
/// ```
public enum ShopifyPage {
    /// The `page_info` of the `rel="next"` link, or `nil` on the last page.
    public static func nextPageInfo(from headers: HeaderFields) -> String? {
        pageInfo(rel: "next", headers: headers)
    }

    /// The `page_info` of the `rel="previous"` link, or `nil` on the first page.
    public static func previousPageInfo(from headers: HeaderFields) -> String? {
        pageInfo(rel: "previous", headers: headers)
    }

    static func pageInfo(rel wanted: String, headers: HeaderFields) -> String? {
        for header in headers.values("Link") {
            for (url, params) in links(in: header) {
                let isWanted = params.split(whereSeparator: { $0 == ";" || $0 == "," }).contains { p in
                    let kv = p.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard kv.count == 2, kv[0].lowercased() == "rel" else { return false }
                    return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).split(separator: " ").contains { $0 == wanted }
                }
                guard isWanted, let q = url.firstIndex(of: "?") else { continue }
                let items = QueryItem.parseQuery(url[url.index(after: q)...])
                if let info = items.first(where: { $0.name == "page_info" })?.value, !info.isEmpty { return info }
            }
        }
        return nil
    }

    /// The `<url>; params` entries of a `Link` value. URLs are taken between `<` and `>`, so commas
    /// inside them (`fields=id,email`) do not split an entry.
    static func links(in header: String) -> [(url: Substring, params: Substring)] {
        var out: [(Substring, Substring)] = []
        var rest = header[...]
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let url = rest[rest.index(after: open)..<close]
            let tail = rest[rest.index(after: close)...]
            let end = tail.firstIndex(of: "<") ?? tail.endIndex
            out.append((url, tail[..<end]))
            rest = tail[end...]
        }
        return out
    }
}
