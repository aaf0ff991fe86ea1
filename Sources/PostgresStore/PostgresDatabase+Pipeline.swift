import CLibPQ
import Storage

/// A transaction's `BEGIN` and a read's `COMMIT` without a round trip of their own, through libpq's
/// pipeline mode: "the client will wait less for the server, since multiple queries/results can be
/// sent/received in a single network transaction."
///
/// On a loopback connection a round trip costs more than the statements of a short read
/// (switching to the server and back), so `BEGIN` travels with the transaction's first statement
/// and a read-only transaction's `COMMIT` is sent without waiting: its answer is read when the
/// connection is next used (``settle()``). Nothing a caller sees depends on that answer: the
/// snapshot's rows were read already, and a read-only transaction has nothing to lose.
extension PostgresDatabase {
    /// Runs the prepared `statement` right after `begin`, both sent at once: one round trip where
    /// there were two. The caller clears the result.
    /// - Throws: ``PostgresError``: `BEGIN`'s error, or the statement's.
    func runAfterBegin(
        _ begin: String, _ statement: PreparedStatement, _ parameters: ParameterBuffer,
        on connection: OpaquePointer, sql: String
    ) throws -> OpaquePointer {
        guard PQenterPipelineMode(connection) == 1 else { throw lostPipeline(sql: begin) }
        let sent = parameters.withValues { values in
            PQsendQueryParams(connection, begin, 0, nil, nil, nil, nil, 0) == 1
                && PQsendQueryPrepared(connection, statement.name, Int32(values.count), values, nil, nil, 0) == 1
                && PQpipelineSync(connection) == 1
        }
        guard sent else { throw lostPipeline(sql: sql) }
        let results = readPipeline(connection, statements: 2)
        let begun = results[0]
        let result = results[1]
        guard let begun, PQresultStatus(begun) == PGRES_COMMAND_OK else {
            PQclear(result)
            throw failure(begun, sql: begin)
        }
        PQclear(begun)
        let checkedResult = try checked(result, sql: sql, accepting: PGRES_COMMAND_OK, PGRES_TUPLES_OK)
        noteChanges(checkedResult)
        return checkedResult
    }

    /// Sends `COMMIT` and returns without waiting for its answer, which ``settle()`` reads before
    /// the connection's next command. Only for read-only transactions: the caller has what it read,
    /// whatever the answer. A connection that cannot send it is marked broken and connects again.
    func commitWithoutWaiting() {
        guard !isBroken, let connection else { return }
        guard PQenterPipelineMode(connection) == 1,
            PQsendQueryParams(connection, "COMMIT", 0, nil, nil, nil, nil, 0) == 1,
            PQpipelineSync(connection) == 1, PQflush(connection) == 0
        else {
            isBroken = true
            return
        }
        hasUnreadResults = true
    }

    /// Reads the answer to a `COMMIT` sent without waiting, if one is due, so the connection can
    /// take the next command. A transaction the commit left open (it cannot, short of a lost
    /// connection) is rolled back; a lost connection is marked broken.
    func settle() {
        guard hasUnreadResults, let connection else { return }
        hasUnreadResults = false
        let result = readPipeline(connection, statements: 1)[0]
        PQclear(result)
        guard !isBroken, PQstatus(connection) == CONNECTION_OK else {
            isBroken = true
            return
        }
        if PQtransactionStatus(connection) != PQTRANS_IDLE {
            let rollback = PQexec(connection, "ROLLBACK")
            if PQresultStatus(rollback) != PGRES_COMMAND_OK { isBroken = true }
            PQclear(rollback)
        }
    }

    /// The first result of each of `statements` sent in pipeline mode and ended by one
    /// `PQpipelineSync`, read through to the sync, after which pipeline mode is left. A statement
    /// whose result never came (the connection was lost) has `nil`, and the connection is marked
    /// broken. The caller clears the results.
    private func readPipeline(_ connection: OpaquePointer, statements: Int) -> [OpaquePointer?] {
        var results: [OpaquePointer?] = []
        results.reserveCapacity(statements)
        // libpq: "To process the result of one query in a pipeline, the application calls
        // PQgetResult repeatedly and handles each result until PQgetResult returns null."
        for _ in 0..<statements {
            let first = PQgetResult(connection)
            results.append(first)
            guard first != nil else { break }
            while let extra = PQgetResult(connection) { PQclear(extra) }
        }
        // Then the sync's own result; a null now means nothing more is coming.
        var synced = false
        if results.count == statements, results.last.flatMap({ $0 }) != nil {
            while let result = PQgetResult(connection) {
                synced = PQresultStatus(result) == PGRES_PIPELINE_SYNC
                PQclear(result)
                if synced { break }
            }
        }
        if !synced || PQexitPipelineMode(connection) != 1 {
            isBroken = true
        }
        results += [OpaquePointer?](repeating: nil, count: statements - results.count)
        return results
    }

    /// The error of a pipeline that could not be sent: the connection is in an unknown state, so
    /// it is marked broken and connects afresh on the next checkout.
    private func lostPipeline(sql: String) -> PostgresError {
        let error = failure(nil, sql: sql)
        isBroken = true
        return PostgresError(kind: .unavailable, message: error.message, sql: sql)
    }
}
