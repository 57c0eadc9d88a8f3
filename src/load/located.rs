//! Small serde building blocks that keep where a value was written.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::diagnostics::Pos;
pub use crate::model::Text;

/// A value with the line and column it was written at (deserialized through serde-saphyr's
/// `Spanned`, so it only works with that deserializer).
#[derive(Debug, Clone, PartialEq)]
pub struct Loc<T> {
    pub value: T,
    pub pos: Pos,
}

thread_local! {
    static PLAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with `Loc` read as the plain `(value, line, column)` that its `Serialize` writes,
/// for the parse cache, instead of through serde-saphyr's spans.
pub fn with_plain_locations<R>(f: impl FnOnce() -> R) -> R {
    PLAIN.with(|p| p.set(true));
    let r = f();
    PLAIN.with(|p| p.set(false));
    r
}

impl<T: Serialize> Serialize for Loc<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.value, self.pos.line, self.pos.column).serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Loc<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if PLAIN.with(|p| p.get()) {
            let (value, line, column) = <(T, u32, u32)>::deserialize(d)?;
            return Ok(Loc {
                value,
                pos: Pos::new(line.into(), column.into()),
            });
        }
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let at = s.referenced;
        Ok(Loc {
            value: s.value,
            pos: Pos::new(at.line(), at.column()),
        })
    }
}

impl<T: JsonSchema> JsonSchema for Loc<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        T::json_schema(g)
    }
}

/// A number exactly as written (`0.1`, `7500`, `1234567.891`), kept as text so no float
/// rounding ever happens; validation turns it into a decimal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct NumberText(pub String);

impl<'de> Deserialize<'de> for NumberText {
    /// Asks for the scalar's text rather than a typed number: a YAML number read as `f64`
    /// would lose digits past the 15th (`0.1000000000000000055` would become `0.1`) and
    /// turn `1e35` into a different spelling than the author's.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NumberText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumberText, E> {
                Ok(NumberText(v.trim().to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumberText, E> {
                Ok(NumberText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumberText, E> {
                Ok(NumberText(v.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

impl JsonSchema for NumberText {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "number"})
    }
}
