/// The `Cache-Control` values the server sends (RFC 9111 §5.2.2), named for what they mean.
///
/// Every response carries one on purpose: API JSON `revalidate`, static documents `static`,
/// everything else — health, metrics, errors, write answers, streams — `noStore`.
public enum CacheControl {
    /// `no-cache`: a cache may keep the response but "MUST NOT be used to satisfy any other request
    /// without forwarding it for validation" (RFC 9111 §5.2.2.4). Records change on any write, so
    /// no freshness lifetime is safe; the strong `ETag` makes each revalidation a cheap 304.
    public static let revalidate = "no-cache"
    /// `no-store`: never kept (probes, metrics, errors, answers to writes, streams).
    public static let noStore = "no-store"
    /// `public, max-age=3600`: documents that change only with the binary (`/openapi.yaml`, `/docs`);
    /// they carry ETags, so an hour-old copy revalidates cheaply.
    public static let `static` = "public, max-age=3600"
    /// `public, max-age=31536000, immutable`: an asset whose path names its content (the front
    /// door's stylesheet); a new content gets a new path, so a copy never goes stale (RFC 8246).
    public static let immutable = "public, max-age=31536000, immutable"
}
