//! Vietnamese text: one canonical form for storage, one folded form for search.
//!
//! Vietnamese reaches us both precomposed (`ễ` as one code point, typical of
//! Windows and mobile keyboards) and decomposed (`e` + circumflex + tilde,
//! typical of macOS and some older input methods such as VNI/Telex setups).
//! The two look identical but compare unequal, so storage uses NFC
//! everywhere, and search compares a diacritic-free fold because callers and
//! agents often type names without tone marks (`thu duc` for `Thủ Đức`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalise user text for storage: Unicode NFC, trimmed.
/// (Vietnamese arrives both precomposed and decomposed.)
#[must_use]
pub fn nfc(s: &str) -> String {
    // Trim after composing so that what we store is exactly trimmed NFC;
    // trimming never splits a grapheme because combining marks are not
    // whitespace.
    let composed: String = s.nfc().collect();
    composed.trim().to_owned()
}

/// Fold for search: NFD, drop combining marks, `đ`/`Đ` → `d`, lowercase,
/// collapse runs of whitespace to one space, trim.
///
/// `Cà Mau`, `CÀ MAU`, `ca mau` and decomposed `Ca\u{300} Mau` all fold to
/// `ca mau`; `Đồng Nai` → `dong nai`; `Thủ Đức` → `thu duc`.
#[must_use]
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // A whitespace run becomes one space, written only once the next visible
    // character arrives: that collapses runs and trims both ends in one pass.
    let mut pending_space = false;

    for c in s.nfd() {
        if is_combining_mark(c) {
            // Tone marks and the breve/circumflex/horn of ă â ê ô ơ ư: what a
            // user leaves out when typing without a Vietnamese keyboard.
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            // Đ/đ is a separate letter, not D plus a mark, so NFD leaves it
            // whole; people without a Vietnamese keyboard type plain d.
            // Ð/ð (Icelandic eth) looks identical and is what some legacy
            // encodings and keyboards produce for Đ, so it folds the same.
            'Đ' | 'đ' | 'Ð' | 'ð' => out.push('d'),
            // Lowercasing can expand (e.g. to a letter plus a combining
            // mark), so filter marks from its output as well.
            c => out.extend(c.to_lowercase().filter(|l| !is_combining_mark(*l))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decompose a string, for building "macOS-style" input in tests.
    fn nfd(s: &str) -> String {
        s.nfd().collect()
    }

    /// `f(input)` is `expected`, for every pair.
    fn each(f: fn(&str) -> String, cases: &[(&str, &str)]) {
        for (input, expected) in cases {
            assert_eq!(f(input), *expected, "{input:?}");
        }
    }

    /// `fold(input)` is `expected` whichever form the input comes in: as
    /// written, upper-cased, decomposed, or both.
    fn folds_in_every_form(cases: &[(&str, &str)]) {
        for (input, expected) in cases {
            let upper = input.to_uppercase();
            for form in [input.to_string(), nfd(input), upper.clone(), nfd(&upper)] {
                assert_eq!(fold(&form), *expected, "{form:?}");
            }
        }
    }

    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        let decomposed = "Nguye\u{302}\u{303}n Thi\u{323} A\u{301}nh";
        assert_eq!(nfc(decomposed), "Nguyễn Thị Ánh");
        assert_eq!(nfc("Nguyễn Thị Ánh"), "Nguyễn Thị Ánh");
        assert_eq!(nfc(&nfd("Thủ Đức")), "Thủ Đức");
    }

    #[test]
    fn nfc_is_idempotent_and_agrees_across_input_forms() {
        for name in [
            "Cà Mau",
            "Đồng Nai",
            "Bà Rịa – Vũng Tàu",
            "Trần Hưng Đạo",
            "Phạm Ngũ Lão",
            "Lê Thị Hồng Gấm",
            "Huỳnh Tấn Phát",
            "Võ Văn Kiệt",
            "Nguyễn Ảnh Thủ",
            "Ông Ích Khiêm",
        ] {
            let once = nfc(name);
            assert_eq!(nfc(&once), once, "{name}");
            assert_eq!(nfc(&nfd(name)), once, "{name}");
            assert_eq!(once, name, "already NFC input must be unchanged: {name}");
        }
    }

    #[test]
    fn nfc_trims_but_keeps_inner_spacing() {
        each(
            nfc,
            &[
                ("  Cà Mau \n", "Cà Mau"),
                ("\u{00A0}Cà  Mau\u{3000}", "Cà  Mau"),
                ("", ""),
                ("   ", ""),
            ],
        );
    }

    #[test]
    fn nfc_keeps_emoji_and_ascii() {
        each(
            nfc,
            &[
                (" Mất điện 😡 lúc 8h ", "Mất điện 😡 lúc 8h"),
                ("👍🏽", "👍🏽"),
                ("PC-HCM 123", "PC-HCM 123"),
            ],
        );
    }

    #[test]
    fn fold_examples_from_the_spec() {
        for s in ["Cà Mau", "CÀ MAU", "ca mau", "Ca\u{300} Mau", "  cà   mau  "] {
            assert_eq!(fold(s), "ca mau", "{s:?}");
        }
        each(
            fold,
            &[
                ("Đồng Nai", "dong nai"),
                ("Nguyễn Thị Ánh", "nguyen thi anh"),
                ("Thủ Đức", "thu duc"),
            ],
        );
    }

    #[test]
    fn fold_removes_all_five_tone_marks() {
        // Level tone, then huyền, sắc, hỏi, ngã, nặng, on every vowel.
        let cases = [
            ("a à á ả ã ạ", "a a a a a a"),
            ("ă ằ ắ ẳ ẵ ặ", "a a a a a a"),
            ("â ầ ấ ẩ ẫ ậ", "a a a a a a"),
            ("e è é ẻ ẽ ẹ", "e e e e e e"),
            ("ê ề ế ể ễ ệ", "e e e e e e"),
            ("i ì í ỉ ĩ ị", "i i i i i i"),
            ("o ò ó ỏ õ ọ", "o o o o o o"),
            ("ô ồ ố ổ ỗ ộ", "o o o o o o"),
            ("ơ ờ ớ ở ỡ ợ", "o o o o o o"),
            ("u ù ú ủ ũ ụ", "u u u u u u"),
            ("ư ừ ứ ử ữ ự", "u u u u u u"),
            ("y ỳ ý ỷ ỹ ỵ", "y y y y y y"),
        ];
        folds_in_every_form(&cases);
    }

    #[test]
    fn fold_handles_d_with_stroke_in_every_form() {
        assert_eq!(fold("đ Đ"), "d d");
        assert_eq!(fold("ĐẠI ĐỒNG"), "dai dong");
        assert_eq!(fold("Ðà Nẵng"), "da nang"); // U+00D0 typed for Đ
        assert_eq!(fold(&nfd("Đắk Lắk")), "dak lak");
    }

    #[test]
    fn fold_many_vietnamese_names_and_places() {
        let cases = [
            ("Trần Hưng Đạo", "tran hung dao"),
            ("Lê Thị Hồng Gấm", "le thi hong gam"),
            ("Phạm Văn Đồng", "pham van dong"),
            ("Huỳnh Tấn Phát", "huynh tan phat"),
            ("Võ Thị Sáu", "vo thi sau"),
            ("Ngô Quyền", "ngo quyen"),
            ("Dương Quảng Hàm", "duong quang ham"),
            ("Bùi Thị Xuân", "bui thi xuan"),
            ("Đặng Thùy Trâm", "dang thuy tram"),
            ("Hoàng Diệu", "hoang dieu"),
            ("Lý Tự Trọng", "ly tu trong"),
            ("Tôn Đức Thắng", "ton duc thang"),
            ("Nguyễn Thị Minh Khai", "nguyen thi minh khai"),
            ("Bà Rịa – Vũng Tàu", "ba ria – vung tau"),
            ("Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
            ("Bình Dương", "binh duong"),
            ("Cần Thơ", "can tho"),
            ("Sóc Trăng", "soc trang"),
            ("Bạc Liêu", "bac lieu"),
            ("Tây Ninh", "tay ninh"),
            ("Long Xuyên", "long xuyen"),
            ("Mỹ Tho", "my tho"),
            ("Rạch Giá", "rach gia"),
            ("Phú Quốc", "phu quoc"),
            ("Côn Đảo", "con dao"),
            ("Ấp Bắc", "ap bac"),
            ("ỨNG HÒA", "ung hoa"),
            ("Ở ĐÂU", "o dau"),
            ("ƯỚC NGUYỆN", "uoc nguyen"),
            ("Ỷ Lan", "y lan"),
        ];
        folds_in_every_form(&cases);
    }

    #[test]
    fn fold_collapses_all_kinds_of_whitespace() {
        each(
            fold,
            &[
                ("  Thủ\t\tĐức \n Quận 9  ", "thu duc quan 9"),
                ("Cà\u{00A0}Mau", "ca mau"),
                ("Cà\u{3000}\u{2009}Mau", "ca mau"),
                ("\r\n", ""),
            ],
        );
    }

    #[test]
    fn fold_keeps_ascii_digits_and_punctuation() {
        each(
            fold,
            &[
                ("Số 12/3 Lê Lợi, P. Bến Nghé", "so 12/3 le loi, p. ben nghe"),
                ("PC-HCM #42 (EVN)", "pc-hcm #42 (evn)"),
                ("hello world", "hello world"),
            ],
        );
    }

    #[test]
    fn fold_keeps_emoji() {
        assert_eq!(fold("Mất điện 😡"), "mat dien 😡");
        assert_eq!(fold("⚡ Cúp Điện ⚡"), "⚡ cup dien ⚡");
        // Skin-tone modifiers are symbols, not combining marks: kept.
        assert_eq!(fold("👍🏽 OK"), "👍🏽 ok");
        // ZWJ sequences survive intact.
        assert_eq!(fold("👨\u{200D}🔧"), "👨\u{200D}🔧");
        // The emoji presentation selector is a combining mark and goes, so
        // "❤️" and "❤" match each other in search.
        assert_eq!(fold("❤\u{FE0F}"), fold("❤"));
    }

    #[test]
    fn fold_of_empty_and_blank_is_empty() {
        assert_eq!(fold(""), "");
        assert_eq!(fold("   "), "");
        // A lone combining mark has nothing to attach to and disappears.
        assert_eq!(fold("\u{301}"), "");
    }

    #[test]
    fn fold_is_idempotent() {
        for s in ["Nguyễn Thị Ánh", "  CÀ   MAU ", "Đồng Nai 😡", "", "İstanbul"] {
            let once = fold(s);
            assert_eq!(fold(&once), once, "{s:?}");
        }
        // Lowercasing İ yields i + combining dot; the dot must not survive.
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    #[test]
    fn stored_and_folded_forms_agree() {
        // Folding what we store gives the same key as folding the raw input,
        // so search works whichever form a caller typed.
        for s in ["Nguye\u{302}\u{303}n Thi\u{323} A\u{301}nh", " Thủ  Đức ", "Đồng Nai"] {
            assert_eq!(fold(&nfc(s)), fold(s), "{s:?}");
        }
    }
}
