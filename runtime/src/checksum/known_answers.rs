//! Known answers for every algorithm, from botocore 1.44.8 with awscrt 0.38.0 (the
//! project's `.venv`), MD5 from Python's `hashlib` (botocore has no MD5 checksum):
//!
//! ```python
//! from botocore.httpchecksum import _CHECKSUM_CLS
//! inputs = [b"", b"a", b"Hello world", bytes(i % 251 for i in range(1 << 20))]
//! for alg in ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256', 'sha512',
//!             'xxhash64', 'xxhash3', 'xxhash128']:
//!     c = _CHECKSUM_CLS[alg](); c.update(data); c.b64digest()   # for each input
//! base64.b64encode(hashlib.md5(data).digest())
//! ```

use super::Algorithm;

fn pattern() -> Vec<u8> {
    (0..1u32 << 20).map(|i| (i % 251) as u8).collect()
}

/// (algorithm, ["", "a", "Hello world", 1 MiB of `i % 251`]).
const ANSWERS: [(Algorithm, [&str; 4]); 10] = [
    (Algorithm::Crc32, ["AAAAAA==", "6Le+Qw==", "i9aeUg==", "7w5gVA=="]),
    (Algorithm::Crc32c, ["AAAAAA==", "wdBDMA==", "crUfeA==", "3D4AcQ=="]),
    (Algorithm::Crc64Nvme, ["AAAAAAAAAAA=", "jC+ERbTL/Dw=", "OOJZ0D8xKts=", "iCHZ8VD+yfw="]),
    (
        Algorithm::Sha1,
        ["2jmj7l5rSw0yVb/vlWAYkK/YBwk=", "hvfkN/qlp/zhXR3cuerq6jd2Z7g=", "e1AsOh9IyGCa4hLN+2Od7jlnP14=", "wvxMsg8TAaaw3SEcGeaaE5JdvkA="],
    ),
    (
        Algorithm::Sha256,
        [
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
            "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=",
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=",
            "YxuEAn1rnlK1OcToNzYi0jAy363GTWCvhzOckDfk92k=",
        ],
    ),
    (
        Algorithm::Sha512,
        [
            "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
            "H0D8ktokFpR1CXnubPWC8tXX0o4YM13gWrxU0FYOD1MChgxlK/CNVgJSql50IQVG82n7u86MEs/HlXsmUv6adQ==",
            "t/eDuu2Cl/DbkXRiGE/08I5pwtXl95qUJgD5cl9Yzh8pwYE5v4CwbA//K900c4RS7PQMSIwip+PYDN9vnBwNRw==",
            "Z9rVae78mGo7JCT1UW1aAoS7U9e1LXX17YgaaDCpV2XMyCvEh1L7aTQiV58R3JpABWHsGIWvnu73A9u9MS1P0A==",
        ],
    ),
    (Algorithm::Md5, ["1B2M2Y8AsgTpgAmY7PhCfg==", "DMF1ucDxtqgxw5niaXcmYQ==", "PiWWCnnbxptnTNTsZ6csYg==", "jyk6L2wZs0UVL3pJu0xkPA=="]),
    (Algorithm::XxHash64, ["70bbN1HY6Zk=", "0k7E8amMbls=", "xQCwyRKzdtg=", "iawDmcRGSjE="]),
    (Algorithm::XxHash3, ["LQaABTjTlMI=", "5sYyth6WTh8=", "tqy52Eo4/3Q=", "bg16w2uMEP8="]),
    (
        Algorithm::XxHash128,
        ["maoG0wFHmNhgAcMkRo1Jfw==", "qW+vcFrxaDTmxjK2HpZOHw==", "c1H4mBL5c4K5HQWzHgTdfw==", "U3ONmAmMq7puDXrDa4wQ/w=="],
    ),
];

#[test]
fn every_algorithm_matches_botocore() {
    let big = pattern();
    let inputs: [&[u8]; 4] = [b"", b"a", b"Hello world", &big];
    for (algorithm, answers) in ANSWERS {
        for (input, answer) in inputs.iter().zip(answers) {
            assert_eq!(algorithm.checksum(input), answer, "{algorithm} of {} bytes", input.len());
            assert_eq!(algorithm.encoded_len(), answer.len(), "{algorithm}");
        }
        // In pieces of awkward sizes, as a body arrives.
        let mut hasher = algorithm.hasher();
        for piece in big.chunks(65_521) {
            hasher.update(piece);
        }
        assert_eq!(hasher.finish(), answers[3], "{algorithm} in pieces");
    }
}

#[test]
fn names_and_headers() {
    assert_eq!(Algorithm::ALL.len(), ANSWERS.len());
    for algorithm in Algorithm::ALL {
        assert_eq!(Algorithm::from_name(algorithm.name()), Some(algorithm));
        assert_eq!(Algorithm::from_name(&algorithm.name().to_lowercase()), Some(algorithm));
        assert_eq!(algorithm.header(), format!("x-amz-checksum-{}", algorithm.name().to_lowercase()));
    }
    assert_eq!(Algorithm::from_name("MD4"), None);
}
