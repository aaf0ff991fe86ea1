import HTTPCore

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP client for tests: sends exactly the bytes it is given and reads responses
/// byte for byte, so a test sees what a real peer would see, including how the connection ends.
///
/// Every read waits at most `timeout`; nothing here can hang a test run.
public final class RawClient {
    /// The connected socket.
    public let fd: Int32
    /// How long a read or a write may wait before it throws `RawClientError.timedOut`.
    public var timeout: Duration
    /// Bytes received but not yet consumed by `readResponse()`.
    public private(set) var unreadBytes: [UInt8] = []
    /// The peer closed (EOF) or reset the connection.
    public private(set) var peerClosed = false
    private var closed = false

    private init(fd: Int32, timeout: Duration) {
        self.fd = fd
        self.timeout = timeout
    }

    deinit { close() }

    /// Connects to `host:port` (a numeric IPv4 or IPv6 address).
    /// - Parameters:
    ///   - receiveBufferSize: SO_RCVBUF to set before connecting, to bound what the kernel buffers
    ///     for a client that does not read (backpressure tests).
    /// - Throws: `RawClientError.system` (`isConnectionRefused` when nothing listens).
    public static func connect(
        port: Int, host: String = "127.0.0.1", timeout: Duration = .seconds(5),
        receiveBufferSize: Int? = nil
    ) throws -> RawClient {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let info = list else {
            throw RawClientError.system(call: "getaddrinfo(\(host))", errno: status == EAI_SYSTEM ? errno : EINVAL)
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw RawClientError.system(call: "socket", errno: errno) }
        if let receiveBufferSize {
            var size = Int32(receiveBufferSize)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // A blocked send gives up after the timeout (EAGAIN) instead of hanging the test.
        var sendTimeout = timeval(duration: timeout)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        while Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            let code = errno
            if code == EINTR { continue }
            Glibc.close(fd)
            throw RawClientError.system(call: "connect", errno: code)
        }
        return RawClient(fd: fd, timeout: timeout)
    }

    // MARK: Sending

    /// Sends all of `bytes`.
    /// - Throws: `RawClientError.system` (`isBrokenConnection` once the server has gone), or
    ///   `.timedOut` when the server stops reading for longer than `timeout`.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n >= 0 {
                offset += n
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                throw RawClientError.timedOut(waitingFor: "the peer to read", received: unreadBytes)
            case let code: throw RawClientError.system(call: "send", errno: code)
            }
        }
    }

    /// Sends `string` as UTF-8.
    public func send(_ string: String) throws {
        try send(Array(string.utf8))
    }

    /// Sends `bytes` in pieces of `pieceSize` with a pause after each, so the server receives
    /// them in that many reads (TCP_NODELAY is on).
    public func send(_ bytes: [UInt8], inPiecesOf pieceSize: Int, pause: Duration) throws {
        var start = 0
        while start < bytes.count {
            let end = min(start + max(1, pieceSize), bytes.count)
            try send(Array(bytes[start..<end]))
            start = end
            if start < bytes.count { blockingSleep(pause) }
        }
    }

    /// Half-closes: the server reads EOF, the client can still read.
    public func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes the socket (idempotent).
    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Closes with SO_LINGER {1, 0}: the kernel sends RST instead of FIN.
    public func reset() {
        guard !closed else { return }
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    // MARK: Receiving

    /// Reads one response. A 1xx (such as `100 Continue`) is a response of its own.
    /// - Parameter isHEAD: the request was HEAD: the response has no body whatever its headers say.
    /// - Throws: `RawClientError.closedByPeer` when the connection ends first, `.timedOut`, `.malformedResponse`.
    public func readResponse(isHEAD: Bool = false) throws -> RawResponse {
        let deadline = ContinuousClock.now + timeout
        var reader = ResponseReader(client: self, deadline: deadline)
        return try reader.read(isHEAD: isHEAD)
    }

    /// Reads until the peer closes and returns everything received (buffered bytes first).
    /// - Throws: `RawClientError.timedOut` when the connection stays open longer than `timeout`.
    public func readUntilClose() throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while !peerClosed {
            guard try receive(until: deadline) else { break }
        }
        if !peerClosed { throw RawClientError.timedOut(waitingFor: "the peer to close", received: unreadBytes) }
        return consumeAll()
    }

    /// Waits up to `within` for the peer to close or reset the connection. Bytes that arrive
    /// meanwhile are kept in `unreadBytes`.
    public func isClosedByPeer(within duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        while !peerClosed {
            do {
                guard try receive(until: deadline) else { return peerClosed }
            } catch {
                return peerClosed
            }
        }
        return true
    }

    /// Everything that arrives within `timeout` (stopping early when the peer closes), after
    /// whatever was already buffered. Never throws: a test asserts on what it got.
    public func readAvailable(timeout duration: Duration) -> [UInt8] {
        let deadline = ContinuousClock.now + duration
        while !peerClosed {
            guard (try? receive(until: deadline)) == true else { break }
        }
        return consumeAll()
    }

    /// Waits for more bytes until `deadline` and appends them to `unreadBytes`.
    /// - Returns: true when bytes arrived, false on timeout or when the peer closed.
    /// - Throws: `RawClientError.system` for failures other than a reset.
    func receive(until deadline: ContinuousClock.Instant) throws -> Bool {
        if peerClosed { return false }
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return false }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(
                clamping: remaining.components.seconds * 1000
                    + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw RawClientError.system(call: "poll", errno: errno)
            }
            if ready == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let n = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                unreadBytes.append(contentsOf: chunk[0..<n])
                return true
            }
            if n == 0 {
                peerClosed = true
                return false
            }
            switch errno {
            case EINTR, EAGAIN, EWOULDBLOCK: continue
            case ECONNRESET:
                peerClosed = true
                return false
            case let code: throw RawClientError.system(call: "recv", errno: code)
            }
        }
    }

    /// Removes and returns the first `count` unread bytes.
    func consume(_ count: Int) -> [UInt8] {
        let taken = Array(unreadBytes.prefix(count))
        unreadBytes.removeFirst(taken.count)
        return taken
    }

    private func consumeAll() -> [UInt8] {
        defer { unreadBytes = [] }
        return unreadBytes
    }
}

extension timeval {
    init(duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

/// Blocks the calling thread for `duration` (tests are synchronous by design: they drive a socket).
public func blockingSleep(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR {
        request = remaining
    }
}
