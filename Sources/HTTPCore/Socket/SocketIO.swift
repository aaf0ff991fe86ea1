#if canImport(Glibc)
    import Glibc
#endif

/// The outcome of one non-blocking read or write.
enum IOResult: Equatable {
    case done(Int)
    case wouldBlock
    case closed
    case failed(Int32)
}

/// Non-blocking reads and writes on a connected socket; `EINTR` is always retried.
enum SocketIO {
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let n = Glibc.recv(fd, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return .done(n) }
            if n == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errno)
            }
        }
    }

    /// Writes as much of `bytes` as the socket takes now. `MSG_NOSIGNAL`: a peer that has gone
    /// yields EPIPE instead of a SIGPIPE that would kill the process.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let n = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .done(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errno)
            }
        }
    }

    /// Writes as much of the pieces as the socket takes now, in one call (`sendmsg`, so that
    /// `MSG_NOSIGNAL` applies as in `write`).
    static func writev(_ fd: Int32, _ vectors: UnsafeBufferPointer<iovec>) -> IOResult {
        var message = msghdr()
        message.msg_iov = UnsafeMutablePointer(mutating: vectors.baseAddress)
        message.msg_iovlen = vectors.count
        while true {
            let n = Glibc.sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .done(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errno)
            }
        }
    }

    static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Closing with SO_LINGER {1, 0} sends RST: for connections we refuse outright.
    static func setAbortiveClose(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    static func close(_ fd: Int32) {
        // POSIX leaves the fd state unspecified after EINTR on close; on Linux it is released,
        // so retrying would risk closing a reused descriptor. Call once.
        _ = Glibc.close(fd)
    }
}
