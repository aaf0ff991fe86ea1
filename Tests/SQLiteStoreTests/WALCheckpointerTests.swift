import Foundation
import HTTPTestSupport
import Testing

@testable import SQLiteStore

@Suite("Checkpoints beside the writer")
struct WALCheckpointerTests {
    private static func walSize(_ directory: TemporaryDirectory) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: directory.databasePath + "-wal")
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test("a WAL past the threshold is checkpointed by the pool's own thread, and nothing is lost")
    func walPastTheThresholdIsCheckpointedInTheBackground() throws {
        let directory = try TemporaryDirectory()
        let pool = try SQLitePool(
            path: directory.databasePath, configuration: StoreConfiguration(checkpointThresholdPages: 8))
        defer { pool.close() }
        try pool.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)") }
        let body = [UInt8](repeating: 0xAB, count: 3000)
        for id in 1...200 {
            try pool.write {
                try $0.execute("INSERT INTO t (id, body) VALUES (?, ?)", [.integer(Int64(id)), .blob(body)])
            }
        }
        let deadline = Date().addingTimeInterval(10)
        while pool.backgroundCheckpoints == 0 && Date() < deadline { usleep(10_000) }
        #expect(pool.backgroundCheckpoints > 0)
        // The log restarts once it is all copied back, and the writer finishes the copy at four
        // thresholds (32 pages): 200 writes of two pages or more would otherwise leave 400.
        #expect(Self.walSize(directory) < 100 * 4120)
        let count = try pool.read { try $0.queryOne("SELECT count(*) FROM t", []) { try $0.int(0) } }
        #expect(count == 200)
        #expect(try pool.integrityCheck() == ["ok"])
    }

    @Test("close stops the thread; the last connection folds the WAL into the file")
    func closeStopsTheThreadAndRemovesTheWAL() throws {
        let directory = try TemporaryDirectory()
        do {
            let pool = try SQLitePool(
                path: directory.databasePath, configuration: StoreConfiguration(checkpointThresholdPages: 2))
            try pool.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)") }
            for id in 1...50 {
                try pool.write { try $0.execute("INSERT INTO t (id) VALUES (?)", [.integer(Int64(id))]) }
            }
            pool.close()
        }
        #expect(!FileManager.default.fileExists(atPath: directory.databasePath + "-wal"))
        let reopened = try SQLitePool(path: directory.databasePath)
        defer { reopened.close() }
        #expect(try reopened.read { try $0.queryOne("SELECT count(*) FROM t", []) { try $0.int(0) } } == 50)
    }

    @Test("a pool dropped without close stops its thread")
    func droppedPoolStopsItsThread() throws {
        let directory = try TemporaryDirectory()
        // The thread holds its checkpointer until it returns: the checkpointer outlives the pool
        // exactly as long as the thread does.
        weak var checkpointer: WALCheckpointer?
        do {
            let pool = try SQLitePool(path: directory.databasePath)
            try pool.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)") }
            checkpointer = pool.checkpointer
            #expect(checkpointer != nil)
        }
        #expect(checkpointer == nil)
    }
}
