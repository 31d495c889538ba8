//! placeholder
pub fn run(_args: &[String]) -> anyhow::Result<()> { anyhow::bail!("update-model: not written yet") }
