//! The constructors of a `Who` from an account the domain read: a session's, an API
//! key's owner, a shell command's. (The scheduler's is beside the type in `scope`; the
//! platform operator's in `platform::operators`.)

use mspdesk_platform::clock::Clock;

use super::api_keys::Access;
use super::users::User;
use crate::audit::Actor;
use crate::scope::{Viewer, Who};

impl Who {
    /// A user as their account stands, acting from `actor`'s address.
    fn account(user: &User, actor: Actor) -> Who {
        Who {
            viewer: Viewer {
                tenant: user.tenant(),
                restricted_to: user.restricted.then_some(user.id),
                clock: actor.clock,
            },
            user_id: user.id,
            role: user.role(),
            actor: actor.as_user(user),
        }
    }

    /// A signed-in user's request: the session named `user`, who sends it from `ip`,
    /// by `clock`.
    pub fn signed_in(user: &User, ip: String, user_agent: Option<String>, clock: Clock) -> Who {
        Who::account(user, Actor::visitor(Some(ip), user_agent, clock))
    }

    /// An API request: `access` is the key `api_keys::authenticate` found, and `user`
    /// its owner. `None` when the key is not theirs.
    pub fn api_key(
        user: &User,
        access: &Access,
        ip: String,
        user_agent: Option<String>,
        clock: Clock,
    ) -> Option<Who> {
        (access.user_id == user.id).then(|| Who::signed_in(user, ip, user_agent, clock))
    }

    /// A shell command run on the server as one account (`mspdesk api-key`, the demo
    /// loader, the bench's seed): the account's own role and reach, no address.
    pub fn shell(user: &User, command: &str, clock: Clock) -> Who {
        Who::account(user, Actor::visitor(None, Some(command.to_string()), clock))
    }
}

impl Actor {
    /// The same sender, now known as `user` (a login that succeeded).
    pub fn as_user(self, user: &User) -> Actor {
        Actor {
            tenant: Some(user.tenant()),
            user_id: Some(user.id),
            ..self
        }
    }
}
