//! Checksums of multipart objects, from the checksums of their parts (what UploadPart
//! returns, and what CompleteMultipartUpload, GetObject and HeadObject report):
//!
//! - [`composite`]: S3's `COMPOSITE` checksum, `base64(hash(digest₁ ‖ digest₂ ‖ …))-N`,
//!   for any algorithm;
//! - [`full_object`]: the `FULL_OBJECT` checksum of CRC32, CRC32C and CRC64/NVME, the
//!   checksum of the whole object, combined from the parts' CRCs and lengths without
//!   reading the data again (zlib's `crc32_combine`, for any reflected CRC).
//!
//! A caller (or a transfer manager) verifies a multipart object end to end by comparing
//! these with what S3 reports.

use super::Algorithm;
use crate::encoding::{base64_decode, base64_encode};

/// A part checksum that cannot be combined: not base64, or not a digest of the
/// algorithm's length, or an algorithm without a full-object form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidPartChecksum {
    /// The part (1-based), or 0 when the algorithm itself is the problem.
    pub part: usize,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for InvalidPartChecksum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.part {
            0 => f.write_str(&self.reason),
            n => write!(f, "part {n}: {}", self.reason),
        }
    }
}

impl std::error::Error for InvalidPartChecksum {}

fn digest(algorithm: Algorithm, part: usize, checksum: &str) -> Result<Vec<u8>, InvalidPartChecksum> {
    let bytes = base64_decode(checksum.trim())
        .map_err(|_| InvalidPartChecksum { part, reason: format!("`{checksum}` is not base64") })?;
    if bytes.len() != algorithm.digest_len() {
        return Err(InvalidPartChecksum {
            part,
            reason: format!("a {algorithm} digest has {} bytes, not {}", algorithm.digest_len(), bytes.len()),
        });
    }
    Ok(bytes)
}

/// S3's composite checksum of a multipart object: the `algorithm` hash of the parts'
/// digests (each given base64, in part order) one after the other, base64, then `-` and
/// the number of parts, as in `x-amz-checksum-crc32: AbCd1w==-3`.
pub fn composite<S: AsRef<str>>(algorithm: Algorithm, parts: &[S]) -> Result<String, InvalidPartChecksum> {
    let mut hasher = algorithm.hasher();
    for (i, part) in parts.iter().enumerate() {
        hasher.update(&digest(algorithm, i + 1, part.as_ref())?);
    }
    Ok(format!("{}-{}", hasher.finish(), parts.len()))
}

/// The full-object checksum of a multipart object from its parts' checksums (base64,
/// in part order) and lengths in bytes: the checksum of all the data, as if it had been
/// uploaded in one piece. Only the CRCs (CRC32, CRC32C, CRC64/NVME) have one.
pub fn full_object<S: AsRef<str>>(algorithm: Algorithm, parts: &[(S, u64)]) -> Result<String, InvalidPartChecksum> {
    let Some(crc) = Reflected::of(algorithm) else {
        return Err(InvalidPartChecksum { part: 0, reason: format!("{algorithm} has no full-object multipart checksum") });
    };
    let mut combined = 0u64; // the CRC of no data, for all three
    for (i, (checksum, len)) in parts.iter().enumerate() {
        let bytes = digest(algorithm, i + 1, checksum.as_ref())?;
        let value = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        combined = crc.combine(combined, value, *len);
    }
    let width = algorithm.digest_len();
    Ok(base64_encode(&combined.to_be_bytes()[8 - width..]))
}

/// A reflected CRC with all-ones initial value and final XOR (CRC32, CRC32C, CRC64/NVME),
/// by its reflected polynomial and width.
#[derive(Clone, Copy)]
struct Reflected {
    poly: u64,
    /// `x⁰` in the reflected representation: the top bit of the width.
    one: u64,
}

impl Reflected {
    fn of(algorithm: Algorithm) -> Option<Reflected> {
        let (poly, width) = match algorithm {
            Algorithm::Crc32 => (0xEDB8_8320, 32),
            Algorithm::Crc32c => (0x82F6_3B78, 32),
            Algorithm::Crc64Nvme => (0x9A6C_9329_AC4B_C9B5, 64),
            _ => return None,
        };
        Some(Reflected { poly, one: 1 << (width - 1) })
    }

    /// `a · b mod P` (zlib's `multmodp`).
    fn multiply(self, a: u64, mut b: u64) -> u64 {
        let mut m = self.one;
        let mut product = 0;
        while m != 0 {
            if a & m != 0 {
                product ^= b;
            }
            m >>= 1;
            b = if b & 1 != 0 { (b >> 1) ^ self.poly } else { b >> 1 };
        }
        product
    }

    /// `x^(8·len) mod P`, by squaring.
    fn shift(self, len: u64) -> u64 {
        let mut result = self.one;
        // x⁸: x¹ squared three times.
        let mut power = self.one >> 1;
        for _ in 0..3 {
            power = self.multiply(power, power);
        }
        let mut n = len;
        while n != 0 {
            if n & 1 != 0 {
                result = self.multiply(result, power);
            }
            power = self.multiply(power, power);
            n >>= 1;
        }
        result
    }

    /// The CRC of `A ‖ B` from `crc(A)`, `crc(B)` and the length of `B` (zlib's
    /// `crc32_combine`; the initial value and final XOR cancel out).
    fn combine(self, crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
        self.multiply(self.shift(len_b), crc_a) ^ crc_b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(len: usize, seed: u8) -> Vec<u8> {
        (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
    }

    /// The combined checksum of parts equals the checksum of the concatenated data, for
    /// parts of every size (empty ones included).
    #[test]
    fn full_object_is_the_checksum_of_all_the_data() {
        for algorithm in [Algorithm::Crc32, Algorithm::Crc32c, Algorithm::Crc64Nvme] {
            for sizes in [&[5usize][..], &[0, 0], &[1, 2, 3], &[65_536, 1, 100_000, 0, 7], &[1 << 20, 1 << 20, 12_345]] {
                let parts: Vec<Vec<u8>> = sizes.iter().enumerate().map(|(i, &n)| data(n, i as u8)).collect();
                let whole: Vec<u8> = parts.concat();
                let checksums: Vec<(String, u64)> = parts.iter().map(|p| (algorithm.checksum(p), p.len() as u64)).collect();
                assert_eq!(full_object(algorithm, &checksums).unwrap(), algorithm.checksum(&whole), "{algorithm} {sizes:?}");
            }
            assert_eq!(full_object::<&str>(algorithm, &[]).unwrap(), algorithm.checksum(b""));
        }
    }

    /// The composite checksum is the hash of the parts' raw digests, with the count.
    #[test]
    fn composite_is_the_hash_of_the_digests() {
        for algorithm in Algorithm::ALL {
            let parts = [data(10, 1), data(70_000, 2), data(0, 3)];
            let checksums: Vec<String> = parts.iter().map(|p| algorithm.checksum(p)).collect();
            let mut digests = Vec::new();
            for p in &parts {
                let mut h = algorithm.hasher();
                h.update(p);
                digests.extend(h.finish_raw());
            }
            let expected = format!("{}-3", algorithm.checksum(&digests));
            assert_eq!(composite(algorithm, &checksums).unwrap(), expected, "{algorithm}");
        }
        // S3's documented example shape: a CRC32 composite of two parts ends in `-2`.
        let two = composite(Algorithm::Crc32, &[Algorithm::Crc32.checksum(b"a"), Algorithm::Crc32.checksum(b"b")]).unwrap();
        assert!(two.ends_with("-2") && two.len() == 10, "{two}");
    }

    #[test]
    fn bad_part_checksums_are_errors() {
        let err = composite(Algorithm::Sha256, &["AAAAAA=="]).unwrap_err();
        assert_eq!(err.to_string(), "part 1: a SHA256 digest has 32 bytes, not 4");
        let err = full_object(Algorithm::Crc32, &[("AAAAAA==", 1), ("%%", 2)]).unwrap_err();
        assert_eq!(err.part, 2);
        let err = full_object(Algorithm::Sha1, &[("2jmj7l5rSw0yVb/vlWAYkK/YBwk=", 0)]).unwrap_err();
        assert_eq!(err.to_string(), "SHA1 has no full-object multipart checksum");
    }
}
