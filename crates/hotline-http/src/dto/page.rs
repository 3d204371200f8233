//! One page of a keyset-paginated list, for every list: `items` and the
//! cursor of the next page. Each item type names its page's schema
//! (`UnitPage`, `CallPage` …), which generated clients know by that name.

use std::borrow::Cow;

use serde::Serialize;
use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// A page of `T`.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The views of `items`, then the cursor of the next page.
    pub fn of<'a, D: 'a>(items: impl IntoIterator<Item = &'a D>, next_cursor: Option<String>) -> Self
    where
        T: From<&'a D>,
    {
        Page {
            items: items.into_iter().map(T::from).collect(),
            next_cursor,
        }
    }

    /// The views of a keyset page's items, and its next position as a cursor.
    pub fn keyset<'a, D: 'a>(page: &'a hotline_domain::page::Page<D>) -> Self
    where
        T: From<&'a D>,
    {
        Page::of(&page.items, page.next.map(super::cursor::encode))
    }
}

/// A page with `total`, the number of items matching the filters, when the
/// client asked for it.
#[derive(Debug, Serialize)]
pub struct Counted<T> {
    #[serde(flatten)]
    pub page: Page<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// An item type that is listed in pages.
pub trait Paged: ToSchema {
    /// The page's schema name.
    const PAGE: &'static str;
    /// What the schema says about `next_cursor`, if anything.
    const NEXT_CURSOR: Option<&'static str> = None;
}

/// Pass as `cursor` for the next page; `null` on the last page.
pub const NULL_ON_LAST: Option<&str> = Some("Pass as `cursor` for the next page; `null` on the last page.");

fn page_object<T: Paged>() -> ObjectBuilder {
    ObjectBuilder::new()
        .property("items", ArrayBuilder::new().items(Ref::from_schema_name(T::name())))
        .required("items")
        .property(
            "next_cursor",
            ObjectBuilder::new()
                .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                .description(T::NEXT_CURSOR),
        )
}

fn item_schemas<T: Paged>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into(), T::schema()));
    T::schemas(schemas);
}

impl<T: Paged> PartialSchema for Page<T> {
    fn schema() -> RefOr<Schema> {
        page_object::<T>().into()
    }
}

impl<T: Paged> ToSchema for Page<T> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(T::PAGE)
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        item_schemas::<T>(schemas);
    }
}

impl<T: Paged> PartialSchema for Counted<T> {
    fn schema() -> RefOr<Schema> {
        page_object::<T>()
            .property(
                "total",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .minimum(Some(0)),
            )
            .into()
    }
}

impl<T: Paged> ToSchema for Counted<T> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(T::PAGE)
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        item_schemas::<T>(schemas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, ToSchema)]
    struct Item {
        n: u8,
    }

    impl Paged for Item {
        const PAGE: &'static str = "ItemPage";
    }

    impl From<&u8> for Item {
        fn from(n: &u8) -> Self {
            Item { n: *n }
        }
    }

    #[test]
    fn a_page_of_views_and_the_next_cursor() {
        let page: Page<Item> = Page::of(&[1, 2], Some("c".into()));
        let json = serde_json::to_value(page).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"items": [{"n": 1}, {"n": 2}], "next_cursor": "c"})
        );
        let last = hotline_domain::page::Page {
            items: vec![3u8],
            next: None,
            total: None,
        };
        let json = serde_json::to_value(Page::<Item>::keyset(&last)).unwrap();
        assert_eq!(json, serde_json::json!({"items": [{"n": 3}], "next_cursor": null}));
    }

    #[test]
    fn a_page_keeps_its_item_s_schema_name_and_total_only_when_counted() {
        assert_eq!(Page::<Item>::name(), "ItemPage");
        let page = || Page {
            items: vec![Item { n: 1 }],
            next_cursor: None,
        };
        let plain = serde_json::to_value(page()).unwrap();
        assert_eq!(plain, serde_json::json!({"items": [{"n": 1}], "next_cursor": null}));
        let uncounted = serde_json::to_value(Counted {
            page: page(),
            total: None,
        })
        .unwrap();
        assert_eq!(uncounted, plain);
        let counted = serde_json::to_value(Counted {
            page: page(),
            total: Some(7),
        })
        .unwrap();
        assert_eq!(counted["total"], 7);
        let schema = serde_json::to_value(Counted::<Item>::schema()).unwrap();
        assert_eq!(
            schema["properties"]["items"]["items"]["$ref"],
            "#/components/schemas/Item"
        );
        assert_eq!(schema["properties"]["total"]["minimum"], 0);
        assert!(
            serde_json::to_value(Page::<Item>::schema()).unwrap()["properties"]
                .get("total")
                .is_none()
        );
    }
}
