import Foundation
import SyncCore

/// A bulk operation's JSONL result on disk, read back as whole nodes: each top-level object with
/// the children that name it in `__parentId` gathered under their connection.
///
/// Since 2026-01 Shopify writes results ungrouped (`groupObjects: false`): a child line may come
/// anywhere in the file, before its parent too. So the file is read twice — once to index where
/// every line starts and which parent each child names (a few bytes per line, never the content),
/// then top-level lines in file order, each with its children read back from their offsets. Memory
/// stays proportional to the number of lines, not to the file's size (a big shop's export is
/// hundreds of megabytes).
///
/// ```swift
/// let file = try ShopifyBulkResultFile(path: path, connections: ["ProductVariant": "variants"])
/// try await file.forEachRoot(batch: 250) { nodes in … }   // node["variants"]["nodes"] holds its variants
/// ```
package struct ShopifyBulkResultFile {
    /// Where one line is in the file.
    struct Span {
        var offset: UInt64
        var length: Int
    }

    let path: String
    /// The connection a child goes under, by the type in its global id (`ProductVariant` → `variants`).
    let connections: [String: String]
    private(set) var roots: [Span] = []
    private(set) var children: [String: [Span]] = [:]
    /// Lines that are not objects the join understands (a child without an id type we expect).
    private(set) var lineCount = 0

    /// Indexes the file at `path`.
    package init(path: String, connections: [String: String]) throws {
        self.path = path
        self.connections = connections
        try index()
    }

    /// How many top-level objects the file holds.
    package var rootCount: Int { roots.count }

    /// Calls `body` with up to `batch` top-level nodes at a time, in file order, each carrying its
    /// children as `{"<connection>": {"nodes": [...]}}`. A line that is not JSON is handed on as a
    /// `.failure` with its text, so the caller can hold it.
    package func forEachRoot(batch: Int, _ body: ([Result<JSONValue, ShopifyBulkResultError>]) async throws -> Void) async throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var nodes: [Result<JSONValue, ShopifyBulkResultError>] = []
        nodes.reserveCapacity(batch)
        for span in roots {
            nodes.append(try node(at: span, handle))
            if nodes.count == batch {
                try await body(nodes)
                nodes.removeAll(keepingCapacity: true)
            }
        }
        if !nodes.isEmpty { try await body(nodes) }
    }

    /// The top-level object at `span` with its children joined.
    private func node(at span: Span, _ handle: FileHandle) throws -> Result<JSONValue, ShopifyBulkResultError> {
        let line = try read(span, handle)
        guard case .object(var object)? = try? JSONValue.parse(line) else { return .failure(.notJSON(line: String(decoding: line.prefix(500), as: UTF8.self))) }
        guard let id = object["id"]?.string, let spans = children[id] else { return .success(.object(object)) }
        var grouped: [String: [JSONValue]] = [:]
        for child in spans {
            let text = try read(child, handle)
            guard case .object(var fields)? = try? JSONValue.parse(text) else {
                return .failure(.notJSON(line: String(decoding: text.prefix(500), as: UTF8.self)))
            }
            fields["__parentId"] = nil
            let type = fields["id"]?.string.flatMap(ShopifyGlobalID.type) ?? ""
            guard let connection = connections[type] else { return .failure(.unexpectedChild(parent: id, child: fields["id"]?.string ?? "(no id)")) }
            grouped[connection, default: []].append(.object(fields))
        }
        for (connection, nodes) in grouped { object[connection] = ["nodes": .array(nodes)] }
        return .success(.object(object))
    }

    private func read(_ span: Span, _ handle: FileHandle) throws -> Data {
        try handle.seek(toOffset: span.offset)
        return try handle.read(upToCount: span.length) ?? Data()
    }

    // MARK: Index

    /// One pass over the file in 1 MiB reads, recording every line's span and each child's parent.
    private mutating func index() throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var carry = Data()
        var carryOffset: UInt64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            carry.append(chunk)
            var start = carry.startIndex
            while let newline = carry[start...].firstIndex(of: UInt8(ascii: "\n")) {
                record(carry[start..<newline], offset: carryOffset + UInt64(start - carry.startIndex))
                start = newline + 1
            }
            carryOffset += UInt64(start - carry.startIndex)
            carry = Data(carry[start...])
        }
        record(carry[...], offset: carryOffset)
    }

    private mutating func record(_ line: Data, offset: UInt64) {
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { return }
        lineCount += 1
        let span = Span(offset: offset, length: line.count)
        if let parent = Self.parentID(in: line) { children[parent, default: []].append(span) } else { roots.append(span) }
    }

    static let parentKey = Array(#""__parentId""#.utf8)

    /// The value of `"__parentId"` in a compact JSON line, without parsing the line. The key cannot
    /// match inside a string value: a quote there is written `\"`.
    static func parentID(in line: Data) -> String? {
        let bytes = [UInt8](line)
        guard let keyStart = bytes.firstRange(of: parentKey)?.lowerBound else { return nil }
        var i = keyStart + parentKey.count
        func skipSpace() { while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 } }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        let valueStart = i + 1
        guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: bytes[valueStart..<end], as: UTF8.self)
    }
}

/// A line of a bulk result the join could not read.
package enum ShopifyBulkResultError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line is not a JSON object.
    case notJSON(line: String)
    /// A child whose id type is not one of the query's connections.
    case unexpectedChild(parent: String, child: String)

    package var description: String {
        switch self {
        case .notJSON(let line): "a line of Shopify's bulk result is not a JSON object: \(line)"
        case .unexpectedChild(let parent, let child): "Shopify's bulk result has a child \(child) of \(parent) that the query did not ask for"
        }
    }
}
