//! Tests of the XML layer against bytes and results produced by botocore 1.44.8 (Python
//! 3.11); see each file for how the expected values were made.

#[cfg(feature = "xml-canonical")]
mod c14n_cases;
#[cfg(feature = "xml-canonical")]
mod canonical;
mod bounded;
mod reader;
mod writer;
