import HTTPCore
import Storage

/// Records loaded together (a page, or one record), in their order, so that the rows of their
/// child tables can be added to them in place.
///
/// Child rows arrive grouped by record, one query per table, each naming its record by index
/// (see `ChildTable.load`). Mutating a dictionary's values through its subscript copies the value
/// on every row; an array element changes in place.
struct RecordBatch<Element> {
    private(set) var elements: [Element]
    /// The ids, in the order of `elements`.
    let ids: [String]
    /// The ids as one JSON array, in the order of `elements`, for `json_each(?)`: one bound value
    /// however many records.
    let idArray: SQLValue

    init(_ elements: [Element], id: (Element) -> String) {
        self.elements = elements
        ids = elements.map(id)
        var json = JSONWriter(reservingCapacity: elements.count * 16)
        json.strings(ids)
        idArray = .text(String(decoding: json.bytes, as: UTF8.self))
    }

    /// Changes the record at this index of `elements`.
    mutating func update(at index: Int, _ change: (inout Element) throws -> Void) rethrows {
        try change(&elements[index])
    }
}
