//! Reading a task or dataset file: bounded (a regular file of at most [`MAX_FILE_BYTES`]
//! actually read), a UTF-8 byte-order mark allowed, no object with a key twice.

use super::{LoadError, MAX_FILE_BYTES};
use serde_json::Value as Json;
use std::path::Path;

/// A JSON value whose objects have distinct keys (serde_json's `Value` keeps the last of
/// duplicates silently: a Kaggle file naming a task twice would lose the first).
struct Strict(Json);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
        Ok(Strict(Json::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
        Ok(Strict(Json::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
        Ok(Strict(Json::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
        Ok(Strict(Json::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
        Ok(Strict(Json::from(v)))
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict(Json::Null))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Strict(Json::Array(out)))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((k, Strict(v))) = map.next_entry::<String, Strict>()? {
            if out.contains_key(&k) {
                return Err(serde::de::Error::custom(format!("key `{k}` given twice (a task id or a field named twice)")));
            }
            out.insert(k, v);
        }
        Ok(Strict(Json::Object(out)))
    }
}

/// Reads a JSON file: a regular file (a FIFO, a device, a socket is refused before it is read)
/// of at most [`MAX_FILE_BYTES`] actually read, a UTF-8 byte-order mark allowed, no object with
/// a key twice.
pub(crate) fn read_json(file: &Path) -> Result<Json, LoadError> {
    use crate::fsio::{ReadError, read_bounded_text};
    let text = read_bounded_text(file, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::Io(source) => LoadError::Io { file: file.to_path_buf(), source },
        ReadError::NotRegular("a folder") => LoadError::Folder(file.to_path_buf()),
        ReadError::NotRegular(_) => LoadError::NotRegular { file: file.to_path_buf(), what: e.to_string() },
        ReadError::TooBig { .. } => LoadError::TooBig { file: file.to_path_buf() },
    })?;
    parse_json(file, &text)
}

/// Parses JSON text as [`read_json`] does (a byte-order mark allowed, no key twice); `file` names
/// it in errors.
pub(crate) fn parse_json(file: &Path, text: &str) -> Result<Json, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str::<Strict>(text).map(|s| s.0).map_err(|source| LoadError::Json { file: file.to_path_buf(), source })
}
