/// How a request that carries a body is decided from its head, before any body byte is read:
/// route, method, credentials, media type and rate all show in the head, so a request that will
/// be refused costs its head and nothing more (a stranger's 10 MB body is never buffered).
public enum Admission: Sendable {
    /// Read the body, then respond as usual.
    case accept
    /// Answer with this error without reading the body: the connection discards a small body
    /// and closes instead of reading a large one. `100 Continue` is never sent.
    case refuse(HTTPError)
    /// The decision needs a blocking look (a key in the database): `check` runs on a worker
    /// before the body is read, and its error refuses the request. When the whole body has
    /// already arrived with the head there is nothing left to save, and the request is
    /// dispatched without the hop (its handler checks again).
    case check(@Sendable () -> HTTPError?)
}

/// The admission rule of one route, called on the I/O queue: it must not block.
public typealias AdmissionRule = @Sendable (Request) -> Admission
