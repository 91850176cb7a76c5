import Foundation
import GRDB
import GRDBSQLite
import STSCore
import Testing
@testable import STSStore

/// Issue 13: the store refuses what would lose or damage data (a temporary database, a
/// foreign file, a second scan), reports storage faults in plain words, and keeps
/// `scans.errors` equal to the stored rows.
@Suite struct StoreSafetyTests {
    @Test func temporaryAndInMemoryPathsAreRefused() {
        for path in ["", " ", ":memory:", "file::memory:"] {
            #expect(throws: StoreError.notAFile(path)) { try ResultStore(path: path) }
        }
        #expect(StoreError.notAFile("").description.contains("give a file path"))
    }

    @Test func newDatabasesCarryStsscansIdentity() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        try store.queue.read { (db: Database) throws in
            #expect(try Int32.fetchOne(db, sql: "PRAGMA application_id") == DatabaseIdentity.applicationID)
            #expect(try Int32.fetchOne(db, sql: "PRAGMA user_version") == DatabaseIdentity.formatVersion)
        }
    }

    /// Another application's SQLite file stays byte for byte as it was: no tables, no WAL.
    @Test func foreignSQLiteFileIsRefusedUntouched() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        do {
            let other = try DatabaseQueue(path: temp.path)
            try other.write { db in
                try db.execute(sql: "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts VALUES (1, 'a')")
            }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: temp.path))
        #expect {
            try ResultStore(path: temp.path)
        } throws: { error in
            guard case StoreError.foreignDatabase(let path, let detail) = error else { return false }
            return path == temp.path && detail.contains("accounts")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: temp.path)) == before)
        #expect(!FileManager.default.fileExists(atPath: temp.path + "-wal"))

        // Another application's id, even without tables.
        let tagged = temp.directory.appendingPathComponent("tagged.sqlite").path
        try DatabaseQueue(path: tagged).write { db in try db.execute(sql: "PRAGMA application_id = 42") }
        #expect(throws: StoreError.foreignDatabase(path: tagged, detail: "application_id 0x0000002a")) {
            try ResultStore(path: tagged)
        }
    }

    @Test func fileThatIsNotSQLiteIsRefusedUntouched() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let bytes = Data(String(repeating: "not a database, a text file\n", count: 200).utf8)
        try bytes.write(to: URL(fileURLWithPath: temp.path))
        #expect(throws: StoreError.notADatabase(temp.path)) { try ResultStore(path: temp.path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: temp.path)) == bytes)
    }

    /// Databases written before the identity existed (tables, id 0) are accepted and stamped;
    /// one from a newer format is refused.
    @Test func olderStsscanDatabasesAreAcceptedNewerRefused() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        do {
            let store = try ResultStore(path: temp.path)
            try store.queue.write { db in
                try db.execute(sql: "PRAGMA application_id = 0; PRAGMA user_version = 0")
            }
        }
        let reopened = try ResultStore(path: temp.path)
        #expect(try reopened.queue.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") } == DatabaseIdentity.applicationID)
        try reopened.queue.write { db in try db.execute(sql: "PRAGMA user_version = 99") }
        #expect {
            try ResultStore(path: temp.path)
        } throws: { error in
            guard case StoreError.foreignDatabase(_, let detail) = error else { return false }
            return detail.contains("newer stsscan")
        }
    }

    @Test func oneScanPerDatabaseAtATime() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        var first: ScanLock? = try ScanLock(databasePath: temp.path)
        #expect(throws: StoreError.busy(temp.path)) { try ScanLock(databasePath: temp.path) }
        #expect(StoreError.busy(temp.path).description.contains("in use by another scan"))
        withExtendedLifetime(first) {}
        first = nil
        _ = try ScanLock(databasePath: temp.path)  // free again once the first scan ends
    }

    /// A writer meeting another connection's transaction waits (busy timeout) instead of
    /// failing at once with "database is locked".
    @Test func writerWaitsForAnotherConnection() async throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        let other = try DatabaseQueue(path: temp.path)
        // The write below starts once the other transaction holds the lock (resumed from
        // inside it), and that transaction lasts 0.8 s more.
        var holding: Task<Void, Error>?
        await withCheckedContinuation { (held: CheckedContinuation<Void, Never>) in
            holding = Task.detached {
                var resumed = false
                defer { if !resumed { held.resume() } }
                try other.write { db in
                    try db.execute(sql: "UPDATE scans SET shard = 'held' WHERE id = ?", arguments: [id])
                    held.resume()
                    resumed = true
                    Thread.sleep(forTimeInterval: 0.8)
                }
            }
        }
        let started = ContinuousClock.now
        #expect(try store.write(scanID: id, [Fixtures.plain(0)]) == 1)
        #expect(ContinuousClock.now - started > .milliseconds(300), "the write did not wait for the other transaction")
        try await holding?.value
    }

    /// `scans.errors` at finish is the count of stored rows with an `error_code`, whatever
    /// the running counter said.
    @Test func finishedScanCountsErrorsFromItsRows() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata, inputSHA256: String(repeating: "a", count: 64))
        var records = (0..<10).map(Fixtures.plain)
        for index in [2, 5, 7] { records[index].findings.append(Finding(.mxDNSTimeout)) }
        try store.write(scanID: id, records)
        try store.updateProgress(scanID: id, done: 10, errors: 12)  // a counter that drifted
        try store.finishScan(scanID: id, total: 10, inputSHA256: nil)
        let scan = try #require(try store.scan(id: id))
        #expect(scan.errors == 3 && scan.domainsDone == 10)
        #expect(scan.inputSHA256 == String(repeating: "a", count: 64))  // kept from the start
    }

    @Test func failedStartsLeaveNoScan() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let empty = try store.beginScan(Fixtures.metadata)
        #expect(try store.discardScanIfEmpty(scanID: empty))
        let used = try store.beginScan(Fixtures.metadata)
        try store.write(scanID: used, [Fixtures.full(0)])
        #expect(try !store.discardScanIfEmpty(scanID: used))
        try store.discardScan(scanID: used)
        try store.queue.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM scans") == 0)
            for table in ResultStore.perDomainTables {
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") == 0, "\(table)")
            }
        }
    }

    @Test func sqliteFailuresBecomePlainMessagesWithThePath() {
        let full = StoreError.from(DatabaseError(resultCode: .SQLITE_FULL), path: "/data/s.sqlite", action: "writing results to")
        #expect((full as? StoreError) == .diskFull("/data/s.sqlite"))
        #expect("\(full)".hasPrefix("disk full: /data/s.sqlite"))
        #expect("\(full)".contains("free space"))
        let readOnly = StoreError.from(DatabaseError(resultCode: .SQLITE_READONLY), path: "/ro/s.sqlite", action: "writing results to")
        #expect("\(readOnly)".contains("/ro/s.sqlite") && "\(readOnly)".contains("read-only"))
    }

    /// A SQLite lock after the busy timeout is not a scan's (scans take the `.lock` file
    /// first): the message says another program holds it and names it when it can.
    @Test func aForeignLockNamesItsHolder() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-locked-\(UUID()).sqlite").path
        FileManager.default.createFile(atPath: path, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 3<\"$0\"; exec sleep 30", path]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        var holders: [String] = []
        for _ in 0..<50 where holders.isEmpty {
            holders = LockHolders.describe(path)
            if holders.isEmpty { usleep(20_000) }
        }
        #expect(holders == ["sleep (pid \(holder.processIdentifier))"])
        let error = StoreError.from(DatabaseError(resultCode: .SQLITE_BUSY), path: path, action: "writing to")
        #expect("\(error)".contains("locked by another program, not an stsscan scan (open in sleep (pid"), "\(error)")
        #expect(!"\(error)".contains("in use by another scan"))
    }
}
