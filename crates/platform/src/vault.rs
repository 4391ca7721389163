//! The vault: secrets (credential passwords and TOTP seeds, license keys, their earlier
//! values) encrypted at rest with XChaCha20-Poly1305. Each value gets a random 24-byte nonce, and the
//! associated data binds the ciphertext to its tenant, table, column and row, so a
//! ciphertext copied to another row — or another tenant — fails to open. Stored as
//! `v1:` + hex(nonce ‖ ciphertext+tag).

use std::path::Path;
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::keys;

const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    #[error("the stored secret is not in the vault's format")]
    Malformed,
    #[error("the stored secret failed its integrity check: it was altered, moved to another record, or encrypted with another key")]
    Tampered,
}

/// Where a secret lives: its AAD.
#[derive(Debug, Clone, Copy)]
pub struct SecretRef<'a> {
    pub tenant_id: i64,
    pub table: &'a str,
    pub column: &'a str,
    pub row_id: i64,
}

impl SecretRef<'_> {
    fn aad(&self) -> Vec<u8> {
        format!(
            "mspdesk/{}/{}/{}/{}",
            self.tenant_id, self.table, self.column, self.row_id
        )
        .into_bytes()
    }
}

/// A vault key staged for a rotation and not yet in use. Only `Vault::stage_new` makes
/// one, so holding it is the capability to re-seal every tenant's secrets: nothing but
/// the rotation command can rewrite them all, and never under a key that is not on disk.
pub struct StagedVault {
    vault: Vault,
}

impl StagedVault {
    fn file_name() -> String {
        format!("{}.new", keys::VAULT_KEY)
    }
    /// Where a staged key is written in `data_dir` (`vault.key.new`).
    pub fn path_in(data_dir: &Path) -> std::path::PathBuf {
        data_dir.join(Self::file_name())
    }
    pub fn seal(&self, at: SecretRef<'_>, plain: &str) -> String {
        self.vault.seal(at, plain)
    }
}

#[derive(Clone)]
pub struct Vault {
    cipher: Arc<XChaCha20Poly1305>,
}

impl Vault {
    #[allow(
        clippy::expect_used,
        reason = "every key reaches here through keys::load, which checks its 32 bytes"
    )]
    pub fn from_key(key: &[u8]) -> Vault {
        let cipher = XChaCha20Poly1305::new_from_slice(key).expect("vault keys are 32 bytes");
        Vault {
            cipher: Arc::new(cipher),
        }
    }

    /// The key from `vault.key` in the data directory, created on first use (mode 0600).
    pub fn open(data_dir: &Path) -> Result<Vault, keys::KeyError> {
        Ok(Vault::from_key(&keys::load_or_create(
            data_dir,
            keys::VAULT_KEY,
            32,
        )?))
    }

    /// A new key written to `vault.key.new` beside the current one (never over an
    /// existing file): what a key rotation re-seals every secret with.
    pub fn stage_new(data_dir: &Path) -> Result<StagedVault, keys::KeyError> {
        let key = keys::load_or_create(data_dir, &StagedVault::file_name(), 32)?;
        Ok(StagedVault {
            vault: Vault::from_key(&key),
        })
    }

    /// The key from `vault.key` in the data directory when the file exists.
    pub fn existing(data_dir: &Path) -> Result<Option<Vault>, keys::KeyError> {
        Ok(keys::load(data_dir, keys::VAULT_KEY, 32)?.map(|key| Vault::from_key(&key)))
    }

    #[allow(
        clippy::expect_used,
        reason = "XChaCha20-Poly1305 fails only past 256 GiB per message, far beyond any secret"
    )]
    pub fn seal(&self, at: SecretRef<'_>, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        keys::fill_random(&mut nonce);
        let aad = at.aad();
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: &aad,
                },
            )
            .expect("encryption of an in-memory buffer cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", hex::encode(out))
    }

    pub fn open_secret(&self, at: SecretRef<'_>, stored: &str) -> Result<String, VaultError> {
        let raw = stored.strip_prefix(PREFIX).ok_or(VaultError::Malformed)?;
        let bytes = hex::decode(raw).map_err(|_| VaultError::Malformed)?;
        if bytes.len() < NONCE_LEN + 16 {
            return Err(VaultError::Malformed);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| VaultError::Malformed)?;
        let aad = at.aad();
        let plain = self
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Tampered)?;
        String::from_utf8(plain).map_err(|_| VaultError::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(row_id: i64) -> SecretRef<'static> {
        SecretRef {
            tenant_id: 1,
            table: "client_credentials",
            column: "password",
            row_id,
        }
    }

    #[test]
    fn round_trip_tamper_and_move() {
        let v = Vault::from_key(&[7u8; 32]);
        let sealed = v.seal(at(5), "hunter2");
        assert!(!sealed.contains("hunter2"));
        assert_eq!(v.open_secret(at(5), &sealed).as_deref(), Ok("hunter2"));
        assert_ne!(sealed, v.seal(at(5), "hunter2"), "a fresh nonce every time");
        assert_eq!(
            v.open_secret(at(6), &sealed),
            Err(VaultError::Tampered),
            "copied to another row"
        );
        let mut flipped = sealed.clone().into_bytes();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            v.open_secret(at(5), std::str::from_utf8(&flipped).unwrap()),
            Err(VaultError::Tampered)
        );
        assert_eq!(
            v.open_secret(at(5), "plain text"),
            Err(VaultError::Malformed)
        );
        let other = Vault::from_key(&[8u8; 32]);
        assert_eq!(
            other.open_secret(at(5), &sealed),
            Err(VaultError::Tampered),
            "another key"
        );
    }
}
