import HTTPCore
import SQLiteStore

/// Records loaded together (a page, or one record), in their order, found by id so that the
/// rows of their child tables can be added to them in place.
///
/// Child rows arrive grouped by record, one query per table. Mutating a dictionary's values
/// through its subscript copies the value on every row; an array element changes in place.
struct RecordBatch<Element> {
    private(set) var elements: [Element]
    private var positions: [String: Int] = [:]
    /// The ids as one JSON array, in the order of `elements`, for `json_each(?)`: one bound value
    /// however many records (see `ChildTable.load`).
    let idArray: SQLiteValue
    /// The ids, in the order of `elements`.
    let ids: [String]

    init(_ elements: [Element], id: (Element) -> String) {
        self.elements = elements
        positions.reserveCapacity(elements.count)
        ids = elements.map(id)
        var json = JSONWriter(reservingCapacity: elements.count * 16)
        json.strings(ids)
        idArray = .text(String(decoding: json.bytes, as: UTF8.self))
        for (index, id) in ids.enumerated() { positions[id] = index }
    }

    /// Changes the record at this index of `elements`.
    mutating func update(at index: Int, _ change: (inout Element) throws -> Void) rethrows {
        try change(&elements[index])
    }

    /// Changes the record with this id; rows of records not in the batch are ignored.
    mutating func update(_ id: String, _ change: (inout Element) throws -> Void) rethrows {
        guard let index = positions[id] else { return }
        try change(&elements[index])
    }
}
