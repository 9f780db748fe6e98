import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import SyncCore

/// Fetches a bulk operation's result file to disk.
///
/// The URL is Shopify's signed storage link: it carries its own authorisation, so nothing of the
/// shop's credentials is sent with it (a client that signs requests must not be used here).
package protocol BulkResultDownloader: Sendable {
    /// Writes the body at `url` to `file` (created or replaced, readable by its owner only) and
    /// returns the bytes written. A status other than 200 throws a ``StoreAPIError`` naming it.
    func download(_ url: String, to file: URL) async throws -> Int64
}

extension BulkResultDownloader {
    /// Creates `file` empty and private to its owner (merchant data), replacing any earlier one.
    func createPrivateFile(_ file: URL) throws -> FileHandle {
        try? FileManager.default.removeItem(at: file)
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw StoreAPIError(code: .invalidRequest, method: .get, path: file.path,
                                message: "cannot create \(file.path) for a bulk result; check that its directory exists and is writable")
        }
        return try FileHandle(forWritingTo: file)
    }

    static func refused(_ status: Int, _ url: String, _ said: String) -> StoreAPIError {
        let path = URL(string: url)?.path ?? "bulk result"
        let code: StoreAPIError.Code = status == 403 || status == 404 ? .forbidden : status >= 500 ? .server : .clientError
        return StoreAPIError(code: code, storeMessage: said.isEmpty ? nil : String(said.prefix(300)), method: .get, path: path,
                             message: "the bulk result's storage answered \(status)\(status == 403 ? " (an expired or invalid link: the operation is run again)" : "")")
    }
}

/// The production downloader: URLSession (libcurl on Linux) streaming the body to the file as it
/// arrives, so a result of any size never sits in memory.
package struct URLSessionBulkDownloader: BulkResultDownloader {
    /// Seconds without a byte before the download fails.
    let timeoutSeconds: Double

    package init(timeoutSeconds: Double = 60) {
        self.timeoutSeconds = timeoutSeconds
    }

    package func download(_ url: String, to file: URL) async throws -> Int64 {
        guard let target = URL(string: url), target.scheme == "https" || target.scheme == "http" else {
            throw StoreAPIError(code: .malformedResponse, method: .get, path: url, message: "Shopify gave a bulk result URL that is not http(s)")
        }
        let output = try createPrivateFile(file)
        let sink = BulkDownloadSink(output: output)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = max(1, timeoutSeconds.rounded(.up))
        configuration.timeoutIntervalForResource = 6 * 3600
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration, delegate: sink, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let (status, written, said) = try await withCheckedThrowingContinuation { continuation in
            sink.start(continuation)
            session.dataTask(with: URLRequest(url: target)).resume()
        }
        guard status == 200 else { throw Self.refused(status, url, said) }
        return written
    }
}

/// The delegate of ``URLSessionBulkDownloader``: appends each chunk to the file, remembers the
/// status, and resumes the waiting download once the transfer ends.
final class BulkDownloadSink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct State {
        var continuation: CheckedContinuation<(Int, Int64, String), any Error>?
        var status = 0
        var written: Int64 = 0
        var failure: (any Error)?
        /// The start of a refusal's body, for the error message.
        var said = Data()
    }

    private let output: FileHandle
    private let state = Mutex(State())

    init(output: FileHandle) {
        self.output = output
    }

    func start(_ continuation: CheckedContinuation<(Int, Int64, String), any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        state.withLock { $0.status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        state.withLock { s in
            guard s.failure == nil else { return }
            if s.status != 200 {
                if s.said.count < 1000 { s.said.append(data.prefix(1000 - s.said.count)) }
                return
            }
            do {
                try output.write(contentsOf: data)
                s.written += Int64(data.count)
            } catch {
                s.failure = error
                dataTask.cancel()
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, result) = state.withLock { s -> (CheckedContinuation<(Int, Int64, String), any Error>?, Result<(Int, Int64, String), any Error>) in
            let c = s.continuation
            s.continuation = nil
            if let failure = s.failure ?? error.map(Self.transportError) { return (c, .failure(failure)) }
            return (c, .success((s.status, s.written, String(decoding: s.said, as: UTF8.self))))
        }
        try? output.close()
        continuation?.resume(with: result)
    }

    static func transportError(_ error: any Error) -> StoreAPIError {
        let timedOut = (error as? URLError)?.code == .timedOut
        return StoreAPIError(code: timedOut ? .timeout : .transport, method: .get, path: "bulk result",
                             message: "the bulk result's download \(timedOut ? "stalled" : "broke off"): \(error.localizedDescription)")
    }
}

/// A downloader over a ``StoreTransport`` that answers in the same process (the simulator's and
/// tests' emulators behind a closure): the URL's path is sent as a GET, the body written whole.
/// Not for a real store — it holds the body in memory, and a signing transport would send the
/// shop's credentials to the storage host.
package struct TransportBulkDownloader: BulkResultDownloader {
    let transport: any StoreTransport

    package init(transport: any StoreTransport) {
        self.transport = transport
    }

    package func download(_ url: String, to file: URL) async throws -> Int64 {
        guard let target = URL(string: url) else {
            throw StoreAPIError(code: .malformedResponse, method: .get, path: url, message: "Shopify gave a bulk result URL that cannot be read")
        }
        let response = try await transport.send(StoreRequest(method: .get, path: target.path, query: []))
        guard response.status == 200 else { throw Self.refused(response.status, url, String(decoding: response.body.prefix(300), as: UTF8.self)) }
        let output = try createPrivateFile(file)
        defer { try? output.close() }
        try output.write(contentsOf: response.body)
        return Int64(response.body.count)
    }
}
