//! Reader-visible text in one or several languages.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// Reader-visible text: one string, or one string per language (`{id: ..., en: ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    PerLanguage(BTreeMap<String, String>),
}

impl Text {
    /// The text in `lang`, else in `fallback`, else any.
    pub fn get<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        match self {
            Text::Plain(s) => s,
            Text::PerLanguage(m) => m
                .get(lang)
                .or_else(|| m.get(fallback))
                .or_else(|| m.values().next())
                .map(String::as_str)
                .unwrap_or(""),
        }
    }

    pub fn plain(s: impl Into<String>) -> Text {
        Text::Plain(s.into())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a map of language code to text such as {id: ..., en: ...}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut m = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    m.insert(k, v);
                }
                Ok(Text::PerLanguage(m))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A text, or one text per language code, e.g. {id: ..., en: ...}",
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"},
                 "propertyNames": {"pattern": "^[a-z]{2,3}$"}}
            ]
        })
    }
}
