import AzdoEmulatorCore
import AzdoHTTP
import Foundation
import NIOCore
import NIOHTTP1

/// Collects one HTTP request, lets the emulator answer it, and writes the answer.
final class EmulatorHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let emulator: Emulator
    private let git: GitBackend?
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(emulator: Emulator, git: GitBackend?) {
        self.emulator = emulator
        self.git = git
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
            // A client sends a proxy the absolute form (`GET http://host/path`), which every
            // server must accept too (RFC 9112 3.2.2): so the emulator also serves as a proxy.
            let absolute = head.uri.hasPrefix("http://") || head.uri.hasPrefix("https://")
            let url = absolute ? head.uri : "http://\(host)\(head.uri)"
            let target = absolute
                ? String(head.uri.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" && $0 != "?" }) : head.uri
            let request = HTTPRequest(
                method: head.method.rawValue, url: url, headers: headers,
                body: body.readableBytes > 0 ? Data(body.readableBytesView) : nil)
            self.head = nil
            let path = String(target.prefix { $0 != "?" })
            let query = target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) } ?? ""
            if let git, let route = GitBackend.route(path: path, query: query) {
                guard emulator.authorizeGit(
                    password: Emulator.gitCredential(request), organization: route.organization, write: route.write)
                else {
                    reply(context, head, HTTPResponse(
                        status: 401,
                        headers: [
                            "WWW-Authenticate": "Basic realm=\"https://emulator.dev.azure.test/\"",
                            "Content-Type": "text/plain",
                        ], body: Data("TF400813: Resource not available for anonymous access.\n".utf8)))
                    return
                }
                let requestBody = request.body ?? Data()
                let requestHeaders = headers
                let loop = context.eventLoop
                let channel = context.channel
                let handler = NIOLoopBound(self, eventLoop: loop)
                let contextBox = NIOLoopBound(context, eventLoop: loop)
                DispatchQueue.global().async {
                    let result = git.run(
                        method: head.method.rawValue, path: path, query: query, headers: requestHeaders, body: requestBody)
                    let responseHeaders = Dictionary(result.headers, uniquingKeysWith: { _, last in last })
                    loop.execute {
                        guard channel.isActive else { return }
                        handler.value.reply(
                            contextBox.value, head,
                            HTTPResponse(status: result.status, headers: responseHeaders, body: result.body))
                    }
                }
                return
            }
            let answer = emulator.reply(to: request)
            if answer.resetConnection {
                // Hang up without a word, as a dropped connection or a crashing proxy would.
                context.close(promise: nil)
                return
            }
            guard answer.delaySeconds > 0 else {
                reply(context, head, answer.response)
                return
            }
            // A `slow` fault: answer late, unless the client gave up and hung up meanwhile.
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let contextBox = NIOLoopBound(context, eventLoop: context.eventLoop)
            let channel = context.channel
            context.eventLoop.scheduleTask(in: .seconds(Int64(answer.delaySeconds))) {
                guard channel.isActive else { return }
                handler.value.reply(contextBox.value, head, answer.response)
            }
        }
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for Unix seconds.
    static func httpDate(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    private func reply(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ response: HTTPResponse) {
        do {
            var responseHeaders = HTTPHeaders()
            for (name, value) in response.headers { responseHeaders.add(name: name, value: value) }
            responseHeaders.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
            responseHeaders.replaceOrAdd(name: "Date", value: Self.httpDate(emulator.time))
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
        }
    }
}
