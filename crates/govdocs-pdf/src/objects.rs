//! Small helpers over lopdf objects that never panic and follow references with a bound.

use lopdf::{Dictionary, Document, Object, ObjectId};

/// A reference to an object the file does not contain.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Missing(pub ObjectId);

static NULL: Object = Object::Null;

/// Follow references (at most 32 hops); a dangling reference gives `Err(Missing)`.
pub(crate) fn resolve<'a>(doc: &'a Document, mut obj: &'a Object) -> Result<&'a Object, Missing> {
    for _ in 0..32 {
        match obj {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(o) => obj = o,
                None => return Err(Missing(*id)),
            },
            _ => return Ok(obj),
        }
    }
    Ok(&NULL)
}

/// Follow references; a dangling reference or a reference loop reads as `null`.
pub(crate) fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    resolve(doc, obj).unwrap_or(&NULL)
}

/// A dictionary entry with references followed.
pub(crate) fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    match dict.get(key) {
        Ok(o) => match deref(doc, o) {
            Object::Null => None,
            o => Some(o),
        },
        Err(_) => None,
    }
}

/// A dictionary entry that is (or refers to) a dictionary, or a stream's dictionary.
pub(crate) fn get_dict<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    match get(doc, dict, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// A number (integer or real) as `f32`, if finite.
pub(crate) fn num(obj: &Object) -> Option<f32> {
    let v = match obj {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => return None,
    };
    if v.is_finite() {
        Some(v)
    } else {
        None
    }
}

/// A dictionary entry as a number.
pub(crate) fn get_num(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    get(doc, dict, key).and_then(num)
}

/// A dictionary entry as a name.
pub(crate) fn get_name<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [u8]> {
    match get(doc, dict, key)? {
        Object::Name(n) => Some(n.as_slice()),
        _ => None,
    }
}

/// A dictionary entry as an array.
pub(crate) fn get_array<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [Object]> {
    match get(doc, dict, key)? {
        Object::Array(a) => Some(a.as_slice()),
        _ => None,
    }
}
