//! What runs besides the pages: the job workers (threads in `serve`, or `mspdesk
//! worker`), what each job kind does (`handlers`), what the mail says (`messages`),
//! backups (taken, restored, scheduled) and vault key maintenance. A crate of its own
//! above the domain: it cannot import the web; the one page it needs, the printable
//! invoice a mail attaches, is handed over by whoever builds the workers.

pub mod backup;
pub mod handlers;
pub mod messages;
pub mod rotate;
pub mod vault_key;
pub mod workers;

// The layers below under the paths this code has always used.
use mspdesk_domain as domain;
use mspdesk_platform as platform;
use mspdesk_platform::error;
