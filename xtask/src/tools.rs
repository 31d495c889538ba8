//! Tools the test command installs and runs itself: a Python virtual environment with
//! pinned packages (`xtask/requirements.txt`), and local servers on free loopback ports
//! that are stopped by pid when their guard is dropped, even when a test fails.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::project_root;

/// The project's virtual environment, created and brought up to date with
/// `xtask/requirements.txt` when needed. Returns its directory.
pub fn ensure_venv() -> Result<PathBuf> {
    let root = project_root();
    let venv = root.join(".venv");
    let requirements = root.join("xtask/requirements.txt");
    let wanted = hex(&Sha256::digest(fs::read(&requirements).context("cannot read xtask/requirements.txt")?));
    let stamp = venv.join(".requirements-sha256");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(venv);
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    if !venv.join("bin/python").exists() {
        println!("creating {}", venv.display());
        run(Command::new(&python).args(["-m", "venv"]).arg(&venv))?;
    }
    println!("installing {}", requirements.display());
    run(Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    fs::write(&stamp, wanted)?;
    Ok(venv)
}

fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("cannot run {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed ({status})");
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A free TCP port on the loopback address.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot bind a loopback port")?;
    Ok(listener.local_addr()?.port())
}

/// A server started by the test command; dropping it stops the process by its pid.
pub struct Server {
    name: String,
    child: Child,
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    /// Where its output goes.
    pub log: PathBuf,
}

impl Server {
    /// Starts `cmd` (which must listen on `port`) and waits until the port accepts
    /// connections.
    pub fn start(name: &str, mut cmd: Command, port: u16) -> Result<Server> {
        let log = project_root().join("target").join(format!("{name}.log"));
        fs::create_dir_all(log.parent().expect("target dir"))?;
        let out = fs::File::create(&log)?;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .with_context(|| format!("cannot start {name}: {cmd:?}"))?;
        let mut server = Server { name: name.to_owned(), child, port, log };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = server.child.try_wait()? {
                bail!("{name} exited ({status}) before listening; see {}", server.log.display());
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("{name} did not listen on port {port} within 60 s; see {}", server.log.display());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        println!("started {name} (pid {}) on 127.0.0.1:{port}", server.child.id());
        Ok(server)
    }

    /// The server's base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pid = self.child.id();
        let _ = self.child.kill();
        let _ = self.child.wait();
        println!("stopped {} (pid {pid})", self.name);
    }
}

/// moto's S3 server from the project's virtual environment.
pub fn start_moto(venv: &Path) -> Result<Server> {
    let port = free_port()?;
    let mut cmd = Command::new(venv.join("bin/moto_server"));
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
    Server::start("moto_server", cmd, port)
}

/// The version of s3s-fs the live tests run (newer ones need a newer rustc).
const S3S_FS_VERSION: &str = "0.14.1";

/// s3s-fs, built into the project-local `.tools/` the first time.
pub fn ensure_s3s_fs() -> Result<PathBuf> {
    let root = std::env::var_os("S3S_FS_ROOT").map(PathBuf::from).unwrap_or_else(|| project_root().join(".tools"));
    let binary = root.join("bin/s3s-fs");
    let stamp = root.join(format!(".s3s-fs-{S3S_FS_VERSION}"));
    if binary.exists() && stamp.exists() {
        return Ok(binary);
    }
    println!("building s3s-fs {S3S_FS_VERSION} into {}", root.display());
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(cargo)
        .args(["install", "s3s-fs", "--version", S3S_FS_VERSION, "--locked", "--features", "binary", "--root"])
        .arg(&root))?;
    fs::write(&stamp, "")?;
    Ok(binary)
}

/// s3s-fs serving a fresh directory under `target/`, verifying signatures made with
/// `access_key`/`secret_key`.
pub fn start_s3s_fs(binary: &Path, access_key: &str, secret_key: &str) -> Result<Server> {
    let port = free_port()?;
    let data = project_root().join("target/s3s-fs-data");
    let _ = fs::remove_dir_all(&data);
    fs::create_dir_all(&data)?;
    let mut cmd = Command::new(binary);
    cmd.args(["--host", "127.0.0.1", "--port", &port.to_string(), "--access-key", access_key, "--secret-key", secret_key])
        .arg(&data);
    Server::start("s3s-fs", cmd, port)
}
