//! `hotline import customers FILE.csv` as an operator runs it: a fresh
//! SQLite file, a small export with a bad line, then the same file again.

use std::path::PathBuf;
use std::process::{Command, Output};

struct Temp(PathBuf);

impl Temp {
    fn new(suffix: &str) -> Self {
        Temp(std::env::temp_dir().join(format!("hotline-import-{}{suffix}", uuid::Uuid::now_v7())))
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{s}", self.0.display()));
        }
    }
}

fn import(db: &Temp, file: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hotline"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOTLINE_DATABASE_URL", format!("sqlite:{}", db.0.display()))
        .args(["import", "customers"])
        .arg(file)
        .output()
        .expect("run hotline")
}

#[test]
fn imports_a_csv_file_and_lists_the_bad_lines() {
    let db = Temp::new(".db");
    let csv = Temp::new(".csv");
    std::fs::write(
        &csv.0,
        "\u{feff}customer_code,name,phones,address\n\
         PB03020045525,Nguyễn Văn Á,0912 345 678;01623456789,\"Ấp 3, Cà Mau\"\n\
         xx,Trần Thị B,,\n\
         PB03020045526,Lê Văn C,0290 3831 234/abc,\n\
         PB03020045527,Phạm Thị D,,Bạc Liêu\n",
    )
    .expect("write csv");

    let out = import(&db, &csv.0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("created 2, updated 0, unchanged 0, failed 2"),
        "{stdout}"
    );
    assert_eq!(
        lines[1..],
        [
            "line 3: customer_code: must be 6 to 20 letters and digits",
            "line 4: phones[1]: contains letters",
        ]
    );

    let again = import(&db, &csv.0);
    assert!(again.status.success());
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.starts_with("created 0, updated 0, unchanged 2, failed 2"),
        "{stdout}"
    );

    let missing = import(&db, &std::env::temp_dir().join("hotline-no-such-file.csv"));
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));

    std::fs::write(&csv.0, "code,name\n").expect("write csv");
    let bad_header = import(&db, &csv.0);
    assert!(!bad_header.status.success());
    assert!(String::from_utf8_lossy(&bad_header.stderr).contains("code: is not a known column"));
}
