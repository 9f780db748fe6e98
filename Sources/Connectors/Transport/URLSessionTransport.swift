import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Synchronization
import SyncCore

/// The production transport: URLSession (libcurl on Linux) against one store origin.
///
/// The URL is `origin + request.target` (`"http://127.0.0.1:8081"` + `/wp-json/wc/v3/customers?page=2`).
/// It asks for `Accept-Encoding: gzip`; URLSession decodes a gzip body before returning it (libcurl's
/// content decoding on Linux, the system stack on Apple platforms), so callers always see plain bytes.
/// Logs carry the method, path and status only — never headers, query strings or bodies, which hold secrets.
///
/// ```swift
/// let transport = URLSessionTransport(origin: "https://shop.example.com", timeoutSeconds: 10, logger: logger)
/// let response = try await transport.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/customers"))
/// ```
public struct URLSessionTransport: StoreTransport {
    /// Scheme, host and optional port, without a trailing slash.
    public let origin: String
    /// Seconds without progress before a request fails with ``StoreAPIError/Code/timeout``, in whole seconds.
    ///
    /// The libcurl-backed URLSession on Linux truncates a request's timeout to whole seconds (0.5 s
    /// becomes an immediate timeout), so the value given to ``init(origin:timeoutSeconds:logger:)`` is
    /// rounded up to a whole number of seconds, at least 1.
    public let timeoutSeconds: Double
    /// The most one request may take in all, however the store trickles its answer (whole seconds,
    /// at least ``timeoutSeconds``). URLSession's own resource timeout is not enforced by
    /// FoundationNetworking on Linux — a store sending a byte a second kept a request open for as
    /// long as it liked — so the transport races the request against this deadline itself.
    public let deadlineSeconds: Double
    private let session: URLSession
    private let logger: Logger

    /// Creates a transport for `origin` (`"http://127.0.0.1:8081"`); a trailing `/` is ignored.
    public init(origin: String, timeoutSeconds: Double = 30, deadlineSeconds: Double = 120, logger: Logger) {
        var o = origin
        while o.hasSuffix("/") { o.removeLast() }
        self.origin = o
        let timeoutSeconds = max(1, timeoutSeconds.rounded(.up))
        self.timeoutSeconds = timeoutSeconds
        self.deadlineSeconds = max(timeoutSeconds, deadlineSeconds.rounded(.up))
        self.logger = logger
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = self.deadlineSeconds
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: configuration)
    }

    public func send(_ request: StoreRequest) async throws -> StoreResponse {
        guard let url = URL(string: origin + request.target), url.scheme != nil, url.host != nil else {
            throw StoreAPIError(
                code: .invalidRequest, method: request.method, path: request.path,
                message: "cannot build a URL from the origin and the request path; check the store URL in the settings (scheme://host[:port])")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.timeoutInterval = timeoutSeconds
        for field in request.headers {
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name)
        }
        if request.headers["Accept-Encoding"] == nil {
            urlRequest.setValue("gzip", forHTTPHeaderField: "Accept-Encoding")
        }
        if !request.body.isEmpty || request.method == .post || request.method == .put || request.method == .patch {
            urlRequest.httpBody = request.body
        }

        let data: Data
        let urlResponse: URLResponse
        do {
            (data, urlResponse) = try await withDeadline(urlRequest, for: request)
        } catch let error as StoreAPIError {
            throw error
        } catch {
            throw Self.classify(error, request: request, timeoutSeconds: timeoutSeconds, logger: logger)
        }
        guard let http = urlResponse as? HTTPURLResponse else {
            throw StoreAPIError(
                code: .malformedResponse, method: request.method, path: request.path,
                message: "the answer was not an HTTP response; check that the store URL uses http or https")
        }
        var headers = HeaderFields()
        for (name, value) in http.allHeaderFields {
            headers.add(String(describing: name), String(describing: value))
        }
        logger.debug("store request done", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.path)", "status": "\(http.statusCode)",
        ])
        return StoreResponse(status: http.statusCode, headers: headers, body: data)
    }

    /// The request's answer, or a ``StoreAPIError/Code/timeout`` once ``deadlineSeconds`` have passed.
    ///
    /// The caller is answered at the deadline without waiting for the request to wind down: the
    /// request is then cancelled, which FoundationNetworking may take a while to honour under load.
    private func withDeadline(_ urlRequest: URLRequest, for request: StoreRequest) async throws -> (Data, URLResponse) {
        let session = self.session
        let deadline = deadlineSeconds
        let logger = self.logger
        let answer = FirstAnswer<(Data, URLResponse)>()
        return try await withCheckedThrowingContinuation { continuation in
            answer.wait(with: continuation)
            let work = Task {
                do { answer.resume(with: .success(try await session.data(for: urlRequest))) } catch { answer.resume(with: .failure(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: .milliseconds(Int64(deadline * 1000)))
                guard !Task.isCancelled else { return }
                let late = StoreAPIError(
                    code: .timeout, method: request.method, path: request.path,
                    message: "the store's answer took longer than \(Int(deadline)) s in all (it kept sending, too slowly); the request may be retried, or raise request_deadline_seconds in the store's configuration")
                if answer.resume(with: .failure(late)) {
                    logger.info("store request past its deadline", metadata: ["method": "\(request.method.rawValue)", "path": "\(request.path)"])
                    work.cancel()
                }
            }
            answer.onResume { timer.cancel() }
        }
    }

    private static func classify(_ error: Error, request: StoreRequest, timeoutSeconds: Double, logger: Logger) -> StoreAPIError {
        let code: StoreAPIError.Code
        let message: String
        if let urlError = error as? URLError, urlError.code == .timedOut {
            code = .timeout
            message = "no answer within \(Int(timeoutSeconds)) s; the request may be retried, or raise timeout_seconds in the store's configuration"
        } else if let urlError = error as? URLError {
            code = .transport
            message = "connection failed (URLError \(urlError.code.rawValue)); check the store URL and that the store is reachable"
        } else {
            code = .transport
            message = "connection failed (\(type(of: error))); check the store URL and that the store is reachable"
        }
        logger.info("store request failed", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.path)", "error": "\(code.rawValue)",
        ])
        return StoreAPIError(code: code, method: request.method, path: request.path, message: message)
    }
}

/// A continuation resumed by whichever of several racers answers first; the others' answers are
/// dropped. `onResume` runs once, after the first answer (or at once if it already came).
final class FirstAnswer<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var early: Result<Value, any Error>?
        var done = false
        var onResume: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    func wait(with continuation: CheckedContinuation<Value, any Error>) {
        let early = state.withLock { s -> Result<Value, any Error>? in
            if let early = s.early { s.early = nil; return early }
            s.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Resumes the waiter with `result` if nothing answered before; returns whether this was first.
    @discardableResult
    func resume(with result: Result<Value, any Error>) -> Bool {
        let (first, continuation, hook) = state.withLock { s -> (Bool, CheckedContinuation<Value, any Error>?, (@Sendable () -> Void)?) in
            guard !s.done else { return (false, nil, nil) }
            s.done = true
            if s.continuation == nil { s.early = result }
            defer { s.continuation = nil; s.onResume = nil }
            return (true, s.continuation, s.onResume)
        }
        continuation?.resume(with: result)
        hook?()
        return first
    }

    func onResume(_ hook: @escaping @Sendable () -> Void) {
        let run = state.withLock { s -> Bool in
            if s.done { return true }
            s.onResume = hook
            return false
        }
        if run { hook() }
    }
}
