import CLibPQ
import Storage

/// Bulk loading with `COPY ... FROM STDIN`.
extension PostgresDatabase {
    /// Runs `COPY ... FROM STDIN` and sends it the bytes `produce` passes to the function it is
    /// given, in the format the statement names (text, CSV, binary).
    ///
    /// ```swift
    /// try db.copyIn("COPY actors (id, name) FROM STDIN") { send in
    ///     for line in lines { try line.utf8CString.withUnsafeBytes { try send(UnsafeRawBufferPointer(rebasing: $0.dropLast())) } }
    /// }
    /// ```
    /// When `produce` throws, the copy is ended with an error message, so the server aborts it
    /// (libpq: "If errormsg is not NULL then the copy is forced to fail") and nothing is copied.
    /// - Returns: The number of rows copied.
    /// - Throws: What `produce` throws, or ``PostgresError`` (the server rejecting a row, too).
    @discardableResult
    public func copyIn(
        _ sql: String, _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws -> Int {
        let connection = try liveConnection(sql)
        PQclear(try checked(PQexec(connection, sql), sql: sql, accepting: PGRES_COPY_IN))
        do {
            try produce { bytes in
                guard !bytes.isEmpty else { return }
                let sent = PQputCopyData(
                    connection, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(clamping: bytes.count))
                // "The result is 1 if the data was queued, zero if it was not queued because of
                // full buffers (this will only happen in nonblocking mode), or -1 if an error
                // occurred."
                guard sent == 1 else { throw self.failure(nil, sql: sql) }
            }
        } catch {
            _ = PQputCopyEnd(connection, "aborted by the client")
            drainResults(connection, sql: sql)
            throw error
        }
        guard PQputCopyEnd(connection, nil) == 1 else {
            let error = failure(nil, sql: sql)
            drainResults(connection, sql: sql)
            throw error
        }
        var firstError: PostgresError?
        var copied = 0
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                noteChanges(result)
                copied = changes
                PQclear(result)
            } else if firstError == nil {
                firstError = failure(result, sql: sql)
            } else {
                PQclear(result)
            }
        }
        if let firstError {
            throw firstError
        }
        return copied
    }

    /// Reads and clears every result still due, so the connection can take the next command.
    private func drainResults(_ connection: OpaquePointer, sql: String) {
        while let result = PQgetResult(connection) {
            if PQstatus(connection) != CONNECTION_OK {
                _ = failure(result, sql: sql)
            } else {
                PQclear(result)
            }
        }
    }
}
