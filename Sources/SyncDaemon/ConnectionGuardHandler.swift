import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// One per receiver connection, right after HTTP decoding: registers the connection with the
/// ``ConnectionLimiter`` (answering `503` and closing when it is refused), tells it when the
/// connection is busy or idle, and closes a connection whose request has not arrived whole within the
/// request timeout — the bound that catches a body sent a byte at a time, which an idle timeout never
/// fires for (every byte is activity).
///
/// The request timeout runs from when the connection is ready for a request (opened, or the previous
/// answer written) until the request's end has been read.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limiter: ConnectionLimiter
    private let requestTimeout: TimeAmount
    private var activated = false
    private var admitted = false
    private var deadline: Scheduled<Void>?

    init(limiter: ConnectionLimiter, requestTimeout: TimeAmount) {
        self.limiter = limiter
        self.requestTimeout = requestTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Admission writes and may close: do it once the pipeline is complete, not while it is built.
        if context.channel.isActive {
            let loop = context.eventLoop.assumeIsolated()
            loop.execute { self.activate(context) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        if admitted { limiter.closed(context.channel) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            limiter.busy(context.channel)
            // A pipelined request may start before the previous answer re-armed the deadline.
            if deadline == nil { scheduleDeadline(context) }
        case .body:
            break
        case .end:
            cancelDeadline()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), admitted {
            limiter.idle(context.channel)
            scheduleDeadline(context)
        }
        context.write(data, promise: promise)
    }

    private func activate(_ context: ChannelHandlerContext) {
        guard !activated, context.channel.isActive else { return }
        activated = true
        switch limiter.admit(context.channel) {
        case .admitted:
            admitted = true
            scheduleDeadline(context)
        case .refused:
            refuse(context)
        }
    }

    /// `503` with `Retry-After`, then close: the client learns at once that the receiver is busy.
    private func refuse(_ context: ChannelHandlerContext) {
        let text = ByteBuffer(string: "busy: the receiver is at its connection limit; retry shortly\n")
        let head = HTTPResponse(status: .serviceUnavailable, headerFields: [
            .connection: "close", .retryAfter: "1", .contentType: "text/plain; charset=utf-8",
            .contentLength: String(text.readableBytes),
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(text)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func scheduleDeadline(_ context: ChannelHandlerContext) {
        cancelDeadline()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: requestTimeout) {
            self.deadline = nil
            self.limiter.timedOut()
            context.close(promise: nil)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension ConnectionGuardHandler: Sendable {}
