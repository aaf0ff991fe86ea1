/// RFC 7396 JSON Merge Patch: how PATCH bodies change a record.
public enum JSONMergePatch {
    /// The target with the patch applied, exactly as RFC 7396 §2 defines it:
    ///
    /// ```
    /// define MergePatch(Target, Patch):
    ///   if Patch is an Object:
    ///     if Target is not an Object:
    ///       Target = {} # Ignore the contents and set it to an empty Object
    ///     for each Name/Value pair in Patch:
    ///       if Value is null:
    ///         if Name exists in Target:
    ///           remove the Name/Value pair from Target
    ///       else:
    ///         Target[Name] = MergePatch(Target[Name], Value)
    ///     return Target
    ///   else:
    ///     return Patch
    /// ```
    ///
    /// So `null` removes a member, arrays and other non-objects replace wholesale, and objects merge
    /// member by member. A member the target lacks is appended after the existing ones.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = target.objectValue ?? JSONObject()
        for (name, value) in patchMembers {
            if value.isNull {
                result[name] = nil
            } else {
                // An absent member is "not an Object", like null: a patch object merges into {}.
                result[name] = apply(value, to: result[name] ?? .null)
            }
        }
        return .object(result)
    }
}
