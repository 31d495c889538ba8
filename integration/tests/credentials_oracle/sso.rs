//! Scenarios of this provider (to be filled in with its implementation).

pub fn scenarios() -> Vec<super::Scenario> {
    Vec::new()
}
