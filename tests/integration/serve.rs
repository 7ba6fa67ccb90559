//! `clinsafe serve`: the live preview, over plain HTTP and in headless
//! Chromium (driven through the DevTools protocol), plus the promise that
//! files written by `render` carry no script.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{clinsafe, project, write, AS_OF};

pub const HAZARD: &str = "hazards:\n  - id: HAZ-1\n    title: Wrong patient\n    controls: [CTL-1]\n    initial_risk: { severity: major, likelihood: medium }\ncontrols:\n  - { id: CTL-1, title: Banner, type: design, status: implemented }\n";

/// A running `clinsafe serve`, stopped (with SIGTERM, as Ctrl-C would) when dropped.
pub struct Serve {
    child: Child,
    port: u16,
    folder: PathBuf,
    log: mpsc::Receiver<String>,
}

impl Serve {
    pub fn start(dir: &Path) -> Serve {
        Serve::start_with(dir, &[])
    }

    /// `serve` with more options before the project folder.
    pub fn start_with(dir: &Path, options: &[&str]) -> Serve {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clinsafe"))
            .args(["serve", "--port", "0", "--as-of", AS_OF])
            .args(options)
            .arg(dir)
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, log) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let (mut port, mut folder) = (None, None);
        while port.is_none() {
            let line = log.recv_timeout(Duration::from_secs(60)).expect("serve prints its address");
            if let Some(rest) = line.strip_prefix("rendering to ") {
                folder = Some(PathBuf::from(rest));
            }
            if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                port = rest.split('/').next().and_then(|p| p.parse().ok());
            }
        }
        Serve { child, port: port.unwrap(), folder: folder.expect("serve names its folder"), log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// One raw HTTP request (the target is sent as given, `..` and all).
    pub fn get(&self, method: &str, target: &str) -> (u16, String) {
        self.request(method, target, "localhost")
    }

    /// One raw HTTP request naming `host` in its Host header.
    pub fn request(&self, method: &str, target: &str, host: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    pub fn version(&self) -> u64 {
        self.get("GET", "/__clinsafe/version").1.trim().parse().unwrap()
    }

    /// Waits for the next render after `since`.
    pub fn wait_for_render(&self, since: u64) {
        let start = Instant::now();
        while self.version() == since {
            assert!(start.elapsed() < Duration::from_secs(30), "no render after a change");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_renders_to_a_temporary_folder_and_serves_only_its_files() {
    let dir = project(&[("hazards/h.yaml", HAZARD)]);
    let serve = Serve::start(dir.path());
    assert!(!serve.folder.starts_with(dir.path()) && !dir.path().join("out").exists());
    assert!(serve.folder.join("safety-case.html").is_file());
    let (status, page) = serve.get("GET", "/hazard-log.html");
    assert_eq!(status, 200);
    assert!(page.contains("Wrong patient"));
    assert!(page.contains("<script src=\"/__clinsafe/reload.js\" data-version=\"1\"></script>"), "{page}");
    assert_eq!(serve.get("GET", "/").0, 200);
    assert_eq!(serve.get("GET", "/__clinsafe/reload.js").0, 200);
    for target in [
        "/clinsafe.yaml",
        "/hazards/h.yaml",
        "/../clinsafe.yaml",
        "/%2e%2e/clinsafe.yaml",
        "/..%2fclinsafe.yaml",
        "/safety-case.html/../../clinsafe.yaml",
        "/etc/passwd",
    ] {
        assert_eq!(serve.get("GET", target).0, 404, "{target}");
    }
    assert_eq!(serve.get("POST", "/safety-case.html").0, 405);
    // DNS rebinding: a page of another site whose name now points here gets nothing.
    let port = serve.port;
    for host in [
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("LocalHost:{port}"),
    ] {
        assert_eq!(serve.request("GET", "/hazard-log.html", &host).0, 200, "{host}");
    }
    for host in ["evil.example", "evil.example:80", "localhost.evil.example", "127.0.0.1.nip.io"] {
        let (status, body) = serve.request("GET", "/hazard-log.html", host);
        assert_eq!(status, 403, "{host}");
        assert!(!body.contains("Wrong patient"), "{host}");
    }

    // A bad edit: the located error, escaped, in place of every page.
    let v = serve.version();
    write(dir.path(), "hazards/h.yaml", b"hazards:\n  - { id: HAZ-1, title: \"<b>x</b>\", status: shut }\n");
    serve.wait_for_render(v);
    let (status, page) = serve.get("GET", "/hazard-log.html");
    assert_eq!(status, 200);
    assert!(page.contains("could not be rendered") && page.contains("hazards/h.yaml:2:"), "{page}");
    assert!(page.contains("&lt;b&gt;x&lt;/b&gt;") && !page.contains("<b>x</b>"), "{page}");
    // Fixed: the report again.
    let v = serve.version();
    write(dir.path(), "hazards/h.yaml", HAZARD.replace("Wrong patient", "Wrong patient again").as_bytes());
    serve.wait_for_render(v);
    let page = serve.get("GET", "/hazard-log.html").1;
    assert!(page.contains("Wrong patient again") && !page.contains("could not be rendered"), "{page}");
    // Changes in the output folder and hidden folders do not render again.
    let v = serve.version();
    write(dir.path(), "out/x.yaml", b"hazards: [\n");
    write(dir.path(), ".git/index", b"x");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(serve.version(), v);

    // Stopping takes the temporary folder with it.
    let folder = serve.folder.clone();
    drop(serve);
    assert!(!folder.exists(), "{} left behind", folder.display());
}

#[test]
fn serve_refuses_a_port_in_use() {
    let dir = project(&[]);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = clinsafe().args(["serve", "--port", &port]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("cannot listen on 127.0.0.1:{port}")));
}

#[test]
fn rendered_files_carry_no_script() {
    let dir = project(&[("hazards/h.yaml", HAZARD)]);
    let out = tempfile::tempdir().unwrap();
    let status = clinsafe()
        .args(["render", "--format", "html", "--as-of", AS_OF, "--out"])
        .arg(out.path())
        .arg(dir.path())
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(0));
    let mut pages = 0;
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with(".clinsafe-") {
            continue; // render's manifest and lock, not pages
        }
        let text = std::fs::read_to_string(path).unwrap();
        assert!(!text.to_lowercase().contains("<script") && !text.contains("__clinsafe"));
        assert!(text.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""));
        pages += 1;
    }
    assert!(pages >= 3);
}

#[test]
#[ignore = "needs Chromium; run by .ci/run"]
fn the_open_page_follows_edits_in_chromium() {
    let dir = project(&[("hazards/h.yaml", HAZARD)]);
    let serve = Serve::start(dir.path());
    let mut browser = super::browser::Browser::open(&serve.url("/hazard-log.html"));
    browser.wait_for("the hazard log", |t| t.contains("HAZ-1") && t.contains("Wrong patient"));

    // A good edit: the open page reloads itself and shows it.
    write(
        dir.path(),
        "hazards/h.yaml",
        HAZARD.replace("Wrong patient", "Reply sent to the wrong patient").as_bytes(),
    );
    browser.wait_for("the new title", |t| t.contains("Reply sent to the wrong patient"));

    // A bad edit: the located error instead of the report.
    write(dir.path(), "hazards/h.yaml", b"hazards:\n  - { id: HAZ-1, title: t, status: shut }\n");
    let text = browser.wait_for("the error", |t| t.contains("could not be rendered"));
    assert!(text.contains("hazards/h.yaml:2:") && text.contains("shut"), "{text}");

    // Fixed: the report comes back.
    write(dir.path(), "hazards/h.yaml", HAZARD.as_bytes());
    browser.wait_for("the report again", |t| {
        t.contains("Wrong patient") && !t.contains("could not be rendered")
    });
    drop(browser);
    let lines: Vec<String> = serve.log.try_iter().collect();
    assert!(lines.iter().filter(|l| l.starts_with("rendered:")).count() >= 2, "{lines:?}");
}
