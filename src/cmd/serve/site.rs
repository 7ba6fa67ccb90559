//! What `serve` shows: the last good render's pages, each with the reload
//! script added, or the diagnostics of a failed render in their place.

use std::path::PathBuf;

use crate::diag::human;
use crate::report::{html, palette};

use super::super::render::{Done, NotRendered};

pub const VERSION_PATH: &str = "/__clinsafe/version";
const SCRIPT_PATH: &str = "/__clinsafe/reload.js";
const SCRIPT: &str = include_str!("reload.js");
/// The pages' own policy plus our script and its polling, nothing else:
/// user text still cannot run.
const SERVED_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'self'; connect-src 'self'";

/// An HTTP answer, independent of the server crate.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

pub struct Site {
    /// The temporary folder holding the last good render.
    folder: PathBuf,
    /// The file names of the last good render: the only files served.
    pages: Vec<String>,
    /// The diagnostics of the latest render, when it failed.
    failed: Option<String>,
    /// Counts each render, so open pages know when to reload.
    version: u64,
}

impl Site {
    pub fn new(folder: PathBuf) -> Site {
        Site { folder, pages: Vec::new(), failed: None, version: 0 }
    }

    /// Takes in a render's outcome; returns a line for the terminal.
    /// Takes in the outcome of a render written into this site's folder; returns a line for the terminal.
    pub fn update(&mut self, outcome: Result<Done, NotRendered>) -> String {
        self.version += 1;
        match outcome {
            Ok(Done { rendered, counts, .. }) => {
                self.pages = rendered.names;
                self.failed = None;
                format!("rendered: {}", human::summary(counts))
            }
            Err(NotRendered { diagnostics, .. }) => {
                let line = diagnostics.lines().last().unwrap_or_default().to_string();
                self.failed = Some(diagnostics);
                format!("not rendered ({line}); the page shows why")
            }
        }
    }

    /// The answer to `GET path`. Only the names of the last render's files
    /// are looked up, so nothing else on disk can be reached.
    pub fn reply(&self, url: &str) -> Reply {
        let path = url.split(['?', '#']).next().unwrap_or_default();
        match path {
            VERSION_PATH => {
                return reply(200, "text/plain; charset=utf-8", self.version.to_string().into_bytes())
            }
            SCRIPT_PATH => return reply(200, "text/javascript; charset=utf-8", SCRIPT.as_bytes().to_vec()),
            _ => {}
        }
        let name = if path == "/" { "safety-case.html" } else { path.trim_start_matches('/') };
        let known = self.pages.iter().any(|p| p == name);
        let page = name.ends_with(".html") && (known || self.pages.is_empty());
        if let (Some(diagnostics), true) = (&self.failed, page || path == "/") {
            return reply(
                200,
                "text/html; charset=utf-8",
                self.with_script(&error_page(diagnostics)).into_bytes(),
            );
        }
        if !known {
            return reply(404, "text/plain; charset=utf-8", b"not found\n".to_vec());
        }
        match std::fs::read(self.folder.join(name)) {
            Ok(bytes) if name.ends_with(".html") => {
                let page = self.with_script(&String::from_utf8_lossy(&bytes));
                reply(200, "text/html; charset=utf-8", page.into_bytes())
            }
            Ok(bytes) => reply(200, "application/pdf", bytes),
            Err(_) => reply(404, "text/plain; charset=utf-8", b"not found\n".to_vec()),
        }
    }

    /// The page as served: its policy widened for the script, and the script
    /// that reloads it when the version moves on.
    fn with_script(&self, page: &str) -> String {
        let script =
            format!("<script src=\"{SCRIPT_PATH}\" data-version=\"{}\"></script>\n</body>", self.version);
        page.replacen(html::CONTENT_SECURITY_POLICY, SERVED_CSP, 1).replacen("</body>", &script, 1)
    }
}

/// Whether a request's `Host` names this machine's loopback (`localhost`,
/// `127.0.0.1`, `[::1]`, with or without a port), as a browser sends it for
/// the preview's own address and never for another site's.
pub fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host
            .rsplit_once(':')
            .map_or(host, |(name, port)| if port.parse::<u16>().is_ok() { name } else { host }),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn reply(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
    Reply { status, content_type, body }
}

/// The diagnostics of a failed render as a page (escaped: they quote the
/// user's files), in the reports' palette and as accessible as they are.
fn error_page(diagnostics: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <title>clinsafe: not rendered</title>\n\
         <style>body{{font-family:sans-serif;margin:2em;color:{ink};background:{paper}}}pre{{background:{fill};border-left:4px solid {alert};padding:1em;white-space:pre-wrap}}</style>\n\
         </head>\n<body>\n<main>\n<h1>The project could not be rendered</h1>\n\
         <p>Fix the files named below; this page shows the report again once they are fixed.</p>\n\
         <pre id=\"clinsafe-errors\">{}</pre>\n</main>\n</body>\n</html>\n",
        html::CONTENT_SECURITY_POLICY,
        html::escape(diagnostics),
        ink = palette::INK.hex(),
        paper = palette::PAPER.hex(),
        fill = palette::ALERT_FILL.hex(),
        alert = palette::ALERT.hex(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(pages: &[&str]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for p in pages {
            std::fs::write(
                dir.path().join(p),
                format!(
                    "<html><head><meta content=\"{}\"></head><body>{p}</body></html>",
                    html::CONTENT_SECURITY_POLICY
                ),
            )
            .unwrap();
        }
        let mut site = Site::new(dir.path().to_path_buf());
        site.pages = pages.iter().map(|p| p.to_string()).collect();
        (dir, site)
    }

    #[test]
    fn only_the_renders_files_are_served() {
        let (dir, site) = site_with(&["safety-case.html", "hazard-log.html"]);
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        for url in [
            "/secret.txt",
            "/../etc/passwd",
            "/..%2Fsecret.txt",
            "//etc/passwd",
            "/hazard-log.html/..",
            "/out/x",
        ] {
            assert_eq!(site.reply(url).status, 404, "{url}");
        }
        let page = site.reply("/hazard-log.html?x=1");
        assert_eq!(page.status, 200);
        let text = String::from_utf8(page.body).unwrap();
        assert!(
            text.contains("<script src=\"/__clinsafe/reload.js\" data-version=\"0\"></script>\n</body>"),
            "{text}"
        );
        assert!(
            text.contains(SERVED_CSP) && !text.contains(&format!("\"{}\"", html::CONTENT_SECURITY_POLICY)),
            "{text}"
        );
        assert!(String::from_utf8(site.reply("/").body).unwrap().contains("safety-case.html"));
    }

    #[test]
    fn a_failed_render_shows_its_diagnostics_escaped_until_the_next_good_one() {
        let (_dir, mut site) = site_with(&["safety-case.html"]);
        let line =
            site.update(Err(NotRendered { diagnostics: "error: `<b>` & co\nnot read\n".into(), code: 2 }));
        assert!(line.contains("not read"), "{line}");
        let page = String::from_utf8(site.reply("/safety-case.html").body).unwrap();
        assert!(page.contains("error: `&lt;b&gt;` &amp; co"), "{page}");
        assert!(page.contains("data-version=\"1\""), "{page}");
        assert_eq!(site.reply("/other.pdf").status, 404);
        assert_eq!(String::from_utf8(site.reply(VERSION_PATH).body).unwrap(), "1");
    }
}
