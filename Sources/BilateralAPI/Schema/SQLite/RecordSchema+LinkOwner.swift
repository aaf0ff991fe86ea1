import Storage

/// Migration 12: the initiative owns the link between a meeting and an initiative.
///
/// A meeting's `initiative_ids` and an initiative's `meeting_ids` were both written, and both
/// replaced the rows of `initiative_meetings` on their side; a body naming a link on one side only
/// undid it from the other, so a second identical import was not `unchanged`. Now only the
/// initiative writes the link, and the meeting's `initiative_ids` is derived (docs/api-changes.md).
///
/// No row changes: the link was always one row of `initiative_meetings`, whichever side wrote it,
/// and both sides read that one table, so every link a meeting wrote is already, and stays, one of
/// its initiative's `meeting_ids`. The version is what changes: a build older than this one, which
/// still lets meetings write links, refuses a database at version 12 (`databaseIsNewer`), so no
/// node behind the same database goes on writing links from the meeting side once one node has
/// switched.
extension RecordSchema {
    static let linkOwnerMigration = Migration(version: 12, name: "initiatives_own_meeting_links") { _ in }
}
