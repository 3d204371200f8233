//! Bodies that are not JSON: CSV for spreadsheets, and the Open311
//! GeoReport v2 XML.

pub mod csv;
pub mod open311_xml;
