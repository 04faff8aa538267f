import AzdoEmulatorCore
import AzdoLifecycle
import FoundationEssentials
import NIOCore
import NIOHTTP1

/// Collects one HTTP request, lets the emulator answer it, and writes the answer.
final class EmulatorHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let emulator: Emulator
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(emulator: Emulator) {
        self.emulator = emulator
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for header in head.headers { headers[header.name] = header.value }
            let host = head.headers.first(name: "Host") ?? "127.0.0.1"
            let request = HTTPRequest(
                method: head.method.rawValue, url: "http://\(host)\(head.uri)", headers: headers,
                body: body.readableBytes > 0 ? Data(body.readableBytesView) : nil)
            let response = emulator.handle(request)
            var responseHeaders = HTTPHeaders()
            for (name, value) in response.headers { responseHeaders.add(name: name, value: value) }
            responseHeaders.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
            let keepAlive = head.isKeepAlive
            if !keepAlive { responseHeaders.replaceOrAdd(name: "Connection", value: "close") }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(
                    version: head.version, status: HTTPResponseStatus(statusCode: response.status),
                    headers: responseHeaders))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
            self.head = nil
        }
    }
}
