import SyncCore

/// Who made a ledger change: an Oorden user, or a sync replica writing on a store's behalf.
///
/// The sync engine passes `.sync(replica:)` for its own writes, so when it reads the change feed it
/// can tell its echoes from what Oorden users did. The raw text is `user` or `sync:<replica>`.
///
/// ```swift
/// try ledger.createContact(draft, origin: .sync(replica: "shopify-main"))
/// LedgerOrigin(rawValue: "sync:shopify-main")?.isSync   // true
/// ```
public struct LedgerOrigin: Sendable, Hashable, RawRepresentable, CustomStringConvertible, Codable {
    public let rawValue: String

    /// Accepts `user` or `sync:` followed by a non-empty replica name without spaces.
    public init?(rawValue: String) {
        if rawValue == "user" {
            self.rawValue = rawValue
            return
        }
        guard rawValue.hasPrefix("sync:") else { return nil }
        let replica = rawValue.dropFirst(5)
        guard !replica.isEmpty, !replica.contains(where: { $0.isWhitespace }) else { return nil }
        self.rawValue = rawValue
    }

    /// A change made by a person using Oorden (or its CLI).
    public static let user = LedgerOrigin(validated: "user")

    /// A change written by the sync engine for `replica` (a store link or engine replica id).
    ///
    /// Whitespace in the replica name is replaced by `_` so the origin always round-trips.
    public static func sync(replica: String) -> LedgerOrigin {
        let cleaned = String(replica.map { $0.isWhitespace ? "_" : $0 })
        return LedgerOrigin(validated: "sync:" + (cleaned.isEmpty ? "_" : cleaned))
    }

    private init(validated: String) { rawValue = validated }

    /// True for `sync:<replica>` origins.
    public var isSync: Bool { rawValue.hasPrefix("sync:") }

    /// The replica of a sync origin, `nil` for `.user`.
    public var replica: String? { isSync ? String(rawValue.dropFirst(5)) : nil }

    public var description: String { rawValue }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let origin = LedgerOrigin(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(text)\" is not an origin (expected user or sync:<replica>)")
        }
        self = origin
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
