import Foundation
internal import GraphQL
import SyncCore

/// Bulk query operations: started by `bulkOperationRunQuery`, run over the shop as it is then,
/// polled to completion, downloaded from an unauthenticated URL, expired after their lifetime.
extension ShopifyShop {
    /// Where results are served: `GET /bulk-results/<token>.jsonl` (no access token, like the
    /// signed storage URL Shopify hands out).
    static let bulkResultsPath = "/bulk-results/"

    /// How many bulk query operations may be under way at once: 5 from API version 2026-01, 1 before.
    static func concurrentBulkLimit(apiVersion: String) -> Int {
        apiVersion == "unstable" || apiVersion >= "2026-01" ? 5 : 1
    }

    /// Records a new operation of `query` (already checked) to run once the mutation is answered.
    mutating func startBulkExport(query: String, resultBase: String) -> ShopifyBulkExport {
        let export = ShopifyBulkExport(id: newID(), query: query, createdAt: now, token: randomHex(40), resultBase: resultBase)
        bulkExports[export.id] = export
        pendingBulkExports.append(export.id)
        return export
    }

    /// Operations that still count against the concurrency limit.
    var bulkExportsUnderWay: [ShopifyBulkExport] {
        bulkExports.values.filter { $0.status.isUnderWay }.sorted { $0.id < $1.id }
    }

    /// The app's latest bulk query operation (`currentBulkOperation(type: QUERY)`).
    var currentBulkExport: ShopifyBulkExport? {
        bulkExports.keys.max().flatMap { bulkExports[$0] }
    }

    /// Runs the queries of operations the last mutation started, each over the shop as it is now
    /// (the moment the operation was created: nothing has changed since).
    mutating func runPendingBulkExports() {
        let pending = pendingBulkExports
        pendingBulkExports = []
        for id in pending {
            guard var export = bulkExports[id] else { continue }
            bulkExportsRun += 1
            if !plannedBulkFailures.isEmpty {
                export.plannedFailure = plannedBulkFailures.removeFirst()
            } else if let output = exportResult(of: export.query) {
                export.result = output.jsonl
                export.objectCount = output.objectCount
                export.rootObjectCount = output.rootObjectCount
            } else {
                export.plannedFailure = "INTERNAL_SERVER_ERROR"
            }
            bulkExports[id] = export
        }
    }

    /// The JSONL of `query` over this shop, every connection whole; `nil` when it fails to run.
    private func exportResult(of query: String) -> ShopifyBulkResultWriter.Output? {
        guard let document = try? parse(source: Source(body: query, name: "bulk query")) else { return nil }
        let root = ShopifyGraphQLRoot(shop: self).query
        let schema = ShopifyGraphQLSchema.schema
        let sendable = UncheckedDocument(document: document)
        let result = BlockingTaskRunner.shared.run { () async -> GraphQLResult? in
            await ShopifyGraphQLConnection.$exportsWholeConnections.withValue(true) {
                try? await execute(schema: schema, documentAST: sendable.document, rootValue: root, context: ())
            }
        }
        guard let result, result.errors.isEmpty, let data = result.data else { return nil }
        return ShopifyBulkResultWriter(grouped: false).write(data)
    }

    /// One status read of every operation under way (each moves a step), and expiry of old results.
    mutating func readBulkStatuses() {
        let at = now, reads = configuration.bulkStatusReadsToComplete
        for id in bulkExports.keys.sorted() where bulkExports[id]?.status.isUnderWay == true {
            bulkExports[id]?.advance(readsToComplete: reads, now: at)
        }
        expireBulkResults()
    }

    /// Completed results older than their lifetime are gone (status `EXPIRED`).
    mutating func expireBulkResults() {
        let lifetime = configuration.bulkResultLifetimeSeconds * 1000, at = now
        for id in bulkExports.keys where bulkExports[id]?.status == .completed {
            bulkExports[id]?.expireIfDue(now: at, lifetimeMilliseconds: lifetime)
        }
    }

    /// `GET /bulk-results/<token>.jsonl`: the file, 403 once expired (as a signed URL past its
    /// time answers), 404 for a token the shop never handed out.
    mutating func bulkResultDownload(_ request: StoreRequest) -> StoreResponse {
        expireBulkResults()
        let name = request.path.dropFirst(Self.bulkResultsPath.count)
        guard name.hasSuffix(".jsonl"), let export = bulkExports.values.first(where: { $0.token == name.dropLast(6) }) else {
            return Self.storageAnswer(404, "NoSuchKey", "The specified key does not exist.")
        }
        guard export.status == .completed, let data = export.result else {
            return Self.storageAnswer(403, "AccessDenied", "Request has expired.")
        }
        var headers = HeaderFields()
        headers["Content-Type"] = "application/jsonl"
        return StoreResponse(status: 200, headers: headers, body: data)
    }

    /// An error as the storage service behind result URLs answers it (XML, not Shopify JSON).
    static func storageAnswer(_ status: Int, _ code: String, _ message: String) -> StoreResponse {
        var headers = HeaderFields()
        headers["Content-Type"] = "application/xml; charset=UTF-8"
        let xml = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>\(code)</Code><Message>\(message)</Message></Error>"
        return StoreResponse(status: status, headers: headers, body: Data(xml.utf8))
    }

    /// `https://shop` or, behind the loopback server, `http://127.0.0.1:port`: where result URLs point.
    func bulkResultBase(_ request: StoreRequest) -> String {
        if let host = request.headers["Host"], !host.isEmpty {
            let local = host.hasPrefix("127.0.0.1") || host.hasPrefix("localhost") || host.hasPrefix("[::1]")
            return "\(local ? "http" : "https")://\(host)"
        }
        return "https://\(configuration.shopDomain)"
    }
}

// MARK: - Faults and inspection

extension ShopifyEmulator {
    /// The next `count` bulk query operations fail with `errorCode` (`INTERNAL_SERVER_ERROR`,
    /// `TIMEOUT`, `ACCESS_DENIED`) when they would have completed.
    public func failNextBulkOperations(_ count: Int = 1, errorCode: String = "INTERNAL_SERVER_ERROR") {
        state.withLock { $0.plannedBulkFailures += Array(repeating: errorCode, count: count) }
    }

    /// Bulk query operations run since the shop was created.
    public var bulkOperationsRun: Int { state.withLock { $0.bulkExportsRun } }

    /// Bulk query operations still under way (created, running or canceling).
    public var bulkOperationsUnderWay: Int { state.withLock { $0.bulkExportsUnderWay.count } }
}
