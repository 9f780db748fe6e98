import Foundation
internal import GraphQL

/// One bulk query operation of the emulated shop (`BulkOperation` of type `QUERY`).
///
/// Its query runs once, right after `bulkOperationRunQuery` is answered, over the shop as it is
/// at ``createdAt``; the JSONL it wrote is handed out only once the status says `COMPLETED`.
/// The status moves on as the app reads it (`bulkOperation(id:)`, `currentBulkOperation`):
/// `CREATED`, then `RUNNING`, then — after
/// ``ShopifyEmulatorConfiguration/bulkStatusReadsToComplete`` reads — `COMPLETED` (or `FAILED`
/// when a fault was planned), so a client must poll as it would at Shopify. A completed result
/// expires after ``ShopifyEmulatorConfiguration/bulkResultLifetimeSeconds``.
struct ShopifyBulkExport: Sendable {
    /// `BulkOperationStatus`.
    enum Status: String, Sendable {
        case created = "CREATED", running = "RUNNING", completed = "COMPLETED", failed = "FAILED"
        case canceling = "CANCELING", canceled = "CANCELED", expired = "EXPIRED"

        /// Whether the operation still counts against the shop's limit of concurrent operations.
        var isUnderWay: Bool { self == .created || self == .running || self == .canceling }
    }

    let id: Int
    /// The query as the app sent it (Shopify answers it back in `query`).
    let query: String
    let createdAt: Int64
    /// The secret path segment of the result URL.
    let token: String
    /// `https://host` (or `http://127.0.0.1:port`) the result URL starts with.
    let resultBase: String
    var status: Status = .created
    /// `BulkOperationErrorCode` once failed.
    var errorCode: String? = nil
    /// The failure planned for this operation (reported when it would have completed).
    var plannedFailure: String? = nil
    var completedAt: Int64? = nil
    /// Status reads so far.
    var statusReads = 0
    /// The JSONL the query wrote; dropped when the result expires.
    var result: Data? = nil
    var objectCount = 0
    var rootObjectCount = 0

    /// The result's download path (served without authentication, like a signed storage URL).
    var resultPath: String { "\(ShopifyShop.bulkResultsPath)\(token).jsonl" }

    /// `BulkOperation` as the GraphQL API renders it.
    func object(render time: (Int64?) -> String?) -> ShopifyGraphQLObject {
        let hasFile = status == .completed && result != nil && objectCount > 0
        return .values([
            "id": ShopifyGlobalID.make("BulkOperation", id),
            "status": Map.string(status.rawValue),
            "errorCode": errorCode.map { Map.string($0) },
            "createdAt": time(createdAt),
            "completedAt": time(completedAt),
            // UnsignedInt64 travels as a string, as at Shopify.
            "objectCount": String(status == .completed || status == .failed ? objectCount : 0),
            "rootObjectCount": String(status == .completed || status == .failed ? rootObjectCount : 0),
            "fileSize": hasFile ? result.map { String($0.count) } : nil,
            "url": hasFile ? resultBase + resultPath : nil,
            "partialDataUrl": nil,
            "query": query,
            "type": Map.string("QUERY"),
        ])
    }

    /// One status read: the operation moves a step towards its end.
    mutating func advance(readsToComplete: Int, now: Int64) {
        guard status.isUnderWay else { return }
        statusReads += 1
        switch status {
        case .canceling:
            status = .canceled
        case .created, .running:
            guard statusReads >= readsToComplete else {
                status = .running
                return
            }
            if let code = plannedFailure {
                status = .failed
                errorCode = code
                result = nil
            } else {
                status = .completed
            }
            completedAt = now
        default:
            break
        }
    }

    /// Drops the result once its lifetime has passed since completion.
    mutating func expireIfDue(now: Int64, lifetimeMilliseconds: Int64) {
        guard status == .completed, let done = completedAt, now >= done + lifetimeMilliseconds else { return }
        status = .expired
        result = nil
    }
}
