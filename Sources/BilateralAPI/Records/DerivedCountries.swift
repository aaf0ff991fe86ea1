import SQLiteStore

/// Keeps `meeting_countries` and `statement_countries` equal to what they derive from, in the
/// transaction of the write that changed their inputs. The only code that writes either table.
///
/// A meeting's countries: the distinct countries of its participants. A statement's: its
/// speaker's country, its `about` countries, and its meeting's countries.
enum DerivedCountries {
    /// Recomputes the meetings selected by `meetingIDs`, a subquery yielding meeting ids.
    static func refreshMeetings(_ meetingIDs: String, _ arguments: [SQLiteValue], in db: Database) throws {
        try db.execute("DELETE FROM meeting_countries WHERE meeting_id IN (\(meetingIDs))", arguments)
        try db.execute(
            """
            INSERT INTO meeting_countries (meeting_id, country, date)
            SELECT DISTINCT p.meeting_id, a.country, m.date
            FROM meeting_participants p JOIN actors a ON a.id = p.actor_id JOIN meetings m ON m.id = p.meeting_id
            WHERE p.meeting_id IN (\(meetingIDs)) AND a.country IS NOT NULL
            """, arguments)
    }

    /// Recomputes the statements selected by `statementIDs`, a subquery yielding statement ids.
    static func refreshStatements(_ statementIDs: String, _ arguments: [SQLiteValue], in db: Database) throws {
        try db.execute("DELETE FROM statement_countries WHERE statement_id IN (\(statementIDs))", arguments)
        try db.execute(
            """
            INSERT OR IGNORE INTO statement_countries (statement_id, country, date)
            SELECT s.id, a.country, s.date FROM statements s JOIN actors a ON a.id = s.speaker_id
            WHERE s.id IN (\(statementIDs)) AND a.country IS NOT NULL
            UNION
            SELECT s.id, b.country, s.date FROM statements s JOIN statement_about b ON b.statement_id = s.id
            WHERE s.id IN (\(statementIDs))
            UNION
            SELECT s.id, mc.country, s.date FROM statements s JOIN meeting_countries mc ON mc.meeting_id = s.meeting_id
            WHERE s.id IN (\(statementIDs))
            """, arguments + arguments + arguments)
    }

    /// After an actor's country changed: its meetings, then the statements it spoke or that
    /// belong to those meetings.
    static func refreshForActor(_ actorID: String, in db: Database) throws {
        try refreshMeetings("SELECT meeting_id FROM meeting_participants WHERE actor_id = ?", [.text(actorID)], in: db)
        try refreshStatements(
            """
            SELECT id FROM statements WHERE speaker_id = ?
            UNION SELECT s.id FROM statements s JOIN meeting_participants p ON p.meeting_id = s.meeting_id
            WHERE p.actor_id = ?
            """, [.text(actorID), .text(actorID)], in: db)
    }
}
