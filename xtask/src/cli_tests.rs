//! The command line: every command has help, bad flags are named, and the README's
//! command list is what `cargo xtask --help` lists.

use clap::{CommandFactory, Parser};

use crate::Cli;

/// The commands of the README's list (between its `xtask commands` markers), each with
/// the flags it shows.
fn readme_commands() -> Vec<(String, Vec<String>)> {
    let readme = std::fs::read_to_string(crate::project_root().join("README.md")).unwrap();
    let begin = readme.find("<!-- xtask commands: begin -->").expect("README has the xtask command list");
    let end = readme.find("<!-- xtask commands: end -->").expect("the list ends");
    readme[begin..end]
        .lines()
        .filter_map(|line| line.strip_prefix("- `"))
        .map(|line| {
            let usage = line.split('`').next().unwrap();
            let name = usage.split_whitespace().next().unwrap().to_owned();
            let flags = usage.split(|c: char| c.is_whitespace() || "[]|".contains(c)).filter(|w| w.starts_with("--")).map(str::to_owned).collect();
            (name, flags)
        })
        .collect()
}

#[test]
fn the_readme_lists_every_command_of_help_with_its_flags() {
    let mut cli = Cli::command();
    let help = cli.render_help().to_string();
    // The commands `--help` prints, in its order.
    let listed: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let readme = readme_commands();
    let names: Vec<&str> = readme.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, listed, "README's xtask command list and `cargo xtask --help` differ:\n{help}");
    for (name, flags) in &readme {
        let sub = cli.find_subcommand_mut(name).unwrap();
        let sub_help = sub.render_long_help().to_string();
        let mut known: Vec<String> = sub.get_arguments().filter_map(|a| a.get_long()).map(|l| format!("--{l}")).collect();
        known.retain(|l| l != "--help");
        let mut shown = flags.clone();
        shown.sort();
        known.sort();
        assert_eq!(shown, known, "the README shows `{name}` with other flags than its --help:\n{sub_help}");
        assert!(sub.get_about().is_some(), "`{name}` has no help text");
    }
}

#[test]
fn every_command_answers_help_and_bad_flags_are_named() {
    for sub in Cli::command().get_subcommands() {
        let name = sub.get_name().to_owned();
        let err = Cli::try_parse_from(["cargo xtask", &name, "--help"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp, "{name} --help");
        assert!(err.to_string().contains("Usage: cargo xtask"), "{name} --help: {err}");
        let err = Cli::try_parse_from(["cargo xtask", &name, "--no-such-flag"]).unwrap_err();
        assert!(err.to_string().contains("--no-such-flag"), "{name}: the error does not name the flag: {err}");
    }
    let err = Cli::try_parse_from(["cargo xtask", "bench", "--reps", "0"]).unwrap_err();
    assert!(err.to_string().contains("--reps"), "{err}");
    Cli::command().debug_assert();
}

#[test]
fn flags_reach_the_commands_as_before() {
    let cli = Cli::try_parse_from(["cargo xtask", "update-model", "--botocore", "1.2.3", "--boto3", "1.2.4"]).unwrap();
    assert!(matches!(cli.command, crate::Command::UpdateModel { version: None, botocore: Some(ref b), boto3: Some(ref c) } if b == "1.2.3" && c == "1.2.4"));
    assert!(Cli::try_parse_from(["cargo xtask", "update-model", "--version", "1", "--boto3", "2"]).is_err());
    let cli = Cli::try_parse_from(["cargo xtask", "bench", "--quick", "--reps", "3"]).unwrap();
    assert!(matches!(cli.command, crate::Command::Bench { quick: true, reps: Some(3), skip_build: false, skip_runtime: false, baseline: None, transfers: false }));
}
