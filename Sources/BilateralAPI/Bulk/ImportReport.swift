import HTTPCore

/// What an import did (or, for a dry run or a refused batch, would have done), line by line:
/// the answer of `POST /v1/import` and the report of `bilateral import`.
public struct ImportReport: Sendable, Equatable {
    /// One bad line: its number (from 1), its record's id when it could be read, and why.
    public struct LineError: Error, Sendable, Equatable {
        public var line: Int
        public var id: String?
        public var detail: String
        /// The line's first field errors, at most `FieldErrors.maxListed`.
        public var errors: [ProblemDetails.FieldError]
        /// The line's field errors beyond those listed (`errors_omitted`, written when not zero).
        public var errorsOmitted: Int

        public init(
            line: Int, id: String?, detail: String, errors: [ProblemDetails.FieldError] = [], errorsOmitted: Int = 0
        ) {
            self.line = line
            self.id = id
            self.detail = detail
            self.errors = errors
            self.errorsOmitted = errorsOmitted
        }
    }

    /// Lines whose id was new.
    public var created = 0
    /// Lines that changed their record (its `version` went up).
    public var updated = 0
    /// Lines identical to the stored record, which was left alone.
    public var unchanged = 0
    /// Every bad line, also those beyond the `errors` listed.
    public var failed = 0
    /// The first bad lines, in line order, up to the import's cap.
    public var errors: [LineError] = []
    /// Whether the good lines were written: false for a dry run and for a refused all-or-nothing batch.
    public var committed = false
    /// Nothing was meant to be written: the counts are what the import would have done.
    public var dryRun = false

    public init() {}

    /// The answer's JSON: `{"created","updated","unchanged","failed","errors":[{"line","id","detail","errors"}]}`,
    /// each field error as `{"field","message"}`; a line with more field errors than it lists
    /// adds `"errors_omitted"`.
    public func write(to json: inout JSONWriter) {
        json.key("created")
        json.int(created)
        json.key("updated")
        json.int(updated)
        json.key("unchanged")
        json.int(unchanged)
        json.key("failed")
        json.int(failed)
        json.key("errors")
        json.beginArray()
        for error in errors {
            json.beginObject()
            json.key("line")
            json.int(error.line)
            json.key("id")
            json.optionalString(error.id)
            json.key("detail")
            json.string(error.detail)
            json.key("errors")
            json.beginArray()
            for field in error.errors {
                json.beginObject()
                json.key("field")
                json.string(field.field)
                json.key("message")
                json.string(field.message)
                json.endObject()
            }
            json.endArray()
            if error.errorsOmitted > 0 {
                json.key("errors_omitted")
                json.int(error.errorsOmitted)
            }
            json.endObject()
        }
        json.endArray()
    }

    /// A few readable lines for a terminal: the counts, then each listed error.
    public var summary: String {
        let counts = "created \(created), updated \(updated), unchanged \(unchanged), failed \(failed)\n"
        var text =
            dryRun
            ? "Dry run, nothing written: \(counts)"
            : committed ? counts : "Nothing was imported: \(failed) line(s) are invalid.\n"
        for error in errors {
            var fields = error.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            if error.errorsOmitted > 0 { fields += "; and \(error.errorsOmitted) more" }
            text += "line \(error.line)\(error.id.map { " (\($0))" } ?? ""): \(error.detail)"
            text += fields.isEmpty ? "\n" : " — \(fields)\n"
        }
        if failed > errors.count { text += "... and \(failed - errors.count) more\n" }
        return text
    }
}
