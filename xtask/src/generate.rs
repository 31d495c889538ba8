//! placeholder
pub fn run(_args: &[String]) -> anyhow::Result<()> { anyhow::bail!("generate: not written yet") }
