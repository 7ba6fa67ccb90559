//! `Stated<T>`: a value that may be written as "TBC" (to be confirmed), as in
//! many real hazard logs. "TBC" loads as not stated, so a draft log with half
//! a risk loads and `check` reports it as unassessed instead of refusing it.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer};

use crate::excerpt::excerpt;
use crate::suggest::did_you_mean;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stated<T> {
    Tbc,
    Value(T),
}

impl<T> Stated<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Stated::Tbc => None,
            Stated::Value(v) => Some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Stated<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("tbc") {
            return Ok(Stated::Tbc);
        }
        let de: de::value::StrDeserializer<'_, de::value::Error> = trimmed.into_deserializer();
        T::deserialize(de).map(Stated::Value).map_err(|_| {
            let names = super::probe::enum_variants::<T>();
            let list: Vec<String> = names.iter().map(|v| format!("`{v}`")).collect();
            let hint = did_you_mean(trimmed, names.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            de::Error::custom(format!(
                "`{}` is not allowed here: expected one of {}, or `TBC` while it is to be confirmed{hint}",
                excerpt(trimmed),
                list.join(", ")
            ))
        })
    }
}

impl<T: JsonSchema> JsonSchema for Stated<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("StatedOrTbc_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let inner = generator.subschema_for::<T>();
        schemars::json_schema!({
            "anyOf": [inner, { "type": "string", "pattern": "^\\s*[Tt][Bb][Cc]\\s*$", "description": "TBC, to be confirmed: counts as not assessed" }]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::risk::Severity;

    fn parse(text: &str) -> Result<Stated<Severity>, String> {
        let d: de::value::StrDeserializer<'_, de::value::Error> = text.into_deserializer();
        Stated::<Severity>::deserialize(d).map_err(|e| e.to_string())
    }

    #[test]
    fn tbc_is_not_stated_and_values_parse() {
        assert_eq!(parse("TBC"), Ok(Stated::Tbc));
        assert_eq!(parse("tbc"), Ok(Stated::Tbc));
        assert_eq!(parse("major"), Ok(Stated::Value(Severity::Major)));
        let e = parse("majr").unwrap_err();
        assert!(
            e.contains("`minor`, `significant`")
                && e.contains("`TBC`")
                && e.contains("did you mean `major`?"),
            "{e}"
        );
    }
}
