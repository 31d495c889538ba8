//! `aws.partition`, over a table the generator writes from `partitions.json`.

/// One partition of `partitions.json`: its outputs (what `getAttr` reads), its known
/// regions and the pattern of its region names.
///
/// The generated crate holds these as a `static` table; see the `PARTITIONS` item of its
/// `endpoint` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// `name`: the partition id (`aws`, `aws-cn`, `aws-us-gov`, …).
    pub name: &'static str,
    /// `dnsSuffix` (`amazonaws.com`).
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix` (`api.aws`).
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion` (`us-east-1`).
    pub implicit_global_region: Option<&'static str>,
    /// The regions listed by name, sorted.
    pub regions: &'static [&'static str],
    /// `regionRegex`, compiled by the generator: a region name matches when the whole of
    /// it matches these pieces in order.
    pub region_regex: &'static [RegexPiece],
}

/// A piece of a compiled `regionRegex`. The generator accepts only the part of regular
/// expressions that region patterns use (`^(us|eu)\-\w+\-\d+$`) and refuses the rest,
/// so no regular-expression engine is needed at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegexPiece {
    /// Literal text (`-`, `cn`).
    Literal(&'static str),
    /// A group of literal alternatives (`(us|eu|ap)`).
    OneOf(&'static [&'static str]),
    /// One character of the class (`\d`).
    One(CharClass),
    /// One or more characters of the class (`\w+`).
    OneOrMore(CharClass),
}

/// A character class of a compiled `regionRegex`, ASCII-only as in the reference
/// implementation (Java's `\w` and `\d`; Python's also take other Unicode letters and
/// digits, which no region name has).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharClass {
    /// `\w`: `[A-Za-z0-9_]`.
    Word,
    /// `\d`: `[0-9]`.
    Digit,
}

impl CharClass {
    fn contains(self, byte: u8) -> bool {
        match self {
            CharClass::Word => byte.is_ascii_alphanumeric() || byte == b'_',
            CharClass::Digit => byte.is_ascii_digit(),
        }
    }
}

impl Partition {
    /// Whether `region` matches [`region_regex`](Self::region_regex) entirely.
    pub fn matches_region_regex(&self, region: &str) -> bool {
        matches(self.region_regex, region.as_bytes())
    }
}

/// Backtracking match of `pieces` against the whole of `text`.
fn matches(pieces: &[RegexPiece], text: &[u8]) -> bool {
    let Some((piece, rest)) = pieces.split_first() else {
        return text.is_empty();
    };
    match *piece {
        RegexPiece::Literal(literal) => {
            text.starts_with(literal.as_bytes()) && matches(rest, &text[literal.len()..])
        }
        RegexPiece::OneOf(alternatives) => alternatives
            .iter()
            .any(|alt| text.starts_with(alt.as_bytes()) && matches(rest, &text[alt.len()..])),
        RegexPiece::One(class) => text.first().is_some_and(|&b| class.contains(b)) && matches(rest, &text[1..]),
        RegexPiece::OneOrMore(class) => {
            let run = text.iter().take_while(|&&b| class.contains(b)).count();
            (1..=run).rev().any(|len| matches(rest, &text[len..]))
        }
    }
}

/// `aws.partition(region)`: the partition that lists `region` by name; else the first
/// whose `regionRegex` matches it; else the `aws` partition, as the reference
/// implementation does. `None` only if the table has no `aws` partition.
///
/// (botocore checks each partition's names and pattern together, in table order; the
/// result differs only for a region listed by one partition and matching an earlier
/// partition's pattern, which `partitions.json` does not have.)
pub fn partition(table: &'static [Partition], region: &str) -> Option<&'static Partition> {
    table
        .iter()
        .find(|p| p.regions.binary_search(&region).is_ok())
        .or_else(|| table.iter().find(|p| p.matches_region_regex(region)))
        .or_else(|| table.iter().find(|p| p.name == "aws"))
}

#[cfg(test)]
mod tests {
    use super::CharClass::{Digit, Word};
    use super::RegexPiece::*;
    use super::*;

    const AWS_REGEX: &[RegexPiece] = &[
        OneOf(&["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"]),
        Literal("-"),
        OneOrMore(Word),
        Literal("-"),
        OneOrMore(Digit),
    ];

    static TABLE: &[Partition] = &[
        Partition {
            name: "aws",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: Some("us-east-1"),
            regions: &["aws-global", "us-east-1"],
            region_regex: AWS_REGEX,
        },
        Partition {
            name: "aws-cn",
            dns_suffix: "amazonaws.com.cn",
            dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: Some("cn-northwest-1"),
            regions: &["aws-cn-global", "cn-north-1"],
            region_regex: &[Literal("cn-"), OneOrMore(Word), Literal("-"), OneOrMore(Digit)],
        },
        Partition {
            name: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: Some("us-gov-west-1"),
            // Listed here although the `aws` pattern would match it.
            regions: &["us-gov-east-1", "us-west-9"],
            region_regex: &[Literal("us-gov-"), OneOrMore(Word), Literal("-"), OneOrMore(Digit)],
        },
    ];

    fn name(region: &str) -> &'static str {
        partition(TABLE, region).unwrap().name
    }

    #[test]
    fn listed_regions_win_over_patterns() {
        assert_eq!(name("us-east-1"), "aws");
        assert_eq!(name("aws-cn-global"), "aws-cn");
        assert_eq!(name("us-west-9"), "aws-us-gov");
    }

    #[test]
    fn patterns_then_the_aws_partition() {
        assert_eq!(name("eu-central-7"), "aws");
        assert_eq!(name("cn-south-3"), "aws-cn");
        assert_eq!(name("us-gov-central-1"), "aws-us-gov");
        assert_eq!(name("us-gov-east"), "aws");
        assert_eq!(name("a b"), "aws");
        assert_eq!(name(""), "aws");
        assert_eq!(partition(&TABLE[1..2], "nowhere"), None);
    }

    #[test]
    fn patterns_match_whole_names_with_backtracking() {
        let aws = &TABLE[0];
        assert!(aws.matches_region_regex("us-east-1"));
        assert!(aws.matches_region_regex("ap-southeast-10"));
        assert!(aws.matches_region_regex("us-e_a5t-1"));
        assert!(!aws.matches_region_regex("us-east-1a"));
        assert!(!aws.matches_region_regex("xus-east-1"));
        assert!(!aws.matches_region_regex("us-east-"));
        assert!(!aws.matches_region_regex("us--1"));
        assert!(!aws.matches_region_regex("us-iso-east-1"));
        assert!(!aws.matches_region_regex("us-east-1\n"));
        assert!(!aws.matches_region_regex("us-\u{e9}ast-1"));
        // `\w+` must give back the digits `\d+` needs.
        let greedy = [OneOrMore(Word), OneOrMore(Digit)];
        assert!(matches(&greedy, b"abc123"));
        assert!(!matches(&greedy, b"abc"));
        assert!(matches(&[One(Digit), Literal("x")], b"7x"));
        assert!(!matches(&[One(Digit)], b"77"));
    }
}
