/// Reads the members of one JSON object of a request body, recording every broken rule with
/// the JSON path of its field, and which members it looked at, so that whatever is left over
/// can be reported as unknown.
struct ObjectReader {
    let object: JSONObject
    /// The path of this object: "" for the body itself, `participants[1]` for an element.
    let path: String
    /// The members asked for. An array: an object has a dozen members at most, and comparing
    /// short strings costs less than hashing them.
    private var seen: [String] = []

    init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    /// The path of member `key`.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member's value; nil when absent or `null`.
    mutating func value(_ key: String) -> JSONValue? {
        seen.append(key)
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    /// Refuses an explicit `null` for `key`: for optional members whose absence means a default
    /// (an id to generate, `day` precision), a `null` is a mistake, not a way to say "absent".
    mutating func forbidNull(_ keys: String..., errors: inout FieldErrors) {
        for key in keys where object[key]?.isNull == true {
            seen.append(key)
            errors.add(field(key), "must not be null; leave it out to get the default")
        }
    }

    /// Marks read-only members as known: accepted and ignored (SPEC: a client can PUT back what it GOT).
    mutating func ignore(_ keys: String...) {
        for key in keys { seen.append(key) }
    }

    /// Records every member nobody asked for as unknown. Once the list is full the rest are
    /// counted, not walked: a body of 700,000 unknown keys costs no more than one of 100.
    func reportUnknown(_ errors: inout FieldErrors) {
        var walked = 0
        for (key, _) in object {
            if errors.isFull { break }
            walked += 1
            guard !seen.contains(key) else { continue }
            errors.add(field(key), "is not a field of this resource")
        }
        guard walked < object.count else { return }
        // The members not walked: all unknown but those asked for (each key is in the object once).
        let known = Set(seen).count(where: { object[$0] != nil })
        let knownWalked = object[..<walked].count(where: { seen.contains($0.key) })
        errors.addOmitted(object.count - walked - (known - knownWalked))
    }

    mutating func string(_ key: String, _ errors: inout FieldErrors, required: Bool = false, maxLength: Int) -> String?
    {
        guard let value = value(key) else {
            if required { errors.add(field(key), "is required") }
            return nil
        }
        guard case .string(let text) = value else {
            errors.add(field(key), "must be a string, not \(value.typeName)")
            return nil
        }
        return Self.check(text, at: field(key), maxLength: maxLength, &errors)
    }

    /// A text that must not be blank, must fit `maxLength` Unicode scalars and must not hold
    /// U+0000, which PostgreSQL cannot store in text (refused on every backend alike).
    /// `field` is only built for an error.
    static func check(
        _ text: String, at field: @autoclosure () -> String, maxLength: Int, _ errors: inout FieldErrors
    ) -> String? {
        if text.utf8.contains(0) {
            errors.add(field(), "must not contain the NUL character (U+0000)")
            return nil
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            errors.add(field(), "must not be empty or blank")
            return nil
        }
        // No more UTF-8 bytes than the limit: no more scalars either, without counting them.
        if text.utf8.count > maxLength && Rules.length(text) > maxLength {
            errors.add(field(), "must be at most \(maxLength) characters")
            return nil
        }
        return text
    }

    mutating func enumeration(
        _ key: String, _ allowed: [String], _ errors: inout FieldErrors, required: Bool = false
    ) -> String? {
        guard let text = string(key, &errors, required: required, maxLength: 64) else { return nil }
        guard allowed.contains(text) else {
            errors.add(field(key), "must be one of \(allowed.joined(separator: ", "))")
            return nil
        }
        return text
    }

    mutating func date(_ key: String, _ errors: inout FieldErrors, required: Bool = false) -> String? {
        guard let text = string(key, &errors, required: required, maxLength: 10) else { return nil }
        guard Rules.isValidDate(text) else {
            errors.add(field(key), "must be a real calendar date, YYYY-MM-DD")
            return nil
        }
        return text
    }

    /// `date` (required) and `date_precision` (default `day`) of a meeting or statement: with
    /// `month` or `year` precision the date must be the first day of that period.
    mutating func datedFact(_ errors: inout FieldErrors) -> (date: String?, precision: String) {
        let date = date("date", &errors, required: true)
        let precision = enumeration("date_precision", RecordSchema.precisions, &errors) ?? "day"
        if let date, !Rules.dateFits(date, precision: precision) {
            errors.add(
                field("date"),
                precision == "month"
                    ? "must be the 1st of the month when date_precision is month"
                    : "must be 1 January when date_precision is year")
        }
        return (date, precision)
    }

    mutating func country(_ key: String, _ errors: inout FieldErrors, required: Bool = false) -> String? {
        guard let text = string(key, &errors, required: required, maxLength: 2) else { return nil }
        guard KnownCountries.contains(text) else {
            errors.add(field(key), "must be an ISO 3166-1 alpha-2 code in uppercase, like KH or US")
            return nil
        }
        return text
    }

    mutating func bool(_ key: String, _ errors: inout FieldErrors) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            errors.add(field(key), "must be true or false, not \(value.typeName)")
            return nil
        }
        return flag
    }

    /// The elements of an array member (absent: empty), at most `Rules.maxList`. Lists are never
    /// null in the API, so an explicit `null` is refused rather than read as empty.
    mutating func array(_ key: String, _ errors: inout FieldErrors, required: Bool = false) -> [JSONValue] {
        if object[key]?.isNull == true {
            seen.append(key)
            errors.add(field(key), "must be an array, not null; send [] for none")
            return []
        }
        guard let value = value(key) else {
            if required { errors.add(field(key), "is required") }
            return []
        }
        guard case .array(let elements) = value else {
            errors.add(field(key), "must be an array, not \(value.typeName)")
            return []
        }
        guard elements.count <= Rules.maxList else {
            errors.add(field(key), "must have at most \(Rules.maxList) entries")
            return []
        }
        return elements
    }

    /// An array of strings, each checked by `check` (which records its own errors), duplicates refused.
    mutating func strings(
        _ key: String, _ errors: inout FieldErrors, required: Bool = false,
        check: (String, String, inout FieldErrors) -> String?
    ) -> [String] {
        var result: [String] = []
        for (index, element) in array(key, &errors, required: required).enumerated() {
            let path = "\(field(key))[\(index)]"
            guard case .string(let text) = element else {
                errors.add(path, "must be a string, not \(element.typeName)")
                continue
            }
            guard let checked = check(text, path, &errors) else { continue }
            if result.contains(checked) {
                errors.add(path, "repeats '\(checked)'")
                continue
            }
            result.append(checked)
        }
        return result
    }

    /// An array of ids (references to check later).
    mutating func ids(_ key: String, _ errors: inout FieldErrors) -> [String] {
        strings(key, &errors) { text, path, errors in
            guard Rules.isValidID(text) else {
                errors.add(path, Rules.idRule)
                return nil
            }
            return text
        }
    }

    /// An array of area names (`topics`).
    mutating func areas(_ key: String, _ errors: inout FieldErrors) -> [String] {
        strings(key, &errors) { text, path, errors in
            guard RecordSchema.areas.contains(text) else {
                errors.add(path, "must be one of \(RecordSchema.areas.joined(separator: ", "))")
                return nil
            }
            return text
        }
    }

    /// An array of country codes.
    mutating func countries(_ key: String, _ errors: inout FieldErrors, required: Bool = false) -> [String] {
        strings(key, &errors, required: required) { text, path, errors in
            guard KnownCountries.contains(text) else {
                errors.add(path, "must be an ISO 3166-1 alpha-2 code in uppercase, like KH or US")
                return nil
            }
            return text
        }
    }

    /// An array of objects, each read by `read` with its own reader and path.
    mutating func objects<T>(
        _ key: String, _ errors: inout FieldErrors, required: Bool = false,
        read: (inout ObjectReader, inout FieldErrors) -> T?
    ) -> [T] {
        var result: [T] = []
        for (index, element) in array(key, &errors, required: required).enumerated() {
            let path = "\(field(key))[\(index)]"
            guard case .object(let object) = element else {
                errors.add(path, "must be an object, not \(element.typeName)")
                continue
            }
            var reader = ObjectReader(object, path: path)
            if let value = read(&reader, &errors) { result.append(value) }
            reader.reportUnknown(&errors)
        }
        return result
    }
}
