//! `partitions.json` → [`Partition`]s, with each `regionRegex` compiled to pieces.

use anyhow::{bail, Result};

use super::model::Partitions;
use super::{CharClass, Partition, RegexPiece};

pub(super) fn lower(partitions: &Partitions) -> Result<Vec<Partition>> {
    if !partitions.partitions.iter().any(|p| p.id == "aws") {
        bail!("{}: there is no `aws` partition, which `aws.partition` falls back to", partitions.file);
    }
    let mut out = Vec::new();
    for p in &partitions.partitions {
        let region_regex = compile_region_regex(&p.region_regex).map_err(|e| {
            anyhow::anyhow!("{}: partition `{}`: key `regionRegex`: {e}", partitions.file, p.id)
        })?;
        let mut regions: Vec<String> = p.regions.keys().cloned().collect();
        regions.sort();
        let o = &p.outputs;
        out.push(Partition {
            // botocore and the reference implementation both report the id as `name`.
            name: p.id.clone(),
            dns_suffix: o.dns_suffix.clone(),
            dual_stack_dns_suffix: o.dual_stack_dns_suffix.clone(),
            supports_fips: o.supports_fips,
            supports_dual_stack: o.supports_dual_stack,
            implicit_global_region: o.implicit_global_region.clone(),
            regions,
            region_regex,
        });
    }
    Ok(out)
}

/// Compiles the part of regular-expression syntax region patterns use: anchored at both
/// ends (`^…$`), literal letters, digits, `-` and `_`, escaped punctuation (`\-`), `\w`
/// and `\d` once or with `+`, and groups of literal alternatives (`(us|eu)`). Anything
/// else is refused, so that a new construct in a model update fails generation rather
/// than matching differently at run time.
pub(super) fn compile_region_regex(regex: &str) -> Result<Vec<RegexPiece>> {
    let Some(body) = regex.strip_prefix('^').and_then(|r| r.strip_suffix('$')) else {
        bail!("`{regex}` must start with `^` and end with `$`");
    };
    let mut pieces: Vec<RegexPiece> = Vec::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') => pieces.push(RegexPiece::One(CharClass::Word)),
                Some('d') => pieces.push(RegexPiece::One(CharClass::Digit)),
                Some(p) if p.is_ascii_punctuation() => push_literal(&mut pieces, p),
                Some(other) => bail!("`{regex}`: the escape `\\{other}` is not supported"),
                None => bail!("`{regex}` ends with `\\`"),
            },
            '+' => match pieces.pop() {
                Some(RegexPiece::One(class)) => pieces.push(RegexPiece::OneOrMore(class)),
                _ => bail!("`{regex}`: `+` is supported only after `\\w` or `\\d`"),
            },
            '(' => {
                let mut alternatives = vec![String::new()];
                loop {
                    match chars.next() {
                        Some(')') => break,
                        Some('|') => alternatives.push(String::new()),
                        Some('\\') => match chars.next() {
                            Some(p) if p.is_ascii_punctuation() => alternatives.last_mut().unwrap().push(p),
                            _ => bail!("`{regex}`: only escaped punctuation is supported inside a group"),
                        },
                        Some(c) if is_plain(c) => alternatives.last_mut().unwrap().push(c),
                        Some(c) => bail!("`{regex}`: `{c}` is not supported inside a group"),
                        None => bail!("`{regex}`: unclosed group"),
                    }
                }
                if alternatives.iter().any(String::is_empty) {
                    bail!("`{regex}`: empty alternatives are not supported");
                }
                if matches!(chars.peek(), Some('+' | '*' | '?' | '{')) {
                    bail!("`{regex}`: a repeated group is not supported");
                }
                pieces.push(RegexPiece::OneOf(alternatives));
            }
            c if is_plain(c) => {
                if matches!(chars.peek(), Some('+' | '*' | '?' | '{')) {
                    bail!("`{regex}`: a repeated literal is not supported");
                }
                push_literal(&mut pieces, c)
            }
            other => bail!("`{regex}`: `{other}` is not supported"),
        }
    }
    Ok(pieces)
}

fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn push_literal(pieces: &mut Vec<RegexPiece>, c: char) {
    match pieces.last_mut() {
        Some(RegexPiece::Literal(text)) => text.push(c),
        _ => pieces.push(RegexPiece::Literal(c.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CharClass::{Digit, Word};
    use RegexPiece::*;

    #[test]
    fn compiles_the_region_patterns() {
        assert_eq!(
            compile_region_regex(r"^(us|eu|ap)\-\w+\-\d+$").unwrap(),
            vec![
                OneOf(vec!["us".into(), "eu".into(), "ap".into()]),
                Literal("-".into()),
                OneOrMore(Word),
                Literal("-".into()),
                OneOrMore(Digit)
            ]
        );
        assert_eq!(
            compile_region_regex(r"^us\-iso\-\w+\-\d+$").unwrap(),
            vec![Literal("us-iso-".into()), OneOrMore(Word), Literal("-".into()), OneOrMore(Digit)]
        );
        assert_eq!(
            compile_region_regex(r"^eusc\-(de)\-\w\d$").unwrap(),
            vec![Literal("eusc-".into()), OneOf(vec!["de".into()]), Literal("-".into()), One(Word), One(Digit)]
        );
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        for regex in [
            r"us\-\w+$",
            r"^us\-\w+",
            r"^us.*$",
            r"^[a-z]+$",
            r"^a+$",
            r"^(us|eu)+$",
            r"^(us|)$",
            r"^\s$",
            r"^(us$",
            r"^a?$",
        ] {
            assert!(compile_region_regex(regex).is_err(), "{regex}");
        }
    }
}
