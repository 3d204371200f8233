//! Sample customers: Vietnamese names, southern addresses, valid numbers.

use chrono::{DateTime, Utc};
use hotline_domain::customer::{Customer, CustomerPhone};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::{AreaCode, CustomerCode, UnitCode};
use uuid::Uuid;

const FAMILY: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý",
];
const MIDDLE: [&str; 9] = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quốc", "Hoàng"];
const GIVEN: [&str; 30] = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh",
    "Long", "Mai", "Minh", "Nam", "Nga", "Phúc", "Phương", "Quang", "Sơn", "Tâm", "Thảo", "Thu", "Trang", "Tuấn",
    "Vân", "Yến",
];
/// Sample provinces with made-up unit codes (real codes start PB0/PB1/PC).
pub const PROVINCES: [(&str, &str); 12] = [
    ("PB91", "TP. Hồ Chí Minh"),
    ("PB92", "Đồng Nai"),
    ("PB93", "Tây Ninh"),
    ("PB94", "Vĩnh Long"),
    ("PB95", "Đồng Tháp"),
    ("PB96", "An Giang"),
    ("PB97", "Cần Thơ"),
    ("PB98", "Cà Mau"),
    ("PB99", "Lâm Đồng"),
    ("PB90", "Khánh Hòa"),
    ("PB89", "Bình Dương"),
    ("PB88", "Bà Rịa – Vũng Tàu"),
];
const COMMUNES: [&str; 12] = [
    "Tân Thành",
    "Phú Mỹ",
    "Long Hòa",
    "Bình Hưng",
    "An Phú",
    "Thạnh Lộc",
    "Hòa Bình",
    "Phước Long",
    "Tân Hiệp",
    "Mỹ Xuyên",
    "Vĩnh Thuận",
    "Đông Hải",
];
const MOBILE_PREFIXES: [&str; 16] = [
    "90", "91", "93", "94", "96", "97", "98", "32", "33", "35", "37", "39", "70", "77", "83", "88",
];

/// A small, fast, deterministic mix of `i` (splitmix64).
pub fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick<T: Copy>(list: &[T], r: u64) -> T {
    list[(r % list.len() as u64) as usize]
}

/// Sample customer `i`'s main number in E.164: unique per `i` below 10^7
/// per prefix, and a valid Vietnamese mobile.
pub fn sample_phone(i: u64) -> String {
    let prefix = MOBILE_PREFIXES[(i % MOBILE_PREFIXES.len() as u64) as usize];
    let serial = (i / MOBILE_PREFIXES.len() as u64 + mix(7) % 1000) % 10_000_000;
    format!("+84{prefix}{serial:07}")
}

pub fn sample_customer(i: u64, now: DateTime<Utc>) -> Customer {
    let r = mix(i);
    let (unit, province) = pick(&PROVINCES, r >> 8);
    let main = sample_phone(i);
    let mut phones = vec![CustomerPhone {
        raw: format!("0{}", &main[3..]),
        number: PhoneNumber::from_stored(main),
        renumbered: false,
    }];
    if r.is_multiple_of(20) {
        // One in twenty also gave a landline.
        let landline = format!("+84283{:07}", r % 10_000_000);
        phones.push(CustomerPhone {
            raw: format!("028 {}", &landline[5..]),
            number: PhoneNumber::from_stored(landline),
            renumbered: false,
        });
    }
    let name = format!(
        "{} {} {}",
        pick(&FAMILY, r >> 16),
        pick(&MIDDLE, r >> 24),
        pick(&GIVEN, r >> 32)
    );
    Customer {
        id: Uuid::from_u64_pair(
            0x5a3d_1e00_0000_7000 | (i >> 62),
            (i & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000,
        ),
        code: CustomerCode::stored(format!("{unit}{:02}{:07}", (r >> 40) % 100, i % 10_000_000)),
        name,
        phones,
        email: None,
        address: Some(format!(
            "Ấp {}, xã {}, {province}",
            (r >> 44) % 9 + 1,
            pick(&COMMUNES, r >> 48)
        )),
        area_code: Some(AreaCode::stored(format!("SAMPLE-{unit}"))),
        unit_code: Some(UnitCode::stored(unit.to_string())),
        notes: Some("Sample data".into()),
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_customers_are_valid_and_distinct() {
        let now = Utc::now();
        let mut codes = std::collections::HashSet::new();
        let mut numbers = std::collections::HashSet::new();
        for i in 0..2000 {
            let c = sample_customer(i, now);
            assert!(hotline_domain::customer_code::normalize(&c.code).is_ok(), "{}", c.code);
            for p in &c.phones {
                let parsed = PhoneNumber::parse(&p.raw).unwrap().unwrap();
                assert_eq!(parsed.as_str(), p.number.as_str(), "{} is valid", p.raw);
            }
            assert!(codes.insert(c.code.clone()));
            assert!(numbers.insert(c.phones[0].number.as_str().to_string()));
        }
    }
}
