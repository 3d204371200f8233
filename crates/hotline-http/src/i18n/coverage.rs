//! Every message the code can put in a problem has its Vietnamese: the
//! sources of the domain, the use cases and the HTTP layer are read for the
//! texts handed to a field error, a refusal, a conflict or a not-found, and
//! each is looked up in the catalogue. The API tests check what they meet
//! at run time; this finds the paths no test takes.

use std::path::{Path, PathBuf};

use super::catalogue::message;

/// Calls whose argument (0-based) is text a problem carries, and how the
/// text reads in the problem.
const CALLS: &[(&str, usize, &str)] = &[
    (".add(", 1, "{}"),
    ("invalid(", 1, "{}"),
    ("invalid_field(", 1, "{}"),
    ("invalid_parameter(", 1, "{}"),
    ("require(who,", 1, "the agent role may not {}"),
    ("require(&who,", 1, "the agent role may not {}"),
    ("roles::require(", 2, "the agent role may not {}"),
    ("auth.require(", 1, "the agent role may not {}"),
    ("NotFound(", 0, "no such {}"),
    ("not_found(", 0, "no such {}"),
    ("Conflict(", 0, "{}"),
    ("Forbidden(", 0, "{}"),
    ("conflict(", 0, "{}"),
    ("forbidden(", 0, "{}"),
    ("malformed(", 0, "{}"),
    ("unauthorized(", 0, "{}"),
];

/// Open311's own answers (its spec's error list, built apart) and this
/// module's lists.
fn skipped(p: &Path) -> bool {
    let p = p.to_string_lossy();
    p.contains("routes/open311/") || p.contains("src/i18n/")
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("tests.rs") && !skipped(&p) {
            out.push(p);
        }
    }
}

/// The call's arguments as written, split at top-level commas.
fn arguments(src: &str) -> Vec<&str> {
    let (mut depth, mut in_str, mut escaped, mut start) = (0i32, false, false, 0);
    let mut args = Vec::new();
    for (i, c) in src.char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => {
                args.push(src[start..i].trim());
                return args;
            }
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                args.push(src[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    Vec::new()
}

/// The text of a literal argument (`"…"`, `"…".into()`, `format!("…", …)`),
/// its `{…}` placeholders filled with a sample value; None when it is not a
/// literal.
fn literal(arg: &str) -> Option<String> {
    let arg = arg.strip_prefix("format!(").unwrap_or(arg);
    let body = arg.strip_prefix('"')?;
    let mut text = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next()?),
            '"' => break,
            _ => text.push(c),
        }
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        if rest[i..].starts_with("{{") {
            out.push('{');
            rest = &rest[i + 2..];
            continue;
        }
        let close = rest[i..].find('}')?;
        out.push('7');
        rest = &rest[i + close + 1..];
    }
    out.push_str(rest);
    Some(out.replace("}}", "}"))
}

#[test]
fn every_message_in_the_code_has_its_vietnamese() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["hotline-domain", "hotline-app", "hotline-http"] {
        sources(&root.join(krate).join("src"), &mut files);
    }
    let mut missing = Vec::new();
    for file in files {
        let src = std::fs::read_to_string(&file).expect("source");
        // Unit tests' own messages never reach a client.
        let src = src.split("#[cfg(test)]\nmod tests").next().unwrap_or(&src);
        for (call, index, shape) in CALLS {
            for (at, _) in src.match_indices(call) {
                let args = arguments(&src[at + call.len()..]);
                let Some(text) = args.get(*index).and_then(|a| literal(a)) else {
                    continue;
                };
                let text = shape.replace("{}", &text);
                if message(&text).is_none() {
                    missing.push(format!("{}: {text}", file.display()));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "no Vietnamese for:\n{}", missing.join("\n"));
}
