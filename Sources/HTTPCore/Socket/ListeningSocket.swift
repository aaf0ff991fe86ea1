#if canImport(Glibc)
    import Glibc
#endif

/// A non-blocking TCP socket bound and listening on an IPv4 or IPv6 address.
final class ListeningSocket {
    let fd: Int32
    /// The bound port; differs from the requested one when that was 0 (ephemeral).
    let port: Int

    /// Binds `host:port`. `host` is a numeric address (`127.0.0.1`, `::`) or a name resolved
    /// once at start (`localhost`). `SO_REUSEADDR` lets a restart bind while old connections linger.
    init(host: String, port: Int, backlog: Int32) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SocketError("getaddrinfo(\(host))", code: status == EAI_SYSTEM ? errno : EINVAL)
        }
        defer { freeaddrinfo(list) }

        var lastError = SocketError("bind", code: EADDRNOTAVAIL)
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(
                info.pointee.ai_family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastError = SocketError("socket"); continue }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if info.pointee.ai_family == AF_INET6 {
                // `--host ::` serves IPv4 too (mapped addresses), as users expect of "all interfaces".
                var zero: Int32 = 0
                setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &zero, socklen_t(MemoryLayout<Int32>.size))
            }
            guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                lastError = SocketError("bind \(host):\(port)")
                close(fd)
                continue
            }
            guard listen(fd, backlog) == 0 else {
                lastError = SocketError("listen")
                close(fd)
                continue
            }
            self.fd = fd
            self.port = ListeningSocket.localPort(of: fd)
            return
        }
        throw lastError
    }

    private static func localPort(of fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return 0 }
        return SocketAddress(storage).port
    }

    /// Accepts one pending connection: its non-blocking fd and peer, nil when none is pending.
    /// - Throws: `SocketError` for failures other than "try again" (EMFILE, ENFILE, ...).
    func accept() throws -> (fd: Int32, peer: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.accept(self.fd, $0, &length)
                }
            }
            if fd >= 0 {
                // accept4 is hidden behind _GNU_SOURCE in Glibc's Swift overlay; two fcntls do the same.
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                return (fd, SocketAddress(storage))
            }
            switch errno {
            case EINTR: continue
            // A connection reset while queued is the peer's business, not ours: try the next.
            case ECONNABORTED, EPROTO: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SocketError("accept")
            }
        }
    }
}
