//! Random identifiers: GUIDs, client secrets and access tokens.

use rand::distr::Alphanumeric;
use rand::Rng;

/// A random version-4 GUID in Halo's lower-case, hyphenated form.
pub(crate) fn new_guid() -> String {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A random alphanumeric string of `len` characters.
pub(crate) fn random_string(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_shape() {
        let g = new_guid();
        assert_eq!(g.len(), 36);
        assert_eq!(g.matches('-').count(), 4);
        assert_eq!(&g[14..15], "4");
        assert_ne!(g, new_guid());
    }
}
