import Foundation
import SyncCore

extension ShopifyGraphQLReader {
    /// Top-level nodes handed on at a time from a bulk export.
    static let bulkPageSize = 250

    /// Every customer by bulk export, pages of ``bulkPageSize``, each page marked with the moment
    /// the export shows (``StorePage/snapshotAt``).
    package func bulkContacts(_ bulk: ShopifyBulkReads, _ body: (StorePage<ContactRecord>) async throws -> Void) async throws {
        try await bulkRead(.contact, query: ShopifyBulkDocuments.customers, connections: [:], bulk) { nodes, total, at in
            try await body(StorePage(items: nodes.map { node in
                StoreItem(json: node.json, record: node.result.flatMap { n in Result { try ShopifyGraphQLRecords.contact(node: n) } })
            }, total: total, snapshotAt: at))
        }
    }

    /// Every product with every variant by bulk export (no second query for a product of many variants).
    package func bulkProducts(_ bulk: ShopifyBulkReads, _ body: (StorePage<[ProductRecord]>) async throws -> Void) async throws {
        try await bulkRead(.product, query: ShopifyBulkDocuments.products, connections: ["ProductVariant": "variants"], bulk) { nodes, total, at in
            try await body(StorePage(items: nodes.map { node in
                StoreItem(json: node.json, record: node.result.flatMap { n in Result { try ShopifyGraphQLRecords.productRecords(node: n) } })
            }, total: total, snapshotAt: at))
        }
    }

    /// A node of a bulk result: the object, or why its line could not be read (with the line).
    package struct BulkNode {
        package var json: JSONValue
        package var result: Result<JSONValue, any Error>
    }

    /// Reads `kind` by bulk export: the export left by an earlier pass if it is still readable,
    /// else a new one; waits for it, downloads the result and hands its nodes on in file order. A
    /// result link that has expired runs the export again, once.
    func bulkRead(_ kind: EntityKind, query: String, connections: [String: String], _ bulk: ShopifyBulkReads,
                  _ page: ([BulkNode], Int?, Int64?) async throws -> Void) async throws {
        var export = try await completedExport(kind, query: query, bulk)
        var url = export.url
        if let link = url {
            let file = resultFile(export, bulk)
            defer { try? FileManager.default.removeItem(at: file) }
            do {
                _ = try await bulk.downloader.download(link, to: file)
            } catch let error as StoreAPIError where error.code == .forbidden {
                try bulk.journal?.bulkReadFinished(kind)
                export = try await completedExport(kind, query: query, bulk)
                url = export.url
                if let again = url { _ = try await bulk.downloader.download(again, to: file) }
            }
            if url != nil {
                let result = try ShopifyBulkResultFile(path: file.path, connections: connections)
                try await result.forEachRoot(batch: Self.bulkPageSize) { lines in
                    try await page(lines.map(Self.bulkNode), export.rootObjectCount ?? result.rootCount, export.createdAt)
                }
            }
        }
        try bulk.journal?.bulkReadFinished(kind)
    }

    static func bulkNode(_ line: Result<JSONValue, ShopifyBulkResultError>) -> BulkNode {
        switch line {
        case .success(let node): BulkNode(json: node, result: .success(node))
        case .failure(let error):
            if case .notJSON(let text) = error { BulkNode(json: .string(text), result: .failure(error)) } else { BulkNode(json: .null, result: .failure(error)) }
        }
    }

    /// `oorden-bulk-<pid>-<store>-<operation number>.jsonl` in the configured directory.
    func resultFile(_ operation: ShopifyBulkOperation, _ bulk: ShopifyBulkReads) -> URL {
        let number = ShopifyGlobalID.numeric(operation.id, type: "BulkOperation") ?? String(operation.id.hashValue, radix: 16)
        let safeStore = String(store.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        return bulk.directory.appendingPathComponent("oorden-bulk-\(getpid())-\(safeStore)-\(number).jsonl")
    }

    // MARK: Operations

    /// A completed export of `query`: the one the journal names when it is under way or completed
    /// (and its link still readable), else one started now; then waited for.
    func completedExport(_ kind: EntityKind, query: String, _ bulk: ShopifyBulkReads) async throws -> ShopifyBulkOperation {
        if let id = try bulk.journal?.pendingBulkRead(kind), let pending = try await bulkOperation(id: id),
           pending.status.isUnderWay || (pending.status == .completed && (pending.url != nil || pending.objectCount == 0)) {
            return try await waitForCompletion(pending, kind: kind, bulk)
        }
        let started = try await startBulkOperation(query, kind: kind, bulk)
        try bulk.journal?.bulkReadStarted(kind, operationID: started.id)
        return try await waitForCompletion(started, kind: kind, bulk)
    }

    /// `bulkOperation(id:)`; nil when Shopify has no such operation.
    func bulkOperation(id: String) async throws -> ShopifyBulkOperation? {
        ShopifyBulkOperation(node: try await client.execute(ShopifyBulkDocuments.operation(id: id))["bulkOperation"])
    }

    /// Starts an export of `query`. When Shopify says an export is already running, the app's
    /// current one is taken over if it runs the same query (a start whose answer was lost), or
    /// waited out and the start tried again.
    func startBulkOperation(_ query: String, kind: EntityKind, _ bulk: ShopifyBulkReads) async throws -> ShopifyBulkOperation {
        for _ in 0..<3 {
            let op = ShopifyBulkDocuments.run(query)
            guard let payload = try await client.execute(op)["bulkOperationRunQuery"], !payload.isNull else { throw missing("bulkOperationRunQuery", in: op.name) }
            let errors = payload["userErrors"]?.array ?? []
            if errors.isEmpty, let started = ShopifyBulkOperation(node: payload["bulkOperation"]) { return started }
            guard errors.contains(where: Self.saysExportRunning) else { throw bulkRefused(kind, errors) }
            guard let current = ShopifyBulkOperation(node: try await client.execute(ShopifyBulkDocuments.current)["currentBulkOperation"]),
                  current.status.isUnderWay else { continue }
            if Self.sameQuery(current.query, query) { return current }
            _ = try? await waitForCompletion(current, kind: kind, bulk)
        }
        throw StoreAPIError(code: .rateLimited, method: .post, path: client.path,
                            message: "Shopify kept another bulk export of store \(store) running; the export of \(Self.resource(kind)) is tried again next pass")
    }

    /// Reads the operation's status until it completes, waiting longer each time; a failed,
    /// cancelled or expired export throws, saying which.
    func waitForCompletion(_ operation: ShopifyBulkOperation, kind: EntityKind, _ bulk: ShopifyBulkReads) async throws -> ShopifyBulkOperation {
        var current = operation
        var wait = bulk.firstPollMilliseconds
        let deadline = clock.nowMilliseconds() + bulk.deadlineMilliseconds
        while current.status.isUnderWay {
            guard clock.nowMilliseconds() < deadline else {
                throw StoreAPIError(code: .timeout, method: .post, path: client.path,
                                    message: "Shopify's bulk export of \(Self.resource(kind)) for store \(store) ran past \(bulk.deadlineMilliseconds / 3_600_000) h; it is read next pass")
            }
            try await client.sleeper.sleep(milliseconds: wait)
            wait = min(bulk.maximumPollMilliseconds, wait * 3 / 2)
            guard let next = try await bulkOperation(id: current.id) else {
                try? bulk.journal?.bulkReadFinished(kind)
                throw vanished(current, kind)
            }
            current = next
        }
        guard current.status == .completed else {
            try? bulk.journal?.bulkReadFinished(kind)
            let code: StoreAPIError.Code = current.errorCode == "ACCESS_DENIED" ? .forbidden : .server
            throw StoreAPIError(code: code, storeErrorCode: current.errorCode, method: .post, path: client.path,
                                message: "Shopify's bulk export of \(Self.resource(kind)) for store \(store) ended \(current.status.rawValue)"
                                    + (current.errorCode.map { " (\($0))" } ?? "")
                                    + (code == .forbidden ? "; grant the app read_\(Self.resource(kind)) and try again" : "; it is run again next pass"))
        }
        return current
    }

    /// Shopify's name of the resource an export reads, for messages and scopes.
    static func resource(_ kind: EntityKind) -> String {
        switch kind {
        case .contact: "customers"
        case .product: "products"
        case .order: "orders"
        }
    }

    static func saysExportRunning(_ error: JSONValue) -> Bool {
        let code = error["code"]?.string ?? ""
        let message = (error["message"]?.string ?? "").lowercased()
        return code == "OPERATION_IN_PROGRESS" || code == "LIMIT_REACHED" || message.contains("already in progress")
    }

    /// Whether two documents are the same query, whatever their whitespace.
    static func sameQuery(_ a: String?, _ b: String) -> Bool {
        func squeezed(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        return a.map(squeezed) == squeezed(b)
    }

    func bulkRefused(_ kind: EntityKind, _ errors: [JSONValue]) -> StoreAPIError {
        let said = errors.compactMap { $0["message"]?.string }.joined(separator: "; ")
        return StoreAPIError(code: .validation, storeMessage: said, storeErrorCode: errors.first?["code"]?.string, method: .post, path: client.path,
                             message: "Shopify refused the bulk export of \(Self.resource(kind)) for store \(store): \(said)")
    }

    func vanished(_ operation: ShopifyBulkOperation, _ kind: EntityKind) -> StoreAPIError {
        StoreAPIError(code: .notFound, method: .post, path: client.path,
                      message: "Shopify no longer knows the bulk export \(operation.id) of \(Self.resource(kind)) for store \(store); it is run again next pass")
    }
}
