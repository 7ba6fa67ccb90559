//! `clinsafe digest`: print the content digest a CSO records in an approval.

use crate::cli::DigestArgs;
use crate::diag::{self, human};

pub fn run(args: &DigestArgs) -> u8 {
    let root = &args.project;
    match crate::load::project(root, Some(&root.join("out"))) {
        Ok(project) => {
            let digest = crate::model::digest::content_digest(&project);
            if super::emit(&format!("{digest}\n")) {
                0
            } else {
                2
            }
        }
        Err(failure) => {
            let findings = super::load_findings(&failure);
            say!(
                "{}",
                human::render(&findings, &failure.sources, diag::count(&findings), super::use_color())
            );
            sayln!("the project could not be read; there is no digest of it");
            2
        }
    }
}
