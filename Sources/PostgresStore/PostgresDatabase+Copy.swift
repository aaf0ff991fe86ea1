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

extension PostgresDatabase: BulkLoading {
    /// Copies `rows` in COPY's text format, 64 KiB of it at a time.
    public func load(_ rows: [[SQLValue]], into table: String, columns: [String]) throws {
        guard !rows.isEmpty else { return }
        let sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        try copyIn(sql) { send in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(80 * 1024)
            for row in rows {
                precondition(row.count == columns.count, "a row of \(row.count) values for \(columns.count) columns")
                for (index, value) in row.enumerated() {
                    if index > 0 { buffer.append(0x09) }
                    try Self.appendCopyText(value, to: &buffer)
                }
                buffer.append(0x0A)
                if buffer.count >= 64 * 1024 {
                    try buffer.withUnsafeBytes { try send($0) }
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try buffer.withUnsafeBytes { try send($0) }
        }
    }

    /// One value in COPY's text format: `\N` for NULL; in text, backslash, tab, newline and
    /// carriage return escaped ("Backslash characters (\) can be used in the COPY data to quote
    /// data characters that might otherwise be taken as row or column delimiters").
    static func appendCopyText(_ value: SQLValue, to buffer: inout [UInt8]) throws {
        switch value {
        case .null: buffer.append(contentsOf: [0x5C, 0x4E])
        case .integer(let number): buffer.append(contentsOf: String(number).utf8)
        case .real(let number): buffer.append(contentsOf: ParameterBuffer.text(of: number).utf8)
        case .text(let text):
            guard !text.utf8.contains(0) else {
                throw PostgresError(
                    kind: .invalidQuery, message: "text argument holds a NUL character, which PostgreSQL cannot store")
            }
            appendEscaped(text.utf8, to: &buffer)
        case .blob(let bytes):
            // bytea's hex input (`\x`, two digits a byte), its backslash doubled for COPY.
            buffer.append(0x5C)
            ParameterBuffer.appendHex(bytes, to: &buffer)
        }
    }

    private static func appendEscaped(_ text: String.UTF8View, to buffer: inout [UInt8]) {
        for byte in text {
            switch byte {
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
            case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
            default: buffer.append(byte)
            }
        }
    }
}
