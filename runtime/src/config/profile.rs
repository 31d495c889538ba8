//! The shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`), read
//! exactly as botocore reads them: Python's `configparser.RawConfigParser` with its default
//! settings, then botocore's `configloader.raw_config_parse` (nested sub-sections) and, for
//! the config file, `configloader.build_profile_map` (`[profile name]` sections).
//!
//! The rules, all from those two readers:
//!
//! - A section starts with a line `[name]` (the name is everything between the first `[`
//!   and the last `]`, so `[ default ]` is the section ` default `). A section name may
//!   appear only once per file, and a key only once per section.
//! - `key = value` or `key: value`, split at the first `=` or `:`; the key is lower-cased,
//!   key and value are stripped of white space. An empty value is fine; a line with no
//!   `=`/`:`, or with nothing before it, is an error.
//! - A line whose first non-blank character is `#` or `;` is a comment. There are no
//!   inline comments: `region = us-east-1 # home` has the value `us-east-1 # home`.
//! - A line indented deeper than the line of the last key continues that key's value. When
//!   the value starts empty (`s3 =`), the indented lines form a nested sub-section of
//!   `key = value` lines (split at the first `=` only; keys keep their case; a later
//!   duplicate wins); otherwise they are joined to the value with newlines. Blank lines
//!   do not end a value; comment lines inside one are skipped.
//! - Keys of a `[DEFAULT]` section are inherited by every other section that lacks them.
//! - In the config file, `[default]` and `[profile NAME]` are profiles (`NAME` is split as
//!   a shell would, so `[profile "my profile"]` is the profile `my profile`; a header with
//!   other than two words is ignored); `[services NAME]` and `[sso-session NAME]` are their
//!   own kinds of section. When two sections name the same profile, the later one wins.
//!   In the credentials file every section is a profile, named exactly as written.
//! - A file that does not exist (or is not a regular file) is simply absent.
//!
//! `Debug` output never shows the values of keys that look secret (`*secret*`, `*token*`,
//! `*password*`, `credential_process`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::ConfigError;

/// One parsed file.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigFile {
    path: Arc<Path>,
    sections: Vec<Section>,
}

/// A `[section]` of a file, with the keys it inherits from `[DEFAULT]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Section {
    name: String,
    line: usize,
    properties: Vec<Property>,
}

/// One `key = value` of a section, or of a nested sub-section.
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    name: String,
    line: usize,
    file: Arc<Path>,
    value: Value,
}

#[derive(Clone, PartialEq, Eq)]
enum Value {
    Text(String),
    Nested(Vec<Property>),
}

/// What a config-file section header means (botocore's `build_profile_map`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// `[default]` or `[profile NAME]`: a profile.
    Profile(String),
    /// `[services NAME]`: service-specific settings a profile can refer to with `services = NAME`.
    Services(String),
    /// `[sso-session NAME]`.
    SsoSession(String),
    /// Anything else; botocore keeps it aside and never reads it as a profile.
    Other,
}

impl ConfigFile {
    /// Reads and parses the file at `path`; `Ok(None)` when there is no regular file there
    /// (botocore's `ConfigNotFound`, which every caller treats as "no settings").
    pub fn read(path: impl Into<PathBuf>) -> Result<Option<ConfigFile>, ConfigError> {
        let path: PathBuf = path.into();
        if !path.is_file() {
            return Ok(None);
        }
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(ConfigError::Io { path, message: err.to_string() }),
        };
        match String::from_utf8(bytes) {
            Ok(text) => ConfigFile::parse(path, &text).map(Some),
            Err(err) => {
                let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
                // The valid prefix is UTF-8 by definition.
                let line = lines(std::str::from_utf8(valid).unwrap_or_default()).count().max(1);
                let line = if valid.ends_with(b"\n") || valid.ends_with(b"\r") { line + 1 } else { line };
                Err(ConfigError::Parse { path, line, message: "the file is not valid UTF-8".into() })
            }
        }
    }

    /// Parses `text` as the contents of the file at `path` (used in error messages).
    pub fn parse(path: impl Into<PathBuf>, text: &str) -> Result<ConfigFile, ConfigError> {
        Parser::new(Arc::from(path.into())).parse(text)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every section in file order (without `[DEFAULT]`, whose keys every section has).
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// The section with exactly this name, as in the credentials file (`[default]`, `[dev]`).
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// The profiles of a config file, by name, in file order; when two sections name the
    /// same profile, only the later one is listed.
    pub fn profiles(&self) -> Vec<(String, &Section)> {
        let mut out: Vec<(String, &Section)> = Vec::new();
        for section in &self.sections {
            if let SectionKind::Profile(name) = section.kind() {
                match out.iter_mut().find(|(n, _)| *n == name) {
                    // A Python dict keeps the first position of a key and the last value.
                    Some(slot) => slot.1 = section,
                    None => out.push((name, section)),
                }
            }
        }
        out
    }

    /// The config-file profile `name` (`[default]` or `[profile name]`).
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.sections.iter().rev().find(|s| matches!(s.kind(), SectionKind::Profile(n) if n == name))
    }

    /// The config-file section `[services name]`.
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.sections.iter().rev().find(|s| matches!(s.kind(), SectionKind::Services(n) if n == name))
    }

    /// The config-file section `[sso-session name]` (botocore's `sso_sessions`).
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sections.iter().rev().find(|s| matches!(s.kind(), SectionKind::SsoSession(n) if n == name))
    }
}

impl Section {
    /// The name between the brackets, exactly as written.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The line (1-based) of the `[section]` header.
    pub fn line(&self) -> usize {
        self.line
    }

    /// What the header means in a config file.
    pub fn kind(&self) -> SectionKind {
        let name = self.name.as_str();
        let named = |prefix: &str, make: fn(String) -> SectionKind| {
            // botocore's `_parse_section`: `shlex.split(key)`, exactly two words.
            if !name.starts_with(prefix) {
                return None;
            }
            Some(match shlex_split(name) {
                Some(words) if words.len() == 2 => make(words.into_iter().nth(1).unwrap_or_default()),
                _ => SectionKind::Other,
            })
        };
        named("profile", SectionKind::Profile)
            .or_else(|| named("sso-session", SectionKind::SsoSession))
            .or_else(|| named("services", SectionKind::Services))
            .unwrap_or_else(|| if name == "default" { SectionKind::Profile(name.into()) } else { SectionKind::Other })
    }

    /// The section's keys in file order, then the keys inherited from `[DEFAULT]`.
    pub fn properties(&self) -> &[Property] {
        &self.properties
    }

    /// The key `name` (keys are lower-case).
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

impl Property {
    /// The key: lower-cased for a section's keys, as written for a nested one.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The line (1-based) of the key.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The file the key is in.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The value, unless it is a nested sub-section.
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Text(text) => Some(text),
            Value::Nested(_) => None,
        }
    }

    /// The keys of a nested sub-section (`s3 =` followed by indented `key = value` lines).
    pub fn nested(&self) -> Option<&[Property]> {
        match &self.value {
            Value::Text(_) => None,
            Value::Nested(props) => Some(props),
        }
    }

    /// The key `name` of a nested sub-section.
    pub fn nested_get(&self, name: &str) -> Option<&Property> {
        self.nested()?.iter().find(|p| p.name == name)
    }
}

/// Both shared files, as botocore's session reads them: the config file with
/// `load_config` (profiles from `[default]` / `[profile name]`), the credentials file with
/// `raw_config_parse` (every section a profile).
#[derive(Clone, Debug)]
pub struct ProfileFiles {
    config_path: PathBuf,
    credentials_path: PathBuf,
    config: Option<ConfigFile>,
    credentials: Option<ConfigFile>,
}

/// A profile as botocore's session sees it (`session.full_config['profiles'][name]`): the
/// config file's profile with the keys of the credentials file's section of the same name
/// laid over it (a credentials-file key replaces a config-file key of the same name).
#[derive(Clone, Debug)]
pub struct Profile<'a> {
    name: String,
    properties: Vec<&'a Property>,
}

impl ProfileFiles {
    /// Reads the files the environment names: `AWS_CONFIG_FILE` (default `~/.aws/config`)
    /// and `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`), with `$VAR` and
    /// `~` expanded (`HOME`, or `USERPROFILE` on Windows). Missing files are fine.
    pub fn load(env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::read(super::env::config_file_path(env), super::env::credentials_file_path(env))
    }

    /// Reads the files at these paths (missing files are fine).
    pub fn read(config_path: impl Into<PathBuf>, credentials_path: impl Into<PathBuf>) -> Result<Self, ConfigError> {
        let (config_path, credentials_path) = (config_path.into(), credentials_path.into());
        // botocore reads the config file first, so its errors come first.
        let config = ConfigFile::read(&config_path)?;
        let credentials = ConfigFile::read(&credentials_path)?;
        Ok(ProfileFiles { config_path, credentials_path, config, credentials })
    }

    /// The config file's path (whether or not it exists).
    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// The credentials file's path (whether or not it exists).
    pub fn credentials_path(&self) -> &Path {
        &self.credentials_path
    }

    /// The config file, if there is one.
    pub fn config_file(&self) -> Option<&ConfigFile> {
        self.config.as_ref()
    }

    /// The credentials file, if there is one.
    pub fn credentials_file(&self) -> Option<&ConfigFile> {
        self.credentials.as_ref()
    }

    /// The profile `name`, if either file has it.
    pub fn profile(&self, name: &str) -> Option<Profile<'_>> {
        let from_config = self.config.as_ref().and_then(|f| f.profile(name));
        let from_credentials = self.credentials.as_ref().and_then(|f| f.section(name));
        if from_config.is_none() && from_credentials.is_none() {
            return None;
        }
        let mut properties: Vec<&Property> = from_config.map(|s| s.properties.iter().collect()).unwrap_or_default();
        for prop in from_credentials.map(|s| s.properties.as_slice()).unwrap_or_default() {
            match properties.iter_mut().find(|p| p.name == prop.name) {
                Some(slot) => *slot = prop,
                None => properties.push(prop),
            }
        }
        Some(Profile { name: name.to_string(), properties })
    }

    /// The names of all profiles: the config file's, then those only the credentials file has.
    pub fn profile_names(&self) -> Vec<String> {
        let mut names: Vec<String> =
            self.config.as_ref().map(|f| f.profiles().into_iter().map(|(n, _)| n).collect()).unwrap_or_default();
        for section in self.credentials.as_ref().map(|f| f.sections()).unwrap_or_default() {
            if !names.contains(&section.name) {
                names.push(section.name.clone());
            }
        }
        names
    }
}

impl<'a> Profile<'a> {
    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key `name` (keys are lower-case).
    pub fn get(&self, name: &str) -> Option<&'a Property> {
        self.properties.iter().copied().find(|p| p.name == name)
    }

    /// Every key of the profile.
    pub fn properties(&self) -> &[&'a Property] {
        &self.properties
    }
}

/// Whether `Debug` hides the value of a key.
pub(crate) fn is_sensitive_key(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "token", "password", "credential_process"].iter().any(|s| name.contains(s))
}

impl fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigFile").field("path", &self.path).field("sections", &self.sections).finish()
    }
}

impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Section")
            .field("name", &self.name)
            .field("line", &self.line)
            .field("properties", &self.properties)
            .finish()
    }
}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Property");
        s.field("name", &self.name).field("line", &self.line);
        match &self.value {
            Value::Text(_) if is_sensitive_key(&self.name) => s.field("value", &"** redacted **"),
            Value::Text(text) => s.field("value", text),
            Value::Nested(props) => s.field("nested", props),
        };
        s.finish()
    }
}

/// Python's `str.isspace`: Unicode white space, plus the separators U+001C..U+001F.
fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(py_isspace)
}

/// The lines of a file as Python's text mode reads them (universal newlines: `\n`,
/// `\r\n` and `\r` each end a line), without their ends.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\r', '\n']) {
            Some(i) => {
                let line = &rest[..i];
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
                Some(line)
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

/// `shlex.split(s)` (POSIX mode, no comments); `None` where Python raises `ValueError`.
pub(crate) fn shlex_split(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\\' => {
                word.push(chars.next()?);
                in_word = true;
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some('"' | '\\') => word.push(chars.next()?),
                            Some(_) => word.push('\\'),
                            None => return None,
                        },
                        c => word.push(c),
                    }
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// A key while its section is read: the value's lines with their line numbers.
struct RawOption {
    name: String,
    line: usize,
    parts: Vec<(String, usize)>,
}

struct RawSection {
    name: String,
    line: usize,
    options: Vec<RawOption>,
}

#[derive(Clone, Copy, PartialEq)]
enum Current {
    Nothing,
    Defaults,
    Section(usize),
}

/// `RawConfigParser._read` with the default settings (`strict`, `empty_lines_in_values`,
/// delimiters `=` and `:`, comment prefixes `#` and `;`, no inline comments, no
/// interpolation, `optionxform = str.lower`).
struct Parser {
    path: Arc<Path>,
    sections: Vec<RawSection>,
    defaults: Vec<RawOption>,
}

impl Parser {
    fn new(path: Arc<Path>) -> Self {
        Parser { path, sections: Vec::new(), defaults: Vec::new() }
    }

    fn error(&self, line: usize, message: impl Into<String>) -> ConfigError {
        ConfigError::Parse { path: self.path.to_path_buf(), line, message: message.into() }
    }

    fn options(&mut self, current: Current) -> Option<&mut Vec<RawOption>> {
        match current {
            Current::Nothing => None,
            Current::Defaults => Some(&mut self.defaults),
            Current::Section(i) => Some(&mut self.sections[i].options),
        }
    }

    fn parse(mut self, text: &str) -> Result<ConfigFile, ConfigError> {
        let mut current = Current::Nothing;
        // The key whose value indented lines continue (Python's `optname`): an index into
        // the current section's options.
        let mut option: Option<usize> = None;
        let mut indent_level = 0usize;
        // configparser reports lines it cannot read at the end of the file, after any
        // fatal error (missing header, duplicate) met on the way.
        let mut deferred: Option<ConfigError> = None;

        for (index, line) in lines(text).enumerate() {
            let lineno = index + 1;
            let stripped = py_strip(line);
            let comment = stripped.starts_with('#') || stripped.starts_with(';');
            let value = if comment { "" } else { stripped };
            // Only a key with a non-empty name takes continuation lines (`optname` truthy).
            let open = option.filter(|&i| self.options(current).is_some_and(|o| !o[i].name.is_empty()));
            if value.is_empty() {
                if let (false, Some(i)) = (comment, open) {
                    if let Some(options) = self.options(current) {
                        options[i].parts.push((String::new(), lineno));
                    }
                }
                continue;
            }
            let indent = line.chars().take_while(|&c| py_isspace(c)).count();
            if let (Some(i), true) = (open, indent > indent_level) {
                if let Some(options) = self.options(current) {
                    options[i].parts.push((value.to_string(), lineno));
                }
                continue;
            }
            indent_level = indent;
            if let Some(header) = section_header(value) {
                if header == "DEFAULT" {
                    current = Current::Defaults;
                } else if self.sections.iter().any(|s| s.name == header) {
                    return Err(self.error(lineno, format!("the section [{header}] appears twice")));
                } else {
                    self.sections.push(RawSection { name: header.to_string(), line: lineno, options: Vec::new() });
                    current = Current::Section(self.sections.len() - 1);
                }
                option = None;
            } else if current == Current::Nothing {
                let hint = if line.starts_with('\u{feff}') {
                    " (the file starts with a byte order mark; save it as UTF-8 without BOM)"
                } else {
                    ""
                };
                return Err(self.error(lineno, format!("a line before the first [section] header{hint}")));
            } else if let Some((name, val)) = option_line(value) {
                if name.is_empty() {
                    deferred.get_or_insert_with(|| self.error(lineno, "a line with no key before its `=` or `:`"));
                }
                let name = name.to_lowercase();
                let section_name = match current {
                    Current::Section(i) => self.sections[i].name.clone(),
                    _ => "DEFAULT".to_string(),
                };
                let options = self.options(current).expect("a section is open");
                if options.iter().any(|o| o.name == name) {
                    return Err(self.error(lineno, format!("the key `{name}` appears twice in [{section_name}]")));
                }
                options.push(RawOption { name, line: lineno, parts: vec![(val.to_string(), lineno)] });
                option = Some(options.len() - 1);
            } else {
                deferred.get_or_insert_with(|| {
                    self.error(lineno, "expected `[section]`, `key = value`, a comment, or an indented continuation line")
                });
            }
        }
        if let Some(err) = deferred {
            return Err(err);
        }
        self.finish()
    }

    /// `_join_multiline_values`, then `raw_config_parse`'s nested sub-sections, with the
    /// `[DEFAULT]` keys each section lacks.
    fn finish(self) -> Result<ConfigFile, ConfigError> {
        let mut sections = Vec::with_capacity(self.sections.len());
        for raw in &self.sections {
            let mut properties = Vec::with_capacity(raw.options.len());
            for option in &raw.options {
                properties.push(self.property(option)?);
            }
            for option in &self.defaults {
                if !raw.options.iter().any(|o| o.name == option.name) {
                    properties.push(self.property(option)?);
                }
            }
            sections.push(Section { name: raw.name.clone(), line: raw.line, properties });
        }
        Ok(ConfigFile { path: self.path, sections })
    }

    fn property(&self, option: &RawOption) -> Result<Property, ConfigError> {
        let joined: Vec<&str> = option.parts.iter().map(|(s, _)| s.as_str()).collect();
        let joined = joined.join("\n");
        let joined = joined.trim_end_matches(py_isspace);
        let value = if joined.starts_with('\n') {
            Value::Nested(self.nested(option)?)
        } else {
            Value::Text(joined.to_string())
        };
        Ok(Property { name: option.name.clone(), line: option.line, file: self.path.clone(), value })
    }

    /// botocore's `_parse_nested`: each non-blank line is `key = value`, split at the
    /// first `=`; a later duplicate replaces the value (a Python dict).
    fn nested(&self, option: &RawOption) -> Result<Vec<Property>, ConfigError> {
        let mut props: Vec<Property> = Vec::new();
        for (part, lineno) in &option.parts {
            // `str.splitlines` also splits at these characters, which a file line can hold.
            for piece in part.split(['\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}']) {
                let piece = py_strip(piece);
                if piece.is_empty() {
                    continue;
                }
                let Some((key, value)) = piece.split_once('=') else {
                    return Err(self.error(
                        *lineno,
                        format!("a line of the nested `{}` block has no `=`", option.name),
                    ));
                };
                let (key, value) = (py_strip(key).to_string(), py_strip(value).to_string());
                let prop = Property { name: key, line: *lineno, file: self.path.clone(), value: Value::Text(value) };
                match props.iter_mut().find(|p| p.name == prop.name) {
                    Some(existing) => *existing = prop,
                    None => props.push(prop),
                }
            }
        }
        Ok(props)
    }
}

/// `SECTCRE = \[(?P<header>.+)\]`, matched at the start of the stripped line: the header
/// runs to the last `]`.
fn section_header(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    (end > 0).then(|| &rest[..end])
}

/// `OPTCRE = (?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: the key runs to the first
/// `=` or `:`; both sides are stripped.
fn option_line(value: &str) -> Option<(&str, &str)> {
    let at = value.find(['=', ':'])?;
    Some((value[..at].trim_end_matches(py_isspace), py_strip(&value[at + 1..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shlex_matches_python() {
        assert_eq!(shlex_split("profile dev"), Some(vec!["profile".into(), "dev".into()]));
        assert_eq!(shlex_split("profile \"my dev\""), Some(vec!["profile".into(), "my dev".into()]));
        assert_eq!(shlex_split("profile 'a b'c"), Some(vec!["profile".into(), "a bc".into()]));
        assert_eq!(shlex_split("profile ''"), Some(vec!["profile".into(), String::new()]));
        assert_eq!(shlex_split(r#"profile "a\"b\x""#), Some(vec!["profile".into(), r#"a"b\x"#.into()]));
        assert_eq!(shlex_split(r"profile a\ b"), Some(vec!["profile".into(), "a b".into()]));
        assert_eq!(shlex_split("profile 'open"), None);
        assert_eq!(shlex_split("profile a\\"), None);
    }

    #[test]
    fn universal_newlines() {
        assert_eq!(lines("a\r\nb\rc\nd").collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(lines("a\n\n").collect::<Vec<_>>(), ["a", ""]);
        assert_eq!(lines("").count(), 0);
    }

    #[test]
    fn headers_and_options() {
        assert_eq!(section_header("[a]"), Some("a"));
        assert_eq!(section_header("[]]"), Some("]"));
        assert_eq!(section_header("[a] x ]"), Some("a] x "));
        assert_eq!(section_header("[]"), None);
        assert_eq!(option_line("a = b = c"), Some(("a", "b = c")));
        assert_eq!(option_line("url: http://x:1"), Some(("url", "http://x:1")));
        assert_eq!(option_line("k=v:w"), Some(("k", "v:w")));
        assert_eq!(option_line("= v"), Some(("", "v")));
        assert_eq!(option_line("novalue"), None);
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let dir = std::env::temp_dir().join(format!("s3-runtime-profile-utf8-{}", std::process::id()));
        std::fs::write(&dir, b"[default]\nregion = a\nx = \xff\n").unwrap();
        let err = ConfigFile::read(&dir).unwrap_err();
        std::fs::remove_file(&dir).unwrap();
        assert!(matches!(err, ConfigError::Parse { line: 3, .. }), "{err:?}");
    }
}
