#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1 at a port the kernel picks, for the one HTTP request a
/// browser sign-in's redirect brings back. Blocking; `next(within:)` waits for a request.
public final class LoopbackListener: @unchecked Sendable {
    // @unchecked: one caller uses it at a time (the sign-in's waiting thread), then closes it.
    private let socketDescriptor: Int32
    /// The port it listens on.
    public let port: Int

    /// Why no listener could be opened.
    public struct OpenError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The failing call and errno's text.
        public var detail: String
        /// One line.
        public var description: String { "could not listen on 127.0.0.1 (\(detail))" }
    }

    /// Opens the listener.
    public init() throws(OpenError) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw OpenError(detail: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            let detail = String(cString: strerror(errno))
            close(descriptor)
            throw OpenError(detail: detail)
        }
        socketDescriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socketDescriptor) }

    /// One request: its target (`/path?query`) and the connection to answer it on.
    public struct Request {
        /// The request target of the request line, e.g. `/?code=…&state=…`.
        public var target: String
        /// The method, e.g. `GET`.
        public var method: String
        fileprivate var connection: Int32

        /// Answers with `status` and an HTML `body`, then closes the connection.
        public func respond(status: Int, reason: String, html body: String) {
            let bytes = Array(body.utf8)
            let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/html; charset=utf-8\r\n"
                + "Content-Length: \(bytes.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
            let all = Array(head.utf8) + bytes
            var sent = 0
            while sent < all.count {
                let count = all[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                sent += count
            }
            close(connection)
        }
    }

    /// The next request to arrive within `milliseconds`, or nil. A connection that sends no
    /// complete request line within 2 s is dropped.
    public func next(within milliseconds: Int32) -> Request? {
        var poller = pollfd(fd: socketDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) > 0 else { return nil }
        let connection = accept(socketDescriptor, nil, nil)
        guard connection >= 0 else { return nil }
        // Not inherited by the browser this process may start meanwhile.
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while received.count < 16_384, !received.contains(UInt8(ascii: "\n")) {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        let line = String(decoding: received.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/") else {
            close(connection)
            return nil
        }
        return Request(target: String(parts[1]), method: String(parts[0]), connection: connection)
    }
}
