//! Our client as both of our benchmark programs build it (`client-ours`, `transfer-ours`).

/// A client for the bench server at `endpoint`: path-style addressing, and the default
/// credentials chain behind the client's credentials cache, as `Client::from_env()` sets
/// it up (every request asks the cache), given fixed keys.
pub fn client(endpoint: &str) -> s3::Client {
    s3::Client::from_conf(
        s3::Config::builder()
            .region("us-east-1")
            .endpoint_url(endpoint)
            .force_path_style(true)
            .credentials_provider(s3_runtime::DefaultCredentialsChain::with_env(s3_runtime::config::Env::from_vars([
                ("AWS_ACCESS_KEY_ID", "AKIDBENCH"),
                ("AWS_SECRET_ACCESS_KEY", "bench-secret-key"),
                ("AWS_CONFIG_FILE", "/nonexistent/config"),
                ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ])))
            .build(),
    )
}
