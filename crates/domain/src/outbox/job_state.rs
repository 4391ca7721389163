//! A job's state as a type, stored as its name (`text_state!`): queued until a worker
//! claims it (running, under a lease), then done, or queued again to retry, or dead
//! after its last attempt; an admin may cancel a queued job and retry a dead or
//! cancelled one. The claim's SQL names the same states (checked by the test below).

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum JobState {
    Queued,
    Running,
    Done,
    /// Failed its last attempt.
    Dead,
    Cancelled,
}

use JobState::*;

impl JobState {
    pub const ALL: [JobState; 5] = [Queued, Running, Dead, Done, Cancelled];
    /// The states an admin may send back to the queue.
    pub const RETRIABLE: [JobState; 2] = [Dead, Cancelled];

    pub const fn name(self) -> &'static str {
        match self {
            Queued => "queued",
            Running => "running",
            Done => "done",
            Dead => "dead",
            Cancelled => "cancelled",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Queued => "Waiting",
            Running => "Running",
            Done => "Done",
            Dead => "Failed",
            Cancelled => "Cancelled",
        }
    }

    pub fn parse(name: &str) -> Option<JobState> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

crate::text_state!(JobState, "a job state");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_from_its_name_and_the_claim_names_them() {
        for s in JobState::ALL {
            assert_eq!(JobState::parse(s.name()), Some(s));
        }
        let claim = super::super::jobs::claim_sql(false);
        assert!(claim.contains(&format!("SET state = '{}'", Running.name())));
        assert!(claim.contains(&format!("state = '{}' AND run_at", Queued.name())));
    }
}
