import Dispatch

/// The socket's side of the shell: writing what the machine queued, the write source that waits
/// for room, and closing once both sources are cancelled.
extension Connection {
    /// Writes what the socket takes now and reports it; waits for writability for the rest.
    func writeQueued() {
        while !outbound.isEmpty {
            switch outbound.write(to: fd) {
            case .done(let count):
                if count == 0 {
                    startWriteSource()
                    return
                }
                machine.wrote(count, now: context.clock.now())
            case .wouldBlock:
                startWriteSource()
                return
            case .closed, .failed:
                machine.socketFailed()
                return
            }
        }
        stopWriteSource()
    }

    func flush() {
        writeQueued()
        perform()
    }

    private func startWriteSource() {
        if writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: loop.queue)
            let bound = self.bound
            source.setEventHandler { bound.unsafeValue().onWritable() }
            source.setCancelHandler { bound.unsafeValue().sourceCancelled() }
            writeSource = source
            sourcesToCancel += 1
        }
        if !writeSourceRunning {
            writeSourceRunning = true
            writeSource?.resume()
        }
    }

    private func stopWriteSource() {
        if writeSourceRunning {
            writeSourceRunning = false
            writeSource?.suspend()
        }
    }

    /// Cancels both sources; the fd is closed when both have been cancelled.
    func closeSources() {
        outbound.removeAll()
        releaseStreamSlot()
        releaseEventStreamSlot()
        push = nil
        if let readSource {
            if readSuspended { readSource.resume(); readSuspended = false }
            readSource.cancel()
        }
        if let writeSource {
            if !writeSourceRunning { writeSource.resume(); writeSourceRunning = true }
            writeSource.cancel()
        }
        if sourcesToCancel == 0 { release() }
    }

    func sourceCancelled() {
        sourcesToCancel -= 1
        if sourcesToCancel == 0 { release() }
    }

    private func release() {
        readSource?.setEventHandler(handler: nil)
        writeSource?.setEventHandler(handler: nil)
        readSource = nil
        writeSource = nil
        SocketIO.close(fd)
        loop.remove(self)
    }
}
