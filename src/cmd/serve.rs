//! `clinsafe serve`: a live preview. Renders the HTML reports to a temporary
//! folder with `render`'s own path, serves them on 127.0.0.1 only, renders
//! again when a project file changes, and the open page reloads itself.

mod site;
mod watch;

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::cli::ServeArgs;

use super::render::{make, Job};
use site::Site;

pub fn run(args: &ServeArgs) -> u8 {
    let as_of = match super::as_of(&args.project) {
        Ok(d) => d,
        Err(e) => return super::usage_error(&e),
    };
    if let Err(e) = super::period_begun(args.period, as_of) {
        return super::usage_error(&e);
    }
    let root = args.project.project.clone();
    if !root.is_dir() {
        return super::usage_error(&format!("`{}` is not a folder", root.display()));
    }
    let server = match tiny_http::Server::http(("127.0.0.1", args.port)) {
        Ok(s) => s,
        Err(e) => return super::usage_error(&format!("cannot listen on 127.0.0.1:{}: {e}", args.port)),
    };
    let folder = match tempfile::Builder::new().prefix("clinsafe-serve-").tempdir() {
        Ok(d) => d,
        Err(e) => return super::usage_error(&format!("cannot make a temporary folder: {e}")),
    };
    // Ctrl-C (or a TERM) is how serve ends: take the rendered copies with it.
    let keep = folder.path().to_path_buf();
    let _ = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&keep);
        std::process::exit(0);
    });
    let render = || {
        make(&Job {
            root: &root,
            out: folder.path(),
            as_of,
            period: args.period,
            templates: args.templates.as_deref(),
            html: true,
            pdf: false,
            xlsx: false,
            strict: false,
            color: false,
            since: args.since.as_deref(),
        })
    };
    let site = Arc::new(Mutex::new(Site::new(folder.path().to_path_buf())));
    sayln!("{}", site.lock().unwrap().update(render()));

    let (changed, changes) = mpsc::channel();
    let mut folders = vec![root.clone()];
    folders.extend(args.templates.clone());
    let _watcher = match watch::start(&folders, root.join("out"), changed) {
        Ok(w) => w,
        Err(e) => return super::usage_error(&e),
    };
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    sayln!("rendering to {}", folder.path().display());
    sayln!("serving http://127.0.0.1:{port}/ (Ctrl-C to stop); pages reload when a project file changes");

    let shown = Arc::clone(&site);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str());
            let reply = if !host.is_none_or(site::is_local_host) {
                // DNS rebinding: another site's page, its name pointed at 127.0.0.1, reading the case.
                site::Reply {
                    status: 403,
                    content_type: "text/plain",
                    body: b"this preview answers only to localhost\n".to_vec(),
                }
            } else if matches!(request.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
                shown.lock().unwrap().reply(request.url())
            } else {
                site::Reply { status: 405, content_type: "text/plain", body: b"GET only\n".to_vec() }
            };
            let header =
                tiny_http::Header::from_bytes("Content-Type", reply.content_type).expect("valid header");
            let no_cache = tiny_http::Header::from_bytes("Cache-Control", "no-store").expect("valid header");
            let response = tiny_http::Response::from_data(reply.body)
                .with_status_code(reply.status)
                .with_header(header)
                .with_header(no_cache);
            let _ = request.respond(response);
        }
    });
    while watch::next_batch(&changes) {
        let outcome = render();
        sayln!("{}", site.lock().unwrap().update(outcome));
    }
    2
}
