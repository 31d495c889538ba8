//! The environment: [`Env`], a lookup function that providers can keep, and the rules
//! botocore applies to the variables that locate the shared files and pick the profile.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Where environment variables come from: the process (the default), or a function,
/// which makes providers testable without touching the process environment.
///
/// `Debug` shows which of the two it is, never a value.
#[derive(Clone, Default)]
pub struct Env {
    lookup: Option<Arc<Lookup>>,
}

impl Env {
    /// The process environment (`std::env::var`; a value that is not Unicode counts as unset).
    pub fn process() -> Self {
        Env { lookup: None }
    }

    /// Variables from a function.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Env { lookup: Some(Arc::new(lookup)) }
    }

    /// Exactly these variables, and no others.
    pub fn from_vars<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        let vars: HashMap<String, String> = vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Env::from_fn(move |name| vars.get(name).cloned())
    }

    /// The value of `name`, if set (possibly to the empty string).
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.lookup {
            None => std::env::var(name).ok(),
            Some(lookup) => lookup(name),
        }
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.lookup.is_some() { "Env(custom)" } else { "Env(process)" })
    }
}

/// The profile the environment chooses and the variable that chose it: botocore's
/// `profile` session variable reads `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE`; a variable
/// that is set wins even when empty. `None` when neither is set.
pub(crate) fn chosen_profile(env: &dyn Fn(&str) -> Option<String>) -> Option<(String, &'static str)> {
    ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"].into_iter().find_map(|var| env(var).map(|name| (name, var)))
}

/// The config file's path: `AWS_CONFIG_FILE` (when set) or `~/.aws/config`, expanded as
/// botocore's `raw_config_parse` does (`os.path.expandvars`, then `os.path.expanduser`).
pub(crate) fn config_file_path(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    expand_path(&env("AWS_CONFIG_FILE").unwrap_or_else(|| "~/.aws/config".into()), env)
}

/// The credentials file's path: `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`.
pub(crate) fn credentials_file_path(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    expand_path(&env("AWS_SHARED_CREDENTIALS_FILE").unwrap_or_else(|| "~/.aws/credentials".into()), env)
}

fn expand_path(path: &str, env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    PathBuf::from(expand_user(&expand_vars(path, env), env))
}

/// `os.path.expandvars` (POSIX flavour, also used on Windows): `$name` (ASCII letters,
/// digits, `_`) and `${name}` are replaced by the variable's value when it is set and left
/// as they are otherwise.
fn expand_vars(path: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            (&after[..end], end)
        };
        match (len > 0).then(|| env(name)).flatten() {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[at..at + 1 + len]),
        }
        rest = &rest[at + 1 + len..];
    }
    out.push_str(rest);
    out
}

/// `os.path.expanduser` for `~` and `~/…`: the home directory is `HOME` on Unix and
/// `USERPROFILE` on Windows. `~user` and an unknown home are left unchanged.
fn expand_user(path: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let Some(rest) = path.strip_prefix('~') else {
        return path.to_string();
    };
    let separator = |c: char| c == '/' || (cfg!(windows) && c == '\\');
    if !(rest.is_empty() || rest.starts_with(separator)) {
        return path.to_string();
    }
    let home = if cfg!(windows) { env("USERPROFILE") } else { env("HOME") };
    match home {
        Some(home) => {
            let home = home.trim_end_matches(separator);
            let joined = format!("{home}{rest}");
            if joined.is_empty() { "/".to_string() } else { joined }
        }
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Option<String> {
        match name {
            "HOME" | "USERPROFILE" => Some("/home/me/".into()),
            "DIR" => Some("/etc".into()),
            _ => None,
        }
    }

    #[test]
    fn paths_expand_like_python() {
        assert_eq!(expand_vars("$DIR/aws", &vars), "/etc/aws");
        assert_eq!(expand_vars("${DIR}x/$NOPE/${}/$", &vars), "/etcx/$NOPE/${}/$");
        assert_eq!(expand_vars("${DIR", &vars), "${DIR");
        if !cfg!(windows) {
            assert_eq!(expand_user("~/.aws/config", &vars), "/home/me/.aws/config");
            assert_eq!(expand_user("~", &vars), "/home/me");
            assert_eq!(expand_user("~bob/x", &vars), "~bob/x");
            assert_eq!(expand_user("~/x", &|_: &str| None), "~/x");
            assert_eq!(config_file_path(&vars), PathBuf::from("/home/me/.aws/config"));
        }
    }

    #[test]
    fn default_profile_wins_over_profile() {
        let env = |n: &str| match n {
            "AWS_DEFAULT_PROFILE" => Some(String::new()),
            "AWS_PROFILE" => Some("dev".into()),
            _ => None,
        };
        assert_eq!(chosen_profile(&env), Some((String::new(), "AWS_DEFAULT_PROFILE")));
        assert_eq!(chosen_profile(&|_: &str| None), None);
    }
}
