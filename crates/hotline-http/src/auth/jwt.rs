//! Short-lived access tokens: HS256 JWTs, algorithm pinned on decode, no
//! leeway. The token carries only the user id; role and the disabled flag
//! are read from the database on each request so changes apply at once.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: Uuid,
    pub iss: String,
    /// The account's sessions version when the token was issued; tokens
    /// from before a password change or reset carry an older one.
    #[serde(default)]
    pub ver: i64,
}

const ISSUER: &str = "hotline";

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry and not-before are checked against the application's
        // clock (below), not the library's system clock, so that a fixed
        // clock in tests and the server agree; no leeway either way.
        validation.leeway = 0;
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "nbf", "sub", "iss"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue(&self, user: Uuid, now: DateTime<Utc>, ttl_secs: i64) -> Result<String, String> {
        self.issue_versioned(user, 0, now, ttl_secs)
    }

    /// A token for `user` under the account's sessions version `ver`.
    pub fn issue_versioned(&self, user: Uuid, ver: i64, now: DateTime<Utc>, ttl_secs: i64) -> Result<String, String> {
        let claims = Claims {
            ver,
            sub: user,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: now.timestamp() + ttl_secs,
            jti: Uuid::now_v7(),
            iss: ISSUER.into(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|e| e.to_string())
    }

    /// The user id of a token valid at `now`; the reason otherwise (for
    /// logs).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Uuid, String> {
        self.verify_versioned(token, now).map(|(id, _)| id)
    }

    /// What [`Self::verify_versioned`] answers for `token`: from `earlier`
    /// when it verified this very token in this request, else verified now.
    pub fn verify_once(
        &self,
        token: &str,
        now: DateTime<Utc>,
        earlier: Option<&Verified>,
    ) -> Result<(Uuid, i64), String> {
        match earlier {
            Some(v) if v.token == token => Ok((v.id, v.version)),
            _ => self.verify_versioned(token, now),
        }
    }

    /// The user id and sessions version of a token valid at `now`.
    pub fn verify_versioned(&self, token: &str, now: DateTime<Utc>) -> Result<(Uuid, i64), String> {
        let claims = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| e.to_string())?
            .claims;
        let now = now.timestamp();
        if claims.exp < now {
            return Err("ExpiredSignature".into());
        }
        if claims.nbf > now {
            return Err("ImmatureSignature".into());
        }
        Ok((claims.sub, claims.ver))
    }
}

/// An access token verified earlier in the same request (by the rate
/// limiter), kept in the request's extensions.
#[derive(Clone, Debug)]
pub struct Verified {
    pub token: String,
    pub id: Uuid,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn a_token_verified_earlier_in_the_request_is_not_verified_again_and_no_other_is_trusted() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef");
        let (id, now) = (Uuid::now_v7(), hotline_domain::time::now());
        let t = keys.issue(id, now, 60).unwrap();
        let (id, version) = keys.verify_versioned(&t, now).unwrap();
        let earlier = Verified {
            token: t.clone(),
            id,
            version,
        };
        // Well past its expiry: the earlier verdict stands for this token.
        let later = now + chrono::Duration::seconds(3600);
        assert_eq!(keys.verify_once(&t, later, Some(&earlier)), Ok((id, version)));
        // Any other token is verified on its own.
        assert!(keys.verify_once("not.a.token", now, Some(&earlier)).is_err());
        assert!(keys.verify_once(&t, later, None).is_err());
    }

    #[test]
    fn round_trip_and_refusals() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef");
        let id = Uuid::now_v7();
        let now = hotline_domain::time::now();
        let t = keys.issue(id, now, 60).unwrap();
        assert_eq!(keys.verify(&t, now), Ok(id));

        let expired = keys.issue(id, now - chrono::Duration::seconds(120), 60).unwrap();
        assert!(keys.verify(&expired, now).is_err());
        assert!(
            keys.verify(&t, now + chrono::Duration::seconds(61)).is_err(),
            "expired by the clock given"
        );
        let future = keys.issue(id, now + chrono::Duration::seconds(600), 60).unwrap();
        assert!(keys.verify(&future, now).is_err(), "not yet valid");

        let other = JwtKeys::new(b"another secret another secret!!");
        assert!(other.verify(&t, now).is_err(), "wrong secret");

        // alg: none, with the same claims and no signature.
        let parts: Vec<&str> = t.split('.').collect();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys.verify(&format!("{none_header}.{}.", parts[1]), now).is_err());

        // Tampered claims keep the old signature.
        let mut claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        claims["sub"] = serde_json::json!(Uuid::now_v7());
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
        assert!(
            keys.verify(&format!("{}.{forged}.{}", parts[0], parts[2]), now)
                .is_err()
        );
    }
}
