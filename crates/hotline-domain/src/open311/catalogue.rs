//! The services citizen and city apps can file through Open311: one per
//! work-order category a member of the public may raise. Staff-conduct
//! complaints (verified by unit management, with a promised answer date)
//! and plain information requests stay with the hotline's agents.

use crate::call::Category;

/// One Open311 service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// The Open311 `service_code`: the category's name.
    pub code: &'static str,
    pub category: Category,
    /// Vietnamese, as the apps show it.
    pub name: &'static str,
    /// English.
    pub description: &'static str,
    pub keywords: &'static [&'static str],
    pub group: &'static str,
}

const GROUP_FAULTS: &str = "Sự cố điện (power faults)";
const GROUP_SERVICES: &str = "Dịch vụ khách hàng (customer services)";

pub const SERVICES: &[Service] = &[
    Service {
        code: "outage",
        category: Category::Outage,
        name: "Mất điện",
        description: "Power outage: no electricity at an address or in an area. Supply is restored within 2 hours.",
        keywords: &["mất điện", "cúp điện", "outage", "no power", "blackout"],
        group: GROUP_FAULTS,
    },
    Service {
        code: "safety_hazard",
        category: Category::SafetyHazard,
        name: "Nguy hiểm về điện",
        description: "Electrical safety hazard: fallen or low wires, a leaning pole, sparks or fire at equipment. Keep away and keep others away.",
        keywords: &[
            "dây điện đứt",
            "cột điện nghiêng",
            "chập điện",
            "hazard",
            "fallen wire",
            "sparks",
        ],
        group: GROUP_FAULTS,
    },
    Service {
        code: "voltage_quality",
        category: Category::VoltageQuality,
        name: "Điện yếu, chập chờn",
        description: "Low, high or flickering voltage.",
        keywords: &["điện yếu", "chập chờn", "low voltage", "flicker"],
        group: GROUP_FAULTS,
    },
    Service {
        code: "new_supply",
        category: Category::NewSupply,
        name: "Cấp điện mới",
        description: "A new electricity supply (connection) for a home or business. Say who applies in attribute[applicant_kind]: a household's type (urban or rural) comes from its area, and where the area's kind is not known the request is still taken and staff set its type.",
        keywords: &["cấp điện mới", "lắp công tơ", "new connection", "new supply"],
        group: GROUP_SERVICES,
    },
    Service {
        code: "metering",
        category: Category::Metering,
        name: "Công tơ điện",
        description: "Meter problems: stopped, damaged or running fast, or a disputed reading.",
        keywords: &["công tơ", "đồng hồ điện", "meter", "reading"],
        group: GROUP_SERVICES,
    },
    Service {
        code: "billing",
        category: Category::Billing,
        name: "Hóa đơn tiền điện",
        description: "A question about or dispute of an electricity bill.",
        keywords: &["hóa đơn", "tiền điện", "bill", "billing"],
        group: GROUP_SERVICES,
    },
    Service {
        code: "other",
        category: Category::Other,
        name: "Yêu cầu khác",
        description: "Any other request to the power company.",
        keywords: &["khác", "other"],
        group: GROUP_SERVICES,
    },
];

/// The service with this code (codes are compared as given, trimmed).
pub fn find(code: &str) -> Option<&'static Service> {
    let code = code.trim();
    SERVICES.iter().find(|s| s.code == code)
}

/// The service a work order of this category is shown as; None for
/// categories not offered through Open311.
pub fn for_category(category: Category) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.category == category)
}

/// The Open311 attribute datatypes we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datatype {
    String,
    SingleValueList,
}

impl Datatype {
    pub fn as_str(self) -> &'static str {
        match self {
            Datatype::String => "string",
            Datatype::SingleValueList => "singlevaluelist",
        }
    }
}

/// An extra question a service asks (Open311 `attribute`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute {
    pub code: &'static str,
    pub datatype: Datatype,
    pub required: bool,
    pub datatype_description: Option<&'static str>,
    pub order: u32,
    pub description: &'static str,
    /// `(key, name)` for list datatypes.
    pub values: &'static [(&'static str, &'static str)],
}

pub const CALLBACK_REQUESTED: &str = "callback_requested";
pub const CUSTOMER_CODE: &str = "customer_code";

/// Every service asks the same: the customer code from the bill (finds the
/// customer, and so the area and unit that serve them) and whether to call
/// back when the work is done.
pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        code: CUSTOMER_CODE,
        datatype: Datatype::String,
        required: false,
        datatype_description: Some("Mã khách hàng in ô \"Mã KH\" on the electricity bill, e.g. PB03020045525"),
        order: 1,
        description: "Mã khách hàng (customer code)",
        values: &[],
    },
    Attribute {
        code: CALLBACK_REQUESTED,
        datatype: Datatype::SingleValueList,
        required: false,
        datatype_description: None,
        order: 2,
        description: "Gọi lại khi xử lý xong? (call back when done?)",
        values: &[("true", "Có (yes)"), ("false", "Không (no)")],
    },
];

pub fn attribute(code: &str) -> Option<&'static Attribute> {
    ATTRIBUTES.iter().find(|a| a.code == code)
}

pub const APPLICANT_KIND: &str = "applicant_kind";

/// What the new-supply service asks besides: who applies, which sets the
/// request's type (a household's from its area). Optional: without it the
/// applicant is a household.
pub const NEW_SUPPLY_ATTRIBUTES: &[Attribute] = &[Attribute {
    code: APPLICANT_KIND,
    datatype: Datatype::SingleValueList,
    required: false,
    datatype_description: Some(
        "A household's supply is urban or rural by its area; where that is not known the request is taken and staff set its type",
    ),
    order: 3,
    description: "Ai đề nghị cấp điện? (who applies?)",
    values: &[
        ("household", "Hộ gia đình (household)"),
        ("business", "Cơ quan, doanh nghiệp (business)"),
        (
            "dedicated_substation",
            "Doanh nghiệp cần trạm biến áp chuyên dùng (business with a dedicated substation)",
        ),
    ],
}];

/// The questions `service` asks: every service's, then its own.
pub fn attributes_of(service: &Service) -> Vec<&'static Attribute> {
    let own: &[Attribute] = if service.category == Category::NewSupply {
        NEW_SUPPLY_ATTRIBUTES
    } else {
        &[]
    };
    ATTRIBUTES.iter().chain(own).collect()
}

/// The question `code` of `service` (None: of no service known yet, only
/// every service's questions).
pub fn attribute_of(service: Option<&Service>, code: &str) -> Option<&'static Attribute> {
    match service {
        Some(s) => attributes_of(s).into_iter().find(|a| a.code == code),
        None => attribute(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offered_category_has_one_service() {
        for s in SERVICES {
            assert_eq!(s.code, s.category.as_str());
            assert_eq!(for_category(s.category), Some(s));
            assert_eq!(find(&format!(" {} ", s.code)), Some(s));
        }
        assert_eq!(for_category(Category::StaffConduct), None);
        assert_eq!(for_category(Category::Information), None);
        assert_eq!(find("Outage"), None, "codes are exact");
        assert_eq!(attribute(CALLBACK_REQUESTED).map(|a| a.order), Some(2));
        let new_supply = find("new_supply").unwrap();
        assert_eq!(attribute_of(Some(new_supply), APPLICANT_KIND).map(|a| a.order), Some(3));
        assert_eq!(attribute_of(find("outage"), APPLICANT_KIND), None, "new supply only");
    }
}
