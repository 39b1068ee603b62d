//! Deterministic randomness for worlds: a splitmix64 generator (so a world never
//! depends on a crate's RNG algorithm), Kubernetes-looking suffixes and UIDs, and the
//! filler CA certificate every namespace's `kube-root-ca.crt` holds.

use base64::Engine as _;

/// A small deterministic generator (splitmix64), so worlds never depend on a crate's RNG.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A suffix in the alphabet Kubernetes uses for generated names (`7d9f8b6c4`).
    pub(crate) fn suffix(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..len)
            .map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char)
            .collect()
    }
}

/// A random-looking UUID (`8-4-4-4-12` hex digits).
pub(crate) fn fake_uid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// A PEM block that looks like a cluster CA certificate (the same in every namespace,
/// as on a real cluster). It is filler, not a parseable certificate.
pub(crate) fn fake_ca_pem() -> String {
    let mut rng = Rng::new(0xca);
    let body: Vec<u8> = (0..570).map(|_| rng.next_u64() as u8).collect();
    let encoded = base64::engine::general_purpose::STANDARD.encode(body);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in encoded.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}
