//! Lists the schema migrations: every `src/migration/m<date>_<n>_<what>.rs`,
//! in name order. A new migration is its file and nothing else.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("src/migration");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("src/migration is readable")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with('m') && n[1..].starts_with(|c: char| c.is_ascii_digit()) && n.ends_with(".rs"))
        .map(|n| n.trim_end_matches(".rs").to_string())
        .collect();
    names.sort();
    let mut out = String::new();
    for n in &names {
        let path = dir.join(format!("{n}.rs"));
        writeln!(out, "#[path = {:?}]\nmod {n};", path.display().to_string()).unwrap();
    }
    out.push_str("\n/// Every migration, oldest first.\nfn all() -> Vec<Box<dyn MigrationTrait>> {\n    vec![\n");
    for n in &names {
        writeln!(out, "        Box::new({n}::Migration),").unwrap();
    }
    out.push_str("    ]\n}\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").expect("cargo sets it")).join("migrations.rs"),
        out,
    )
    .expect("OUT_DIR is writable");
}
