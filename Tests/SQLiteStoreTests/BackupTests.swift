import Foundation
import HTTPTestSupport
import SQLiteStore
import Storage
import Synchronization
import Testing

@Suite struct BackupTests {
    @Test func backupDuringWritesIsSoundAndConsistent() throws {
        let directory = try TemporaryDirectory()
        let pool = try SQLitePool(
            path: directory.databasePath, configuration: StoreConfiguration(synchronous: .normal))
        defer { pool.close() }
        let padding = [UInt8](repeating: 0xAB, count: 300)
        try pool.write { db in
            try db.execute(
                """
                CREATE TABLE a (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);
                CREATE TABLE b (id INTEGER PRIMARY KEY REFERENCES a(id), payload BLOB NOT NULL);
                """
            )
            for id in 1...3000 {
                try db.execute("INSERT INTO a (id, payload) VALUES (?, ?)", id, padding)
                try db.execute("INSERT INTO b (id, payload) VALUES (?, ?)", id, padding)
            }
        }
        let stop = Atomic<Bool>(false)
        let written = Atomic<Int>(0)
        let writerFinished = DispatchSemaphore(value: 0)
        Thread.detach {
            var id = 3001
            while !stop.load(ordering: .sequentiallyConsistent) {
                try? pool.write { db in
                    try db.execute("INSERT INTO a (id, payload) VALUES (?, ?)", id, padding)
                    try db.execute("INSERT INTO b (id, payload) VALUES (?, ?)", id, padding)
                }
                id += 1
                written.add(1, ordering: .relaxed)
            }
            writerFinished.signal()
        }
        while written.load(ordering: .relaxed) < 10 { usleep(1000) }
        let destination = directory.file("backup.sqlite")
        // Few pages per step, so that writes land between steps.
        try pool.backup(to: destination, pagesPerStep: 16)
        let writtenDuringBackup = written.load(ordering: .relaxed)
        stop.store(true, ordering: .sequentiallyConsistent)
        writerFinished.wait()

        #expect(writtenDuringBackup > 10)
        #expect(!FileManager.default.fileExists(atPath: destination + ".partial"))
        let copy = try SQLiteDatabase(path: destination, mode: .readOnly)
        #expect(try copy.integrityCheck() == ["ok"])
        let countA = try copy.scalar("SELECT count(*) FROM a")?.int ?? 0
        let countB = try copy.scalar("SELECT count(*) FROM b")?.int ?? 0
        #expect(countA >= 3000)
        #expect(countA == countB)
        #expect(try copy.scalar("SELECT max(id) FROM a")?.int == countA)
        #expect(try pool.integrityCheck() == ["ok"])
    }

    @Test func backupReplacesAnExistingFileAndRefusesItsOwnDatabase() throws {
        let directory = try TemporaryDirectory()
        let pool = try SQLitePool(path: directory.databasePath)
        defer { pool.close() }
        try pool.write { try $0.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        let destination = directory.file("backup.sqlite")
        try pool.backup(to: destination)
        try pool.write { try $0.execute("INSERT INTO t VALUES (2)") }
        try pool.backup(to: destination)
        let copy = try SQLiteDatabase(path: destination, mode: .readOnly)
        #expect(try copy.scalar("SELECT count(*) FROM t")?.int == 2)

        #expect(throws: SQLiteError.self) { try pool.backup(to: directory.databasePath) }
        #expect(throws: SQLiteError.self) { try pool.backup(to: directory.file("missing/backup.sqlite")) }
        #expect(try pool.read { try $0.scalar("SELECT count(*) FROM t")?.int } == 2)
    }
}
