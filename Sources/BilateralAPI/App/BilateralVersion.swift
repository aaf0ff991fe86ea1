/// The version of this build: what `bilateral version` prints and the front door shows.
public enum BilateralVersion {
    public static let current = "0.1.0"
}
