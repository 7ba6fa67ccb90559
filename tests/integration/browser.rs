//! The rendered pages in headless Chromium: they load with no console
//! message (no CSP violation, no script, no fetch), nothing from user text
//! runs, and a screenshot is taken for a person to look at. Also the
//! DevTools-protocol driver that `serve`'s and the accessibility tests share.
//! Needs Chromium: ignored by plain `cargo test`, run by `.ci/run`
//! (`--include-ignored`), where a missing browser is a failure, not a skip.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::project;
use super::render::{render, HOSTILE};

pub fn chromium() -> Command {
    let bin = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
        .expect("Chromium is not installed: .ci/run installs it (apt-get install chromium)");
    let profile = tempfile::tempdir().unwrap().keep();
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Loads a page; returns the DOM after load and the console lines.
fn load(page: &Path) -> (String, Vec<String>) {
    let out = chromium().arg("--dump-dom").arg(format!("file://{}", page.display())).output().unwrap();
    assert!(out.status.success(), "chromium failed on {}", page.display());
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

fn check_pages(out: &Path, label: &str) {
    let mut pages = 0;
    for entry in std::fs::read_dir(out).unwrap() {
        let page = entry.unwrap().path();
        if page.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let (dom, console) = load(&page);
        assert!(console.is_empty(), "{}: console messages:\n{}", page.display(), console.join("\n"));
        assert!(dom.contains("<article"), "{}: page did not load", page.display());
        assert!(!dom.contains("data-pwned=\"1\""), "{}: user text ran", page.display());
        let shot =
            screenshot_dir().join(format!("{label}-{}.png", page.file_stem().unwrap().to_string_lossy()));
        let status = chromium()
            .arg("--window-size=1200,1800")
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .unwrap();
        assert!(status.status.success());
        assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "{}: blank screenshot?", shot.display());
        pages += 1;
    }
    assert!(pages >= 3);
}

#[test]
#[ignore = "needs Chromium; run by .ci/run"]
fn example_pages_load_cleanly_in_chromium() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
    let (code, out, err) = render(&example, &[]);
    assert_eq!(code, 0, "{err}");
    check_pages(out.path(), "example");
}

#[test]
#[ignore = "needs Chromium; run by .ci/run"]
fn hostile_text_does_not_run_in_chromium() {
    let dir = project(&[("h.yaml", HOSTILE)]);
    let (code, out, err) = render(dir.path(), &[]);
    assert_ne!(code, 2, "{err}");
    check_pages(out.path(), "hostile");
}

/// A page in headless Chromium, driven over the DevTools protocol.
pub struct Browser {
    child: Child,
    page: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Browser {
    pub fn open(url: &str) -> Browser {
        let mut child = chromium()
            .args(["--remote-debugging-port=0", "about:blank"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let browser_ws = loop {
            line.clear();
            assert!(stderr.read_line(&mut line).unwrap() > 0, "Chromium exited without a DevTools address");
            if let Some(i) = line.find("ws://") {
                break line[i..].trim().to_string();
            }
        };
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        let host = browser_ws.trim_start_matches("ws://").split('/').next().unwrap().to_string();
        let list = http_get(&host, "/json/list");
        let targets: serde_json::Value = serde_json::from_str(&list).unwrap();
        let page_ws = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("a page target")
            .to_string();
        let (page, _) = tungstenite::connect(page_ws.as_str()).unwrap();
        if let tungstenite::stream::MaybeTlsStream::Plain(stream) = page.get_ref() {
            stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap(); // fail, never hang
        }
        let mut browser = Browser { child, page, next_id: 0 };
        browser.call("Page.navigate", serde_json::json!({ "url": url }));
        browser
    }

    pub fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = serde_json::json!({ "id": id, "method": method, "params": params });
        self.page.send(tungstenite::Message::text(message.to_string())).unwrap();
        loop {
            let reply = self.page.read().unwrap();
            let Ok(text) = reply.to_text() else { continue };
            let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            if value["id"] == id {
                return value;
            }
        }
    }

    /// Opens `url` in the page and waits until it has loaded.
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", serde_json::json!({ "url": url }));
        let start = Instant::now();
        let loaded =
            format!("document.readyState === 'complete' && location.href === {}", serde_json::json!(url));
        while self.eval(&loaded) != serde_json::Value::Bool(true) {
            assert!(start.elapsed() < Duration::from_secs(30), "{url} never loaded");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The value of a script run in the page (a promise is awaited); a
    /// thrown exception fails the test.
    pub fn eval(&mut self, expression: &str) -> serde_json::Value {
        let reply = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        );
        let result = &reply["result"];
        assert!(result["exceptionDetails"].is_null(), "script failed: {}", result["exceptionDetails"]);
        result["result"]["value"].clone()
    }

    pub fn text(&mut self) -> String {
        let expression = "document.body ? document.body.innerText : ''";
        let reply = self
            .call("Runtime.evaluate", serde_json::json!({ "expression": expression, "returnByValue": true }));
        reply["result"]["result"]["value"].as_str().unwrap_or_default().to_string()
    }

    /// Waits until the page's text satisfies `ok` (the page reloads itself).
    pub fn wait_for(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if ok(&text) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the page never showed {what}; it shows:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET over HTTP/1.1, read up to Content-Length: the DevTools server keeps
/// the connection open whatever the request asks.
fn http_get(host: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    String::from_utf8(body).unwrap()
}
