/// nexsh's version: the one place it is written. It lives in the cassette engine, the lowest
/// module that needs it, because every cassette the engine writes names nexsh as its creator
/// (``Cassette/defaultCreator``); the command line, banners, bundles and reports read it from here.
public enum NexshVersion {
    public static let current = "0.1.0"
}
