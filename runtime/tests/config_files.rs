//! The shared-file reader (`s3_runtime::config::profile`) against botocore's
//! `configloader` (configparser + `raw_config_parse` + `build_profile_map`). The expected
//! values were checked against botocore 1.44.8 on the same input.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use s3_runtime::config::profile::{ConfigFile, SectionKind};
use s3_runtime::config::{ConfigError, ProfileFiles};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("s3-runtime-config-files-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn parse(text: &str) -> ConfigFile {
    ConfigFile::parse("test.ini", text).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_error(text: &str) -> (usize, String) {
    match ConfigFile::parse("/x/config", text) {
        Err(ConfigError::Parse { path, line, message }) => {
            assert_eq!(path, Path::new("/x/config"));
            (line, message)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

fn text<'a>(file: &'a ConfigFile, section: &str, key: &str) -> Option<&'a str> {
    file.section(section)?.get(key)?.as_text()
}

#[test]
fn nested_s3_block() {
    let file = parse(
        "[profile dev]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n\n  # a comment\n  use_accelerate_endpoint = true\n",
    );
    let dev = file.profile("dev").unwrap();
    assert_eq!(dev.get("region").unwrap().as_text(), Some("eu-west-1"));
    let s3 = dev.get("s3").unwrap();
    assert_eq!(s3.as_text(), None);
    let nested: Vec<(&str, Option<&str>, usize)> =
        s3.nested().unwrap().iter().map(|p| (p.name(), p.as_text(), p.line())).collect();
    assert_eq!(nested, [("addressing_style", Some("path"), 4), ("use_accelerate_endpoint", Some("true"), 7)]);
}

#[test]
fn nested_block_rules() {
    // Split at the first `=` only; keys keep their case; later duplicates win; tabs indent.
    let file = parse("[default]\ns3 =\n\ta = 1\n\tB = 2\n\ta = 3\n\tc = x = y\n");
    let s3 = file.section("default").unwrap().get("s3").unwrap();
    let nested: Vec<(&str, &str)> = s3.nested().unwrap().iter().map(|p| (p.name(), p.as_text().unwrap())).collect();
    assert_eq!(nested, [("a", "3"), ("B", "2"), ("c", "x = y")]);
    // `s3 =` with nothing indented after it is an empty value, not a block.
    let file = parse("[default]\ns3 =\nregion = r\n");
    assert_eq!(text(&file, "default", "s3"), Some(""));
    // A blank line between `s3 =` and its block does not end it.
    let file = parse("[default]\ns3 =\n\n  addressing_style = path\n");
    assert!(file.section("default").unwrap().get("s3").unwrap().nested_get("addressing_style").is_some());
}

#[test]
fn values_comments_and_delimiters() {
    let file = parse(concat!(
        "# leading comment\n",
        "; another\n",
        "[default]\n",
        "key: value\n",
        "a = b = c\n",
        "url = http://localhost:9000/p\n",
        "Upper_Case = Yes\n",
        "region = us-east-1 # not a comment\n",
        "empty =\n",
        "multi = first\n",
        "  second\n",
        "    # skipped comment\n",
        "  third\n",
    ));
    assert_eq!(text(&file, "default", "key"), Some("value"));
    assert_eq!(text(&file, "default", "a"), Some("b = c"));
    assert_eq!(text(&file, "default", "url"), Some("http://localhost:9000/p"));
    assert_eq!(text(&file, "default", "upper_case"), Some("Yes"), "keys are lower-cased");
    assert_eq!(text(&file, "default", "region"), Some("us-east-1 # not a comment"));
    assert_eq!(text(&file, "default", "empty"), Some(""));
    assert_eq!(text(&file, "default", "multi"), Some("first\nsecond\nthird"));
}

#[test]
fn line_endings() {
    let file = parse("[default]\r\nregion = a\r\ns3 =\r\n  addressing_style = virtual\r\n[profile cr]\rregion = b\r");
    assert_eq!(text(&file, "default", "region"), Some("a"));
    assert!(file.section("default").unwrap().get("s3").unwrap().nested_get("addressing_style").is_some());
    assert_eq!(file.profile("cr").unwrap().get("region").unwrap().as_text(), Some("b"));
}

#[test]
fn profile_section_names() {
    let file = parse(concat!(
        "[profile \"my dev\"]\na = 1\n",
        "[profilex foo]\nb = 2\n",
        "[profile a b]\nc = 3\n",
        "[ default ]\nd = 4\n",
        "[profile default]\ne = 5\n",
        "[default]\nf = 6\n",
        "[services local]\ns3 =\n  endpoint_url = http://localhost:9000\n",
        "[sso-session corp]\ng = 7\n",
        "[preview]\nh = 8\n",
    ));
    let names: Vec<String> = file.profiles().into_iter().map(|(n, _)| n).collect();
    // botocore: `shlex.split`, two words, any header starting with "profile"; the later of
    // `[profile default]` and `[default]` wins; `[ default ]` is not a profile.
    assert_eq!(names, ["my dev", "foo", "default"]);
    assert_eq!(file.profile("default").unwrap().name(), "default");
    assert!(file.profile("default").unwrap().get("f").is_some());
    assert_eq!(file.section(" default ").unwrap().kind(), SectionKind::Other);
    assert_eq!(file.section("services local").unwrap().kind(), SectionKind::Services("local".into()));
    assert_eq!(file.section("sso-session corp").unwrap().kind(), SectionKind::SsoSession("corp".into()));
    assert_eq!(file.section("preview").unwrap().kind(), SectionKind::Other);
    assert!(file.services("local").unwrap().get("s3").unwrap().nested_get("endpoint_url").is_some());
}

#[test]
fn default_section_is_inherited() {
    let file = parse("[DEFAULT]\nregion = from-default\nextra = e\n[default]\nregion = own\n[profile dev]\nx = 1\n");
    assert!(file.section("DEFAULT").is_none());
    assert_eq!(text(&file, "default", "region"), Some("own"));
    assert_eq!(text(&file, "default", "extra"), Some("e"));
    assert_eq!(file.profile("dev").unwrap().get("region").unwrap().as_text(), Some("from-default"));
}

#[test]
fn indentation_quirks() {
    // An indented line continues the previous key, even when it looks like a header.
    let file = parse("[default]\nregion = a\n  [profile dev]\nb = 2\n");
    assert_eq!(text(&file, "default", "region"), Some("a\n[profile dev]"));
    assert!(file.profile("dev").is_none());
    // Indentation is relative to the key line: a section may start indented.
    let file = parse("[default]\n  region = a\n  b = 2\n    c = 3\n");
    assert_eq!(text(&file, "default", "region"), Some("a"));
    assert_eq!(text(&file, "default", "b"), Some("2\nc = 3"));
    // Text after the closing bracket of a header is ignored.
    let file = parse("[default] # comment\nregion = a\n");
    assert_eq!(text(&file, "default", "region"), Some("a"));
}

#[test]
fn malformed_lines_name_their_line() {
    assert_eq!(parse_error("[default]\nregion = a\nthis is bad\nb = 2\n").0, 3);
    assert_eq!(parse_error("# c\n\nregion = a\n[default]\n").0, 3);
    assert_eq!(parse_error("[default]\na = 1\n[default]\nb = 2\n").0, 3);
    assert_eq!(parse_error("[default]\na = 1\nA = 2\n").0, 3);
    assert_eq!(parse_error("[default]\n= x\n").0, 2);
    assert_eq!(parse_error("[default]\ns3 =\n  addressing_style path\n").0, 3);
    assert_eq!(parse_error("[default]\ns3 =\n  addressing_style: path\n").0, 3, "nested lines split at `=` only");
    // A duplicate section stops reading at once; lines that merely cannot be read are
    // reported at the end (configparser's order).
    assert_eq!(parse_error("[default]\nbad line\n[default]\n").0, 3);
    assert_eq!(parse_error("[default]\nbad one\nbad two\n").0, 2);
    let (line, message) = parse_error("\u{feff}[default]\nregion = a\n");
    assert_eq!(line, 1);
    assert!(message.contains("byte order mark"), "{message}");
}

#[test]
fn errors_never_echo_the_line() {
    let (_, message) = parse_error("[default]\naws_secret_access_key wJalrXUtnFEMI/K7MDENG\n");
    assert!(!message.contains("wJalr"), "{message}");
    let err = ConfigFile::parse("/x/credentials", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG\n").unwrap_err();
    assert!(!err.to_string().contains("wJalr"), "{err}");
    assert!(err.to_string().starts_with("/x/credentials:1: "), "{err}");
}

#[test]
fn reads_files_and_reports_paths() {
    let dir = TempDir::new();
    let bad = dir.write("config", "[default]\nregion = a\n\nnot a key value line\n");
    match ConfigFile::read(&bad) {
        Err(err @ ConfigError::Parse { line: 4, .. }) => {
            assert!(err.to_string().contains(&*bad.to_string_lossy()), "{err}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ConfigFile::read(dir.0.join("missing")).unwrap(), None, "a missing file is fine");
    assert_eq!(ConfigFile::read(&dir.0).unwrap(), None, "so is a directory, as os.path.isfile");
    std::fs::write(&bad, b"[default]\nregion = \xff\n").unwrap();
    assert!(matches!(ConfigFile::read(&bad), Err(ConfigError::Parse { line: 2, .. })));
}

#[test]
fn profile_files_merge_credentials_over_config() {
    let dir = TempDir::new();
    let config = dir.write("config", "[profile dev]\nregion = eu-west-1\noutput = json\n[default]\nregion = us-east-1\n");
    let credentials = dir.write("credentials", "[dev]\nregion = ap-south-1\naws_access_key_id = AKID\n[only-creds]\nx = 1\n");
    let files = ProfileFiles::read(&config, &credentials).unwrap();
    let dev = files.profile("dev").unwrap();
    // session.full_config: the credentials file's keys replace the config file's.
    assert_eq!(dev.get("region").unwrap().as_text(), Some("ap-south-1"));
    assert_eq!(dev.get("region").unwrap().file(), credentials.as_path());
    assert_eq!(dev.get("output").unwrap().file(), config.as_path());
    assert!(files.profile("only-creds").is_some());
    assert!(files.profile("nope").is_none());
    assert_eq!(files.profile_names(), ["dev", "default", "only-creds"]);
}

#[test]
fn file_locations_come_from_the_environment() {
    let dir = TempDir::new();
    std::fs::create_dir_all(dir.0.join(".aws")).unwrap();
    dir.write(".aws/config", "[default]\nregion = home-region\n");
    let home = dir.0.to_string_lossy().into_owned();
    let env = |name: &str| match name {
        "HOME" | "USERPROFILE" => Some(home.clone()),
        _ => None,
    };
    let files = ProfileFiles::load(&env).unwrap();
    assert_eq!(files.config_path(), dir.0.join(".aws/config").as_path());
    assert_eq!(files.credentials_path(), dir.0.join(".aws/credentials").as_path());
    assert!(files.config_file().is_some() && files.credentials_file().is_none());

    // AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE override, with `$VAR` and `~` expanded.
    dir.write("other-config", "[profile x]\n");
    let env = |name: &str| match name {
        "HOME" | "USERPROFILE" => Some(home.clone()),
        "DIR" => Some(home.clone()),
        "AWS_CONFIG_FILE" => Some("$DIR/other-config".into()),
        "AWS_SHARED_CREDENTIALS_FILE" => Some("~/nowhere".into()),
        _ => None,
    };
    let files = ProfileFiles::load(&env).unwrap();
    assert_eq!(files.config_path(), dir.0.join("other-config").as_path());
    assert!(files.profile("x").is_some());
    assert!(files.credentials_path().starts_with(&dir.0));
}
