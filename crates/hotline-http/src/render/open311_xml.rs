//! The GeoReport v2 XML forms (`.xml`): the same content as the JSON, with
//! the spec's element names, in the spec's order, text escaped.

use hotline_domain::open311::catalogue::{Service, attributes_of};
use hotline_domain::open311::public::SPECIFICATION;
use hotline_domain::open311::request::ServiceRequest;

/// A small writer: elements in order, text escaped.
struct Doc(String);

impl Doc {
    fn new() -> Doc {
        Doc(String::from(r#"<?xml version="1.0" encoding="utf-8"?>"#))
    }

    fn open(&mut self, name: &str) -> &mut Self {
        self.0.push('<');
        self.0.push_str(name);
        self.0.push('>');
        self
    }

    fn close(&mut self, name: &str) -> &mut Self {
        self.0.push_str("</");
        self.0.push_str(name);
        self.0.push('>');
        self
    }

    /// `<name>text</name>`, or `<name/>` when there is none.
    fn leaf(&mut self, name: &str, text: Option<&str>) -> &mut Self {
        match text {
            Some(t) => {
                self.open(name);
                escape_into(&mut self.0, t);
                self.close(name)
            }
            None => {
                self.0.push('<');
                self.0.push_str(name);
                self.0.push_str("/>");
                self
            }
        }
    }

    fn finish(self) -> String {
        self.0
    }
}

/// Escapes markup characters and leaves out characters XML 1.0 cannot
/// carry at all (control characters other than tab and line breaks).
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// `GET services.xml`.
pub fn services(list: &[Service]) -> String {
    let mut d = Doc::new();
    d.open("services");
    for s in list {
        d.open("service")
            .leaf("service_code", Some(s.code))
            .leaf("service_name", Some(s.name))
            .leaf("description", Some(s.description))
            .leaf("metadata", Some("true"))
            .leaf("type", Some("realtime"))
            .leaf("keywords", Some(&s.keywords.join(", ")))
            .leaf("group", Some(s.group))
            .close("service");
    }
    d.close("services");
    d.finish()
}

/// `GET services/{code}.xml`.
pub fn definition(service: &Service) -> String {
    let mut d = Doc::new();
    d.open("service_definition")
        .leaf("service_code", Some(service.code))
        .open("attributes");
    for a in attributes_of(service) {
        d.open("attribute")
            .leaf("variable", Some("true"))
            .leaf("code", Some(a.code))
            .leaf("datatype", Some(a.datatype.as_str()))
            .leaf("required", Some(if a.required { "true" } else { "false" }))
            .leaf("datatype_description", a.datatype_description)
            .leaf("order", Some(&a.order.to_string()))
            .leaf("description", Some(a.description));
        if !a.values.is_empty() {
            d.open("values");
            for (key, name) in a.values {
                d.open("value")
                    .leaf("key", Some(key))
                    .leaf("name", Some(name))
                    .close("value");
            }
            d.close("values");
        }
        d.close("attribute");
    }
    d.close("attributes").close("service_definition");
    d.finish()
}

/// `GET requests.xml` and `GET requests/{id}.xml`.
pub fn requests(list: &[ServiceRequest]) -> String {
    let number = |x: Option<f64>| x.map(|v| v.to_string());
    let mut d = Doc::new();
    d.open("service_requests");
    for r in list {
        d.open("request")
            .leaf("service_request_id", Some(&r.service_request_id))
            .leaf("status", Some(r.status.as_str()))
            .leaf("status_notes", r.status_notes.as_deref())
            .leaf("service_name", r.service_name.as_deref())
            .leaf("service_code", r.service_code.as_deref())
            .leaf("description", r.description.as_deref())
            .leaf("agency_responsible", r.agency_responsible.as_deref())
            .leaf("service_notice", r.service_notice.as_deref())
            .leaf("requested_datetime", Some(&r.requested_datetime))
            .leaf("updated_datetime", Some(&r.updated_datetime))
            .leaf("expected_datetime", r.expected_datetime.as_deref())
            .leaf("address", r.address.as_deref())
            .leaf("lat", number(r.lat).as_deref())
            .leaf("long", number(r.long).as_deref())
            .leaf("media_url", r.media_url.as_deref())
            .close("request");
    }
    d.close("service_requests");
    d.finish()
}

/// What `POST requests.xml` answers: the new request's id, token and notice.
pub fn created(
    service_request_id: &str,
    token: &str,
    service_notice: Option<&str>,
    account_id: Option<&str>,
) -> String {
    let mut d = Doc::new();
    d.open("service_requests")
        .open("request")
        .leaf("service_request_id", Some(service_request_id))
        .leaf("token", Some(token))
        .leaf("service_notice", service_notice)
        .leaf("account_id", account_id)
        .close("request")
        .close("service_requests");
    d.finish()
}

/// `GET tokens/{token}.xml`: the request a token stands for.
pub fn token(service_request_id: &str, token: &str) -> String {
    let mut d = Doc::new();
    d.open("service_requests")
        .open("request")
        .leaf("service_request_id", Some(service_request_id))
        .leaf("token", Some(token))
        .close("request")
        .close("service_requests");
    d.finish()
}

/// One endpoint of a discovery document.
pub struct Endpoint<'a> {
    pub url: &'a str,
    pub changeset: &'a str,
    pub formats: &'a [&'a str],
}

/// `GET discovery.xml`: GeoReport v2 Service Discovery.
pub fn discovery(changeset: &str, contact: &str, key_service: &str, endpoints: &[Endpoint<'_>]) -> String {
    let mut d = Doc::new();
    d.open("discovery")
        .leaf("changeset", Some(changeset))
        .leaf("contact", Some(contact))
        .leaf("key_service", Some(key_service))
        .open("endpoints");
    for e in endpoints {
        d.open("endpoint")
            .leaf("specification", Some(SPECIFICATION))
            .leaf("url", Some(e.url))
            .leaf("changeset", Some(e.changeset))
            .leaf("type", Some("production"))
            .open("formats");
        for f in e.formats {
            d.leaf("format", Some(f));
        }
        d.close("formats").close("endpoint");
    }
    d.close("endpoints").close("discovery");
    d.finish()
}

/// Errors: `<errors><error><code>…</code><description>…</description></error></errors>`.
pub fn errors(list: &[(u16, String)]) -> String {
    let mut d = Doc::new();
    d.open("errors");
    for (code, description) in list {
        d.open("error")
            .leaf("code", Some(&code.to_string()))
            .leaf("description", Some(description))
            .close("error");
    }
    d.close("errors");
    d.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotline_domain::open311::catalogue::{SERVICES, find};

    fn escape(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        escape_into(&mut out, text);
        out
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("Mất\u{0}điện\u{1b}\n"), "Mấtđiện\n");
    }

    #[test]
    fn documents_use_the_spec_names() {
        let list = services(SERVICES);
        assert!(list.starts_with(r#"<?xml version="1.0" encoding="utf-8"?><services><service><service_code>outage</service_code><service_name>Mất điện</service_name>"#));
        let def = definition(find("outage").unwrap());
        assert!(def.contains("<attribute><variable>true</variable><code>customer_code</code><datatype>string</datatype><required>false</required>"));
        assert!(def.contains("<values><value><key>true</key><name>Có (yes)</name></value>"));
        assert_eq!(
            errors(&[(400, "service_code: unknown service code '<x>'".into())]),
            r#"<?xml version="1.0" encoding="utf-8"?><errors><error><code>400</code><description>service_code: unknown service code &apos;&lt;x&gt;&apos;</description></error></errors>"#
        );
        assert!(created("CM-26-000042", "t", None, Some("a&b")).ends_with(
            "<token>t</token><service_notice/><account_id>a&amp;b</account_id></request></service_requests>"
        ));
    }
}
