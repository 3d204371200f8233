//! A JSON parser's own words (`integer `5`, expected a string`, `EOF while
//! parsing an object at line 1 column 9`) in Vietnamese: the phrases the
//! parsers use are put into Vietnamese one by one, and what they quote
//! (values in backticks or quotes, names, numbers) is kept as it is.

/// Parser phrases, the longest first where one begins another.
const PHRASES: &[(&str, &str)] = &[
    (
        "control character (\\u0000-\\u001F) found while parsing a string",
        "có ký tự điều khiển trong chuỗi",
    ),
    (
        "EOF while parsing a value",
        "dữ liệu kết thúc giữa chừng khi đọc một giá trị",
    ),
    (
        "EOF while parsing an object",
        "dữ liệu kết thúc giữa chừng khi đọc một đối tượng",
    ),
    (
        "EOF while parsing a list",
        "dữ liệu kết thúc giữa chừng khi đọc một danh sách",
    ),
    (
        "EOF while parsing a string",
        "dữ liệu kết thúc giữa chừng khi đọc một chuỗi",
    ),
    ("expected value", "cần một giá trị"),
    ("expected ident", "cần true, false hoặc null"),
    ("trailing characters", "thừa ký tự ở cuối"),
    ("trailing comma", "thừa dấu phẩy"),
    ("key must be a string", "khóa phải là chuỗi"),
    ("invalid escape", "ký tự thoát không hợp lệ"),
    ("invalid number", "số không hợp lệ"),
    ("number out of range", "số vượt quá phạm vi"),
    ("invalid unicode code point", "mã Unicode không hợp lệ"),
    ("recursion limit exceeded", "lồng nhau quá sâu"),
    ("elements in sequence", "phần tử trong danh sách"),
    ("a borrowed string", "một chuỗi"),
    ("a string", "một chuỗi"),
    ("a sequence", "một danh sách"),
    ("a map", "một đối tượng"),
    ("a boolean", "true hoặc false"),
    ("a number", "một số"),
    ("an integer", "một số nguyên"),
    ("a character", "một ký tự"),
    ("a UUID string", "một chuỗi UUID"),
    ("floating point", "số thực"),
    ("unit value", "giá trị rỗng"),
    ("integer", "số nguyên"),
    ("string", "chuỗi"),
    ("boolean", "giá trị true/false"),
    ("sequence", "danh sách"),
    ("map", "đối tượng"),
    ("struct", "đối tượng"),
    ("enum", "giá trị liệt kê"),
    ("option", "giá trị tùy chọn"),
    ("expected", "cần"),
    ("at line", "ở dòng"),
    ("column", "cột"),
    ("while parsing", "khi đọc"),
    ("or", "hoặc"),
    ("u8", "số nguyên"),
    ("u16", "số nguyên"),
    ("u32", "số nguyên"),
    ("u64", "số nguyên"),
    ("usize", "số nguyên"),
    ("i8", "số nguyên"),
    ("i16", "số nguyên"),
    ("i32", "số nguyên"),
    ("i64", "số nguyên"),
    ("isize", "số nguyên"),
    ("f32", "một số"),
    ("f64", "một số"),
];

/// Whether `c` may sit inside a word (so a phrase must not end before it).
fn wordy(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A parser's message in Vietnamese: each known phrase replaced at word
/// boundaries; quoted values (in backticks or double quotes), names and
/// numbers kept.
pub fn translate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    let mut after_word = false;
    while let Some(c) = rest.chars().next() {
        // Quoted values are the caller's own: copied whole.
        if c == '`' || c == '"' {
            let end = rest[1..].find(c).map_or(rest.len(), |i| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            after_word = false;
            continue;
        }
        let phrase = (!after_word)
            .then(|| {
                PHRASES
                    .iter()
                    .find(|(en, _)| rest.starts_with(en) && !rest[en.len()..].chars().next().is_some_and(wordy))
            })
            .flatten();
        if let Some((en, vi)) = phrase {
            out.push_str(vi);
            rest = &rest[en.len()..];
            after_word = true;
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
        after_word = wordy(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn type_errors_name_both_types_and_keep_the_value() {
        assert_eq!(
            translate("integer `5`, expected a string"),
            "số nguyên `5`, cần một chuỗi"
        );
        assert_eq!(
            translate("string \"or map\", expected u32"),
            "chuỗi \"or map\", cần số nguyên"
        );
        assert_eq!(translate("map, expected a boolean"), "đối tượng, cần true hoặc false");
    }

    #[test]
    fn syntax_errors_say_where() {
        assert_eq!(
            translate("EOF while parsing an object at line 1 column 9"),
            "dữ liệu kết thúc giữa chừng khi đọc một đối tượng ở dòng 1 cột 9"
        );
        assert_eq!(
            translate("expected `,` or `}` at line 2 column 14"),
            "cần `,` hoặc `}` ở dòng 2 cột 14"
        );
    }

    #[test]
    fn names_and_words_inside_other_words_are_kept() {
        // `struct NewCall`: the type's name stays; "order" is not "or".
        assert_eq!(translate("struct NewCall"), "đối tượng NewCall");
        assert_eq!(translate("ordering"), "ordering");
        assert_eq!(translate("mapping"), "mapping");
    }
}
