//! Shared by the live tests: the test data and the boto3 interop check.
#![allow(dead_code)]

use s3::Client;
use s3_transfer::{DownloadArgs, TransferManager, UploadArgs, MIB};

/// The bytes every side of a test writes (the Python oracle computes the same).
pub fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(2654435761).rotate_left(7) as u8 ^ seed).collect()
}

/// What we upload boto3 downloads byte-equal, and the reverse, with the same multipart
/// ETag (`"…-N"`): boto3's classic transfer manager (run by `python`) against `url`.
pub async fn interop(python: &str, url: &str, client: Client, access: &str, secret: &str) {
    let tm = TransferManager::new(client.clone());
    let _ = client.create_bucket().bucket("transfer-interop").send().await;
    let root = std::env::temp_dir().join(format!("s3-transfer-interop-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    let body = data(20 * MIB as usize + 5, 11);
    let ours = root.join("ours");
    std::fs::write(&ours, &body).unwrap();
    let up = tm.upload_file(&ours, "transfer-interop", "from-rust", &UploadArgs::default()).await.unwrap();
    let script = r#"
import sys, boto3
from boto3.s3.transfer import TransferConfig
url, access, secret, root = sys.argv[1:5]
c = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id=access,
                 aws_secret_access_key=secret, config=boto3.session.Config(s3={"addressing_style": "path"}))
cfg = TransferConfig(preferred_transfer_client="classic")
c.download_file("transfer-interop", "from-rust", root + "/theirs-down", Config=cfg)
c.upload_file(root + "/ours", "transfer-interop", "from-boto3", Config=cfg)
print(c.head_object(Bucket="transfer-interop", Key="from-boto3")["ETag"])
"#;
    let out = std::process::Command::new(python).arg("-c").arg(script).args([url, access, secret]).arg(&root).output().unwrap();
    assert!(out.status.success(), "boto3: {}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(root.join("theirs-down")).unwrap() == body, "boto3 downloaded other bytes");
    let their_etag = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(their_etag, up.e_tag.unwrap(), "the same parts, the same multipart ETag");
    let down = root.join("ours-down");
    tm.download_file("transfer-interop", "from-boto3", &down, &DownloadArgs::default()).await.unwrap();
    assert!(std::fs::read(&down).unwrap() == body, "we downloaded other bytes");
    std::fs::remove_dir_all(&root).unwrap();
}
