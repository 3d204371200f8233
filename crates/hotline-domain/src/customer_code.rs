//! Customer codes from the billing system (`PB03020045525`, `PC15LL0001234`):
//! a unit prefix of letters and digits followed by a serial. Checked loosely,
//! because unit codes have changed shape over the years.

/// Upper-cases, drops spaces and dashes people type, and checks the shape.
pub fn normalize(raw: &str) -> Result<String, String> {
    let code: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    if !(6..=20).contains(&code.len()) {
        return Err("must be 6 to 20 letters and digits".into());
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("may contain only letters A–Z and digits".into());
    }
    let letters = code.chars().take_while(char::is_ascii_alphabetic).count();
    if letters < 2 || !code.chars().any(|c| c.is_ascii_digit()) {
        return Err("must start with the unit's letters followed by digits (e.g. PB03020045525)".into());
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn accepts_old_and_new_unit_prefixes() {
        assert_eq!(normalize("PB03020045525"), Ok("PB03020045525".into()));
        assert_eq!(normalize(" pb0302 0045525 "), Ok("PB03020045525".into()));
        assert_eq!(normalize("PC15LL0001234"), Ok("PC15LL0001234".into()));
    }

    #[test]
    fn refuses_junk() {
        for bad in [
            "",
            "PB1",
            "12345678901",
            "PB0302'--",
            "ABCDEFGH",
            "PĐ03020045525",
            &"P".repeat(30),
        ] {
            assert!(normalize(bad).is_err(), "{bad}");
        }
    }
}
